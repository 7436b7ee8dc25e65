"""``kuzot link`` on real CSV files: the output contract, and clear errors on bad input."""

import csv
import importlib.util

import pandas as pd
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


MALFORMED = [
    (["3", "Асанов Бакыт", "X", "", "", ""], "a.csv:4: column 'sex': 'X' is not M or F"),
    (
        ["3", "Асанов Бакыт", "M", "", "2019-13-01", ""],
        "a.csv:4: column 'incident_date': '2019-13-01' is not a date",
    ),
    (
        ["3", "Асанов Бакыт", "M", "", "2019-02-30", ""],
        "a.csv:4: column 'incident_date': '2019-02-30' is not a date",
    ),
    (
        ["3", "Асанов Бакыт", "M", "19x0", "", ""],
        "a.csv:4: column 'birth_year': '19x0' is not a year",
    ),
    (["3", "", "M", "1980", "", ""], "a.csv:4: column 'full_name': empty (no name)"),
]


@pytest.mark.parametrize(("row", "message"), MALFORMED)
def test_a_malformed_value_is_a_warning_and_the_rest_is_linked(tmp_path, capsys, row, message):
    a = write(tmp_path / "a.csv", [*GOOD, row])
    code, err = run(capsys, a, "--out", tmp_path / "out.csv")
    assert code == 0
    assert f"warning: {tmp_path / message}" in err
    assert len(pd.read_csv(tmp_path / "out.csv")) == 3  # the record is linked, not dropped
    warnings = pd.read_csv(tmp_path / "out.warnings.csv", dtype=str).iloc[0]
    where = f"{warnings['file']}:{warnings['line']}: column '{warnings['column']}': "
    assert (where + warnings["problem"]).startswith(str(tmp_path / message))


@pytest.mark.parametrize(("row", "message"), MALFORMED)
def test_strict_refuses_a_malformed_value_naming_file_line_and_column(
    tmp_path, capsys, row, message
):
    a = write(tmp_path / "a.csv", [*GOOD, row])
    code, err = run(capsys, a, "--out", tmp_path / "out.csv", "--strict")
    assert code == 2
    assert message in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (["record_id", "name"], ["1", "Асанов"], "a.csv:1: missing required column 'full_name'"),
        (["id", "full_name"], ["1", "Асанов"], "a.csv:1: missing required column 'record_id'"),
        (
            HEADER,
            ["1", "Асанов Бакыт", "M", "", "", ""],
            "a.csv:4: column 'record_id': '1' repeats line 2",
        ),
        (HEADER, ["", "Асанов Бакыт", "M", "", "", ""], "a.csv:4: column 'record_id': empty"),
    ],
)
def test_a_file_without_record_ids_or_names_is_refused(tmp_path, capsys, header, row, message):
    rows = [r[: len(header)] for r in GOOD] if header != HEADER else GOOD
    a = write(tmp_path / "a.csv", [*rows, row], header=header)
    code, err = run(capsys, a, "--out", tmp_path / "out.csv")
    assert code == 2
    assert message in err
    assert not (tmp_path / "out.csv").exists()


def test_an_empty_name_and_an_impossible_date_are_listed_and_the_file_still_links(tmp_path, capsys):
    header = ["record_id", "given_name", "family_name", "birth_date", "id_number"]
    a = write(
        tmp_path / "a.csv",
        [
            ["1", "Bakyt", "Asanov", "1980-03-02", "AN 123456"],
            ["2", "", "", "1975-01-20", "AN 654321"],
            ["3", "Dilnoza", "Karimova", "1945-04-93", "AC 111111"],
        ],
        header=header,
    )
    b = write(
        tmp_path / "b.csv",
        [
            ["x1", "Bakyt", "Asanov", "02.03.1980", "AN123456"],
            ["x2", "Nurlan", "Osmonov", "19750120", "AN-654321"],
            ["x3", "Dilnoza", "Karimova", "", "AC 111111"],
        ],
        header=header,
    )
    out = tmp_path / "clusters.csv"
    code, err = run(capsys, a, b, "--out", out, "--warnings", tmp_path / "w.csv")
    assert code == 0
    assert "warning: " + str(a) + ":3: column 'given_name': empty (no name)" in err
    assert "warning: " + str(a) + ":4: column 'birth_date': '1945-04-93' is not a date" in err
    warnings = pd.read_csv(tmp_path / "w.csv", dtype=str)
    assert warnings[["file", "line", "column"]].values.tolist() == [
        [str(a), "3", "given_name"],
        [str(a), "4", "birth_date"],
    ]
    clusters = pd.read_csv(out, dtype=str)
    assert clusters["birth_date"].tolist()[2] == "1945-04-93"  # carried through as written
    assert len(clusters) == 6


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--compare", "nowhere:exact"], "no column 'nowhere' to compare"),
        (["--compare", "sex:exact"], "'sex' is a column of the contract: it is compared already"),
        (["--column", "region=oblast"], "--column region=oblast: no file has a column 'oblast'"),
    ],
)
def test_a_column_to_compare_or_rename_must_exist(tmp_path, capsys, option, message):
    a = write(tmp_path / "a.csv", GOOD)
    code, err = run(capsys, a, "--out", tmp_path / "out.csv", *option)
    assert code == 2
    assert message in err


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
