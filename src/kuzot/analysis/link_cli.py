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
import csv
import io
import re
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd

from kuzot.analysis.linkage import ENGINES, Decision, LinkageError, link_records

REQUIRED = ("record_id", "full_name")
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
TRUE, FALSE = {"true", "1", "yes", "same"}, {"false", "0", "no", "different"}


class InputError(Exception):
    """Bad input: the message names the file, line and column."""


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (save the file as UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    rows = []
    for row in reader:
        if None in row:
            raise InputError(f"{path}:{reader.line_num}: more values than columns in the header")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return header, rows


def _bad(path: Path, line: int, column: str, why: str) -> InputError:
    return InputError(f"{path}:{line}: column '{column}': {why}")


def _check(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    for column in REQUIRED:
        if column not in header:
            raise InputError(f"{path}:1: missing required column '{column}'")
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        bad = partial(_bad, path, line)
        if not row["record_id"]:
            raise bad("record_id", "empty")
        if not row["full_name"]:
            raise bad("full_name", "empty")
        key = (row["source"], row["record_id"])
        if key in seen:
            raise bad("record_id", f"'{row['record_id']}' repeats line {seen[key]} (same source)")
        seen[key] = line
        if row.get("sex", "").upper() not in ("", "M", "F"):
            raise bad("sex", f"'{row['sex']}' is not M or F")
        year = row.get("birth_year", "")
        if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
            raise bad("birth_year", f"'{year}' is not a year")
        for column in ("birth_date", "incident_date"):
            value = row.get(column, "")
            if value and not DATE.match(value):
                raise bad(column, f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        country = row.get("country", "")
        if country and not re.fullmatch(r"[A-Za-z]{2}", country):
            raise bad("country", f"'{country}' is not an ISO 3166 alpha-2 code")


def read_records(paths: list[Path]) -> pd.DataFrame:
    """All records of the given files, checked, as one table (all values text)."""
    frames = []
    for path in paths:
        header, rows = _read_csv(path)
        if "source" not in header:
            header = [*header, "source"]
        for row in rows:
            row["source"] = row.get("source") or path.stem
        _check(path, header, rows)
        frames.append(pd.DataFrame(rows, columns=header, dtype=str))
    records = pd.concat(frames, ignore_index=True).fillna("")
    refs = records["source"] + ":" + records["record_id"]
    if refs.duplicated().any():
        ref = refs[refs.duplicated()].iloc[0]
        raise InputError(f"record '{ref}' appears in more than one file (same source and id)")
    return records


def read_decisions(path: Path) -> list[Decision]:
    header, rows = _read_csv(path)
    for column in ("left", "right", "same"):
        if column not in header:
            raise InputError(f"{path}:1: missing required column '{column}'")
    decisions = []
    for line, row in enumerate(rows, start=2):
        same = row["same"].lower()
        if same not in TRUE | FALSE:
            raise InputError(f"{path}:{line}: column 'same': '{row['same']}' is not true or false")
        for column in ("left", "right"):
            if ":" not in row[column]:
                raise InputError(
                    f"{path}:{line}: column '{column}': '{row[column]}' is not source:record_id"
                )
        decisions.append(Decision(row["left"], row["right"], same in TRUE))
    return decisions


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
