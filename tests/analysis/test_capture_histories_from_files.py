"""Capture histories read from files, per stratum, with the warnings an analyst must read."""

import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.histories import (
    HistoriesInputError,
    diagnose,
    read_clusters_csv,
    read_histories_csv,
)


def test_repeated_patterns_add_up_and_strata_split_the_table(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "A,B,C,count,region\n1,0,0,4,north\n1,0,0,6,north\n0,1,1,3,north\n0,0,1,2,south\n"
        "1,1,1,0,south\n"
    )

    north, south = read_histories_csv(path, ["region"])

    assert north.key == (("region", "north"),)
    assert north.histories.lists == ("A", "B", "C")
    assert north.histories.patterns.tolist() == [[0, 1, 1], [1, 0, 0]]
    assert north.histories.counts.tolist() == [3, 10]
    # a list with no record in the stratum is left out, and the stratum is not estimable
    assert south.histories.lists == ("C",)
    assert not south.estimable
    assert any("A, B" in w and "left out" in w for w in south.warnings)


def test_a_person_is_counted_once_in_the_most_frequent_value_of_their_records(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(
        "cluster_id,source,country,incident_date\n"
        "p1,A,KZ,2020-01-02\np1,B,KZ,2020\np1,C,UZ,2020-07\n"  # KZ twice, UZ once
        "p2,A,UZ,2021\np2,B,,2021\n"  # the empty value does not count
        "p3,C,,\n"  # nothing known
    )

    strata, warnings = read_clusters_csv(path, ["country", "year"])

    by_key = {s.key: s.histories for s in strata}
    assert set(by_key) == {
        (("country", "(missing)"), ("year", "(missing)")),
        (("country", "KZ"), ("year", "2020")),
        (("country", "UZ"), ("year", "2021")),
    }
    kz = by_key[("country", "KZ"), ("year", "2020")]
    assert kz.n_observed == 1 and kz.patterns.tolist() == [[1, 1, 1]]
    assert warnings == [
        "records of 1 person(s) disagree on 'country': each person is counted once, "
        "in their most frequent value"
    ]


def test_a_year_column_is_used_as_it_is(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text("cluster_id,source,year\np1,A,1999\np2,B,2000\n")

    strata, _ = read_clusters_csv(path, ["year"])

    assert [s.label for s in strata] == ["year=1999", "year=2000"]


def test_lists_that_never_overlap_and_sparse_overlaps_are_warned():
    h = CaptureHistories.from_counts(
        ("police", "ngo", "clinic"),
        {(1, 0, 0): 40, (0, 1, 0): 30, (0, 0, 1): 20, (1, 1, 0): 12, (1, 0, 1): 2},
    )

    disjoint, sparse = diagnose(h)

    assert "no record in common: ngo–clinic" in disjoint
    assert "by design" in disjoint
    assert "police–clinic (2)" in sparse


def test_a_well_overlapping_table_has_no_warning():
    h = CaptureHistories.from_counts(
        ("A", "B", "C"), {(1, 0, 0): 40, (0, 1, 0): 30, (0, 0, 1): 20, (1, 1, 1): 12}
    )

    assert diagnose(h) == []


def test_a_cluster_without_source_is_refused_with_its_line(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text("cluster_id,source\np1,A\np2,\n")

    with pytest.raises(HistoriesInputError, match=r"clusters.csv:3: column 'source': '' is empty"):
        read_clusters_csv(path)
