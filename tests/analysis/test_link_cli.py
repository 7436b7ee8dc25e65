"""``kuzot link`` on real CSV files: the output contract, and clear errors on bad input."""

import csv
import importlib.util

import pytest

from kuzot.analysis.link_cli import main

HEADER = ["record_id", "full_name", "sex", "birth_year", "incident_date", "case_ref"]
GOOD = [
    ["1", "Асанов Бакыт Жумабекович", "M", "1980", "2019-03-02", "c-1"],
    ["2", "Каримова Дилноза", "F", "1990", "2020-05", "c-2"],
]


def write(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_output_has_every_input_column_plus_source_and_cluster_id(tmp_path, capsys):
    a = write(tmp_path / "bishkek.csv", GOOD)
    b = write(
        tmp_path / "intl.csv",
        [["x1", "Bakyt Asanov", "M", "1980", "2019-03-02", "x", "A"]],
        header=[*HEADER, "source"],
    )
    out = tmp_path / "clusters.csv"
    code, err = run(capsys, a, b, "--out", out)
    assert code == 0
    assert "preparing 3 records" in err and "written to" in err  # progress on stderr
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert set(rows[0]) == {*HEADER, "source", "cluster_id"}
    assert [r["source"] for r in rows] == ["bishkek", "bishkek", "A"]  # default: the file's stem
    assert [r["case_ref"] for r in rows] == ["c-1", "c-2", "x"]
    assert all(r["cluster_id"] for r in rows)


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (["record_id", "name"], ["1", "Асанов"], "a.csv:1: missing required column 'full_name'"),
        (
            HEADER,
            ["3", "Асанов Бакыт", "X", "", "", ""],
            "a.csv:4: column 'sex': 'X' is not M or F",
        ),
        (
            HEADER,
            ["3", "Асанов Бакыт", "M", "", "2019-13-01", ""],
            "a.csv:4: column 'incident_date': '2019-13-01' is not a date",
        ),
        (
            HEADER,
            ["3", "Асанов Бакыт", "M", "19x0", "", ""],
            "a.csv:4: column 'birth_year': '19x0' is not a year",
        ),
        (
            HEADER,
            ["1", "Асанов Бакыт", "M", "", "", ""],
            "a.csv:4: column 'record_id': '1' repeats line 2",
        ),
        (HEADER, ["3", "", "M", "", "", ""], "a.csv:4: column 'full_name': empty"),
    ],
)
def test_bad_input_names_file_line_and_column(tmp_path, capsys, header, row, message):
    rows = [r[: len(header)] for r in GOOD] if header != HEADER else GOOD
    a = write(tmp_path / "a.csv", [*rows, row], header=header)
    code, err = run(capsys, a, "--out", tmp_path / "out.csv")
    assert code == 2
    assert message in err
    assert not (tmp_path / "out.csv").exists()


def test_a_file_not_in_utf8_is_refused_with_its_line(tmp_path, capsys):
    a = write(
        tmp_path / "a.csv", [*GOOD, ["3", "Асанов Бакыт", "M", "", "", ""]], encoding="cp1251"
    )
    code, err = run(capsys, a, "--out", tmp_path / "out.csv")
    assert code == 2
    assert "a.csv:2: not UTF-8" in err


def test_a_missing_file_is_refused(tmp_path, capsys):
    code, err = run(capsys, tmp_path / "nowhere.csv", "--out", tmp_path / "out.csv")
    assert code == 2
    assert "nowhere.csv: no such file" in err


def test_bad_decisions_file_is_refused(tmp_path, capsys):
    a = write(tmp_path / "a.csv", GOOD)
    decisions = write(
        tmp_path / "d.csv", [["a:1", "a:2", "maybe"]], header=["left", "right", "same"]
    )
    code, err = run(capsys, a, "--out", tmp_path / "o.csv", "--decisions", decisions)
    assert code == 2
    assert "d.csv:2: column 'same': 'maybe' is not true or false" in err


@pytest.mark.skipif(importlib.util.find_spec("pyspark") is not None, reason="pyspark installed")
def test_spark_engine_without_pyspark_says_what_to_install(tmp_path, capsys):
    a = write(tmp_path / "a.csv", GOOD)
    code, err = run(capsys, a, "--out", tmp_path / "o.csv", "--engine", "spark")
    assert code == 2
    assert "pip install 'kuzot[spark]'" in err
