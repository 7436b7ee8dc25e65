"""``kuzot estimate`` on real files: histories and linked clusters, strata, methods, bad input."""

import csv
import json
import sys

import numpy as np
import pytest

from kuzot.analysis.estimate_cli import main
from kuzot.analysis.mse.datasets import kosovo_aggregate, uk_modern_slavery_2013

SHORT = ["--burnin", "300", "--samples", "100", "--thinning", "5", "--K", "5"]


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def kosovo_csv(path):
    h = kosovo_aggregate()
    rows = [[*p, c] for p, c in zip(h.patterns.tolist(), h.counts.tolist(), strict=True)]
    return write_csv(path, [*h.lists, "count"], rows)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_histories_file_gives_the_kosovo_estimate_as_json(tmp_path, capsys):
    path = kosovo_csv(tmp_path / "kosovo.csv")

    code, out, err = run(capsys, "--histories", path, "--json", "--seed", "3")

    assert code == 0
    report = json.loads(out)
    [stratum] = report["strata"]
    assert stratum["stratum"] == {}
    assert stratum["observed"] == 4_400
    assert stratum["lists"] == {"EXH": 1910, "ABA": 1528, "OSCE": 1786, "HRW": 685}
    assert stratum["warnings"] == []
    lcmcr = stratum["estimates"]["lcmcr"]
    assert abs(lcmcr["estimate"] - 10_356) / 10_356 < 0.05
    assert lcmcr["lower"] < 10_356 < lcmcr["upper"]
    assert lcmcr["level"] == 0.95
    assert lcmcr["details"]["seed"] == 3
    diagnostics = lcmcr["diagnostics"]
    assert diagnostics["chains"] == 4 and diagnostics["converged"] is True
    assert diagnostics["rhat"] < 1.1 and diagnostics["burnin"] >= 10_000
    assert diagnostics["ess_bulk"] > 0 and diagnostics["ess_tail"] > 0
    assert not any("NOT CONVERGED" in w for w in lcmcr["warnings"])
    assert "lcmcr" in err  # the run's time on stderr, never on stdout


def test_method_all_runs_every_method(tmp_path, capsys):
    path = kosovo_csv(tmp_path / "kosovo.csv")

    code, out, _ = run(capsys, "--histories", path, "--method", "all", "--json", *SHORT)

    assert code == 0
    estimates = json.loads(out)["strata"][0]["estimates"]
    assert set(estimates) == {"lcmcr", "loglinear", "dga"}
    for method, result in estimates.items():
        assert result["lower"] <= result["estimate"] <= result["upper"], method


def test_a_missing_method_is_an_error_entry_and_the_others_still_run(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "kuzot.analysis.mse.dga", None)  # import fails
    path = kosovo_csv(tmp_path / "kosovo.csv")

    code, out, _ = run(capsys, "--histories", path, "--method", "all", "--json", *SHORT)

    assert code == 0
    estimates = json.loads(out)["strata"][0]["estimates"]
    assert "not available" in estimates["dga"]["error"]
    assert "estimate" in estimates["lcmcr"]


def test_text_output_names_the_lists_and_the_interval(tmp_path, capsys):
    path = kosovo_csv(tmp_path / "kosovo.csv")

    code, out, _ = run(capsys, "--histories", path, *SHORT)

    assert code == 0
    assert "4400 observed on 4 lists (EXH 1910, ABA 1528, OSCE 1786, HRW 685)" in out
    assert "lcmcr: " in out and "95 %" in out


def linked_records(rng):
    """Two countries: KZ with four lists over two years, TJ where only two lists work."""
    rows = []
    for country, lists, people in (("KZ", "ABCD", 600), ("TJ", "AB", 80)):
        for person in range(people):
            year = "2021" if person % 2 else "2022"
            for source in lists:
                if rng.random() < 0.4:
                    rows.append([f"{country}{person}", source, country, f"{year}-03-01"])
    return rows


def test_clusters_file_is_estimated_per_country_and_year(tmp_path, capsys):
    rows = linked_records(np.random.default_rng(1))
    path = write_csv(
        tmp_path / "clusters.csv", ["cluster_id", "source", "country", "incident_date"], rows
    )

    code, out, _ = run(capsys, "--clusters", path, "--by", "country,year", "--json", *SHORT)

    assert code == 0
    report = json.loads(out)
    strata = {tuple(s["stratum"].values()): s for s in report["strata"]}
    assert set(strata) == {("KZ", "2021"), ("KZ", "2022"), ("TJ", "2021"), ("TJ", "2022")}
    people = {(c[2], c[3][:4], c[0]) for c in rows}
    for (country, year), stratum in strata.items():
        assert stratum["observed"] == sum(1 for p in people if p[:2] == (country, year))
    kz = strata["KZ", "2021"]
    assert kz["estimable"] and set(kz["lists"]) == {"A", "B", "C", "D"}
    assert kz["estimates"]["lcmcr"]["estimate"] >= kz["observed"]
    tj = strata["TJ", "2022"]
    assert not tj["estimable"] and tj["estimates"] == {}
    assert any("not estimable" in w for w in tj["warnings"])
    assert any("C, D" in w for w in tj["warnings"])


@pytest.mark.parametrize(
    ("header", "rows", "by", "message"),
    [
        (
            ["A", "B", "C", "count"],
            [[1, 0, 0, 4], [0, 2, 1, 3]],
            "",
            "h.csv:3: column 'B': '2' is not 0 or 1",
        ),
        (
            ["A", "B", "C", "count"],
            [[1, 0, 0, "x"]],
            "",
            "h.csv:2: column 'count': 'x' is not a count",
        ),
        (
            ["A", "B", "C", "count"],
            [[1, 0, 0, -1]],
            "",
            "h.csv:2: column 'count': '-1' is not a count",
        ),
        (["A", "B", "C"], [[1, 0, 0]], "", "h.csv:1: no column 'count'"),
        (
            ["A", "B", "C", "count"],
            [[0, 0, 0, 5]],
            "",
            "h.csv:2: column 'count': '5' people on no list",
        ),
        (["A", "B", "C", "count"], [[1, 0, 0, 5]], "region", "h.csv:1: no column 'region'"),
    ],
)
def test_bad_histories_name_the_file_line_and_column(tmp_path, capsys, header, rows, by, message):
    path = write_csv(tmp_path / "h.csv", header, rows)

    code, out, err = run(capsys, "--histories", path, *(["--by", by] if by else []))

    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_bad_clusters_name_the_file_line_and_column(tmp_path, capsys):
    path = write_csv(
        tmp_path / "clusters.csv",
        ["cluster_id", "source", "incident_date"],
        [["p1", "A", "2021-01-05"], ["p2", "B", "5 May 2021"]],
    )

    code, _, err = run(capsys, "--clusters", path, "--by", "year")

    assert code == 2
    assert "clusters.csv:3: column 'incident_date': '5 May 2021' is not a date" in err


def test_missing_file_empty_file_and_bad_options_exit_2(tmp_path, capsys):
    (tmp_path / "empty.csv").write_text("")

    assert run(capsys, "--histories", tmp_path / "nope.csv")[0] == 2
    code, _, err = run(capsys, "--histories", tmp_path / "empty.csv")
    assert code == 2 and "empty.csv:1: empty file" in err
    code, _, err = run(capsys, "--histories", tmp_path / "empty.csv", "--samples", "0")
    assert code == 2 and "--samples" in err
    code, _, err = run(capsys)
    assert code == 2 and "--clusters" in err


def histories_csv(path, h, **columns):
    rows = [[*p, c, *columns.values()] for p, c in zip(h.patterns.tolist(), h.counts.tolist(),
                                                       strict=True)]
    return write_csv(path, [*h.lists, "count", *columns], rows)


def test_by_a_column_gives_the_total_over_strata_with_its_interval(tmp_path, capsys):
    # Kosovo's people split in two regions, and a third region seen by two lists only
    h = kosovo_aggregate()
    north = h.counts // 2
    path = tmp_path / "regions.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*h.lists, "count", "region"])
        for pattern, a, b in zip(h.patterns.tolist(), north, h.counts - north, strict=True):
            writer.writerow([*pattern, a, "north"])
            writer.writerow([*pattern, b, "south"])
        writer.writerow([1, 1, 0, 0, 7, "east"])
        writer.writerow([1, 0, 0, 0, 5, "east"])

    code, out, _ = run(capsys, "--histories", path, "--by", "region", "--method", "all", "--json",
                       "--bootstrap", "50", *SHORT)

    assert code == 0
    report = json.loads(out)
    strata = {s["stratum"]["region"]: s for s in report["strata"]}
    total = report["total"]
    assert total["observed"] == 4_400 + 12
    assert not strata["east"]["estimable"]
    for method in ("lcmcr", "loglinear", "dga"):
        result = total["estimates"][method]
        parts = [strata[r]["estimates"][method] for r in ("north", "south")]
        assert sum(p["lower"] for p in parts) + 12 <= result["lower"] <= result["estimate"]
        assert result["estimate"] <= result["upper"] <= sum(p["upper"] for p in parts) + 12
        assert "east" in result["warnings"][0]  # counted as observed only
        assert "summed" in result["interval"]
    loglinear = total["estimates"]["loglinear"]
    assert loglinear["estimate"] == pytest.approx(
        sum(strata[r]["estimates"]["loglinear"]["estimate"] for r in ("north", "south")) + 12,
        abs=0.2,
    )


def test_a_single_stratum_has_no_total(tmp_path, capsys):
    code, out, _ = run(capsys, "--histories", kosovo_csv(tmp_path / "k.csv"), "--json", *SHORT)

    assert code == 0 and "total" not in json.loads(out)


def test_methods_that_disagree_beyond_their_intervals_are_named(tmp_path, capsys):
    # UK 2013: the log-linear stepwise model gives about 11,400, LCMCR about twice as many
    path = histories_csv(tmp_path / "uk.csv", uk_modern_slavery_2013())

    code, out, _ = run(capsys, "--histories", path, "--method", "all", "--bootstrap", "50")

    assert code == 0
    assert "warning: the methods disagree beyond their intervals: lcmcr" in out
    assert "against loglinear" in out
    assert "dga: error: dga averages over graphs on 3 to 5 lists" in out
