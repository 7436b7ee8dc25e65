"""``kuzot link``: which records of the given lists are the same person.

    kuzot link A.csv B.csv … --out clusters.csv [--engine duckdb|spark] [--threshold 0.9]
                             [--decisions decisions.csv] [--review review.csv]

Each input is a UTF-8 CSV file with a header: ``record_id`` and ``full_name`` are required;
``source`` (default: the file's name without extension), ``given_name``, ``family_name``,
``patronymic``, ``sex`` (M/F), ``birth_year`` or ``birth_date``, ``country`` (ISO 3166 alpha-2),
``region`` and ``incident_date`` (YYYY, YYYY-MM or YYYY-MM-DD) are optional; other columns are
carried through. The output has every input column plus ``source`` and ``cluster_id``.

Decisions (``--decisions``) are a CSV file with ``left``, ``right`` (each "source:record_id")
and ``same`` (true/false): pairs a reviewer marked the same person or different people.
``--review`` writes the undecided pairs whose match probability is uncertain.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kuzot.analysis.linkage import ENGINES, Decision, LinkageError, link_records

REQUIRED = ("record_id", "full_name")
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
TRUE, FALSE = {"true", "1", "yes", "same"}, {"false", "0", "no", "different"}


class InputError(Exception):
    """Bad input: the message names the file, line and column."""


def _read_csv(path: Path) -> pd.DataFrame:
    """The file as text columns, values stripped; line numbers are the index plus two."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (save the file as UTF-8)") from None
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise InputError(f"{path}: not a CSV table as expected: {error}") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}:1: empty file (a header line is needed)") from None
    return table.apply(lambda column: column.str.strip())


def _first(path: Path, bad: pd.Series, column: str, why: Callable[[str], str]) -> None:
    """Raise naming the first row where ``bad`` holds."""
    if bad.any():
        index = int(bad.to_numpy().argmax())
        raise InputError(f"{path}:{index + 2}: column '{column}': {why(bad.index[index])}")


def _check(path: Path, table: pd.DataFrame) -> None:
    for column in REQUIRED:
        if column not in table:
            raise InputError(f"{path}:1: missing required column '{column}'")

    def value(column: str) -> Callable[[int], str]:
        return lambda i: table.at[i, column]

    _first(path, table["record_id"] == "", "record_id", lambda i: "empty")
    _first(path, table["full_name"] == "", "full_name", lambda i: "empty")
    repeated = table.duplicated(["source", "record_id"])
    first_line = (
        table.reset_index().groupby(["source", "record_id"])["index"].transform("min").add(2)
    )
    _first(
        path,
        repeated,
        "record_id",
        lambda i: f"'{table.at[i, 'record_id']}' repeats line {first_line[i]} (same source)",
    )
    if "sex" in table:
        bad = ~table["sex"].str.upper().isin(["", "M", "F"])
        _first(path, bad, "sex", lambda i: f"'{value('sex')(i)}' is not M or F")
    if "birth_year" in table:
        year = pd.to_numeric(table["birth_year"].where(table["birth_year"].str.isdigit()))
        bad = (table["birth_year"] != "") & ~year.between(1900, 2100)
        _first(path, bad, "birth_year", lambda i: f"'{value('birth_year')(i)}' is not a year")
    for column in ("birth_date", "incident_date"):
        if column in table:
            bad = (table[column] != "") & ~table[column].str.match(DATE.pattern)
            _first(
                path,
                bad,
                column,
                lambda i, c=column: (
                    f"'{table.at[i, c]}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                ),
            )
    if "country" in table:
        bad = (table["country"] != "") & ~table["country"].str.fullmatch(r"[A-Za-z]{2}")
        _first(
            path,
            bad,
            "country",
            lambda i: f"'{value('country')(i)}' is not an ISO 3166 alpha-2 code",
        )


def read_records(paths: list[Path]) -> pd.DataFrame:
    """All records of the given files, checked, as one table (all values text)."""
    frames = []
    for path in paths:
        table = _read_csv(path)
        if "source" not in table:
            table["source"] = ""
        table["source"] = table["source"].mask(table["source"] == "", path.stem)
        _check(path, table)
        frames.append(table)
    records = pd.concat(frames, ignore_index=True).fillna("")
    refs = records["source"] + ":" + records["record_id"]
    if refs.duplicated().any():
        ref = refs[refs.duplicated()].iloc[0]
        raise InputError(f"record '{ref}' appears in more than one file (same source and id)")
    return records


def read_decisions(path: Path) -> list[Decision]:
    table = _read_csv(path)
    for column in ("left", "right", "same"):
        if column not in table:
            raise InputError(f"{path}:1: missing required column '{column}'")
    same = table["same"].str.lower()
    _first(
        path,
        ~same.isin(TRUE | FALSE),
        "same",
        lambda i: f"'{table.at[i, 'same']}' is not true or false",
    )
    for column in ("left", "right"):
        _first(
            path,
            ~table[column].str.contains(":", regex=False),
            column,
            lambda i, c=column: f"'{table.at[i, c]}' is not source:record_id",
        )
    return [
        Decision(left, right, same in TRUE)
        for left, right, same in zip(table["left"], table["right"], same, strict=True)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kuzot link", description="Link the records of several lists into persons."
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="CSV")
    parser.add_argument("--out", required=True, type=Path, help="clusters CSV to write")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb")
    parser.add_argument("--threshold", type=float, default=0.9, help="match probability")
    parser.add_argument("--decisions", type=Path, help="reviewers' decisions CSV")
    parser.add_argument("--review", type=Path, help="write the uncertain pairs to this CSV")
    args = parser.parse_args(argv)
    if not 0 < args.threshold < 1:
        parser.error("--threshold must be between 0 and 1")
    start = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - start:7.1f} s] {message}", file=sys.stderr, flush=True)

    try:
        records = read_records(args.inputs)
        decisions = read_decisions(args.decisions) if args.decisions else []
        result = link_records(
            records,
            engine=args.engine,
            threshold=args.threshold,
            decisions=decisions,
            progress=progress,
        )
    except (InputError, LinkageError) as error:
        print(f"kuzot link: {error}", file=sys.stderr)
        return 2
    result.clusters.drop(columns="ref").to_csv(args.out, index=False)
    if args.review:
        result.uncertain_pairs.to_csv(args.review, index=False)
    persons = result.clusters["cluster_id"].nunique()
    progress(f"{len(records):,} records, {persons:,} persons: written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
