"""Reviewers' decisions on pairs bind later runs: marked different, never one person (not even
through a third record); marked the same, always one person. Uncertain pairs go to review."""

import csv

import pandas as pd
import pytest

from kuzot.analysis.link_cli import main
from kuzot.analysis.linkage import Decision, LinkageError, link_records
from kuzot.analysis.synthetic import DEFAULT_SOURCES, generate_people, observe

RECORDS = pd.DataFrame(observe(generate_people(800, seed=21), DEFAULT_SOURCES, seed=22))


@pytest.fixture(scope="module")
def first_run():
    return link_records(RECORDS)


def members(result, cluster_id):
    clusters = result.clusters
    return sorted(clusters.loc[clusters["cluster_id"] == cluster_id, "ref"])


def cluster_of(result, ref):
    clusters = result.clusters
    return clusters.loc[clusters["ref"] == ref, "cluster_id"].iloc[0]


def test_records_marked_different_are_split_even_through_a_third(first_run):
    sizes = first_run.clusters["cluster_id"].value_counts()
    big = sizes[sizes >= 3].index[0]
    a, b, c = members(first_run, big)[:3]
    again = link_records(RECORDS, decisions=[Decision(a, b, same=False)])
    assert cluster_of(again, a) != cluster_of(again, b)
    assert cluster_of(again, c) in (cluster_of(again, a), cluster_of(again, b))


def test_records_marked_same_are_joined(first_run):
    clusters = first_run.clusters
    a = clusters["ref"].iloc[0]
    b = clusters.loc[clusters["cluster_id"] != cluster_of(first_run, a), "ref"].iloc[-1]
    again = link_records(RECORDS, decisions=[Decision(a, b, same=True)])
    assert cluster_of(again, a) == cluster_of(again, b)


def test_uncertain_pairs_lie_in_the_band_and_leave_once_decided(first_run):
    pairs = first_run.uncertain_pairs
    assert len(pairs) > 0
    assert pairs["match_probability"].between(0.5, 0.99, inclusive="left").all()
    assert set(pairs["left"]) | set(pairs["right"]) <= set(first_run.clusters["ref"])
    left, right = pairs["left"].iloc[0], pairs["right"].iloc[0]
    again = link_records(RECORDS, decisions=[Decision(right, left, same=False)])
    decided = {
        frozenset(p)
        for p in zip(again.uncertain_pairs["left"], again.uncertain_pairs["right"], strict=True)
    }
    assert frozenset((left, right)) not in decided


def test_decisions_on_withdrawn_records_are_ignored_and_contradictions_refused(first_run):
    a, b, c = first_run.clusters["ref"].iloc[:3]
    link_records(RECORDS.iloc[:400], decisions=[Decision(a, "gone:1", same=True)])
    contradiction = [
        Decision(a, b, same=True),
        Decision(b, c, same=True),
        Decision(c, a, same=False),
    ]
    with pytest.raises(LinkageError, match="contradict"):
        link_records(RECORDS, decisions=contradiction)


def test_a_later_decision_on_a_pair_replaces_an_earlier_one(first_run):
    a, b = first_run.clusters["ref"].iloc[:2]
    again = link_records(RECORDS, decisions=[Decision(a, b, same=False), Decision(b, a, same=True)])
    assert cluster_of(again, a) == cluster_of(again, b)


def test_the_cli_reads_decisions_and_writes_the_review_queue(tmp_path, first_run):
    sizes = first_run.clusters["cluster_id"].value_counts()
    a, b = members(first_run, sizes[sizes >= 2].index[0])[:2]
    records = tmp_path / "all.csv"
    RECORDS.to_csv(records, index=False)
    decisions = tmp_path / "decisions.csv"
    with open(decisions, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["left", "right", "same"], [a, b, "false"]])
    out, review = tmp_path / "clusters.csv", tmp_path / "review.csv"
    argv = [str(records), "--out", str(out), "--decisions", str(decisions), "--review", str(review)]
    assert main(argv) == 0
    clusters = pd.read_csv(out, dtype=str)
    refs = clusters["source"] + ":" + clusters["record_id"]
    by_ref = dict(zip(refs, clusters["cluster_id"], strict=True))
    assert by_ref[a] != by_ref[b]
    assert list(pd.read_csv(review).columns) == ["left", "right", "match_probability"]
