"""``kuzot link``: which records of the given lists are the same person.

    kuzot link A.csv B.csv … --out clusters.csv [--engine duckdb|spark] [--threshold 0.9]
                             [--decisions decisions.csv] [--review review.csv]
                             [--compare COL:KIND …] [--column NAME=HEADER …]
                             [--warnings W.csv] [--strict]

Each input is a UTF-8 CSV file with a header: ``record_id`` is required, with the name in
``full_name`` or ``given_name`` / ``family_name``; ``source`` (default: the file's name without
extension), ``patronymic``, ``father_name``, ``sex`` (M/F), ``birth_year`` or ``birth_date``,
``country`` (ISO 3166 alpha-2), ``region``, ``incident_date``, ``id_number``, ``phone``,
``address`` and ``birth_place`` are optional, and compared when present; ``--compare COL:KIND``
compares another column (KIND: exact, name, text, date, number); ``--column NAME=HEADER`` reads
the file's column HEADER as the contract's NAME. Dates are YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD
or DD.MM.YYYY. Other columns are carried through. The output has every input column plus
``source`` and ``cluster_id``.

A malformed value (an impossible date, a sex other than M/F, …) and a record without a name are
warnings: each is listed with its file, line and column in the warnings file (``--warnings``,
by default beside the output) and on standard error, the value counts as missing and the rest
is linked. ``--strict`` refuses the input at the first of them instead (exit code 2), as does
any structural problem: a file that cannot be read, a missing ``record_id`` column, an empty or
repeated record id.

Decisions (``--decisions``) are a CSV file with ``left``, ``right`` (each "source:record_id")
and ``same`` (true/false): pairs a reviewer marked the same person or different people.
``--review`` writes the undecided pairs whose match probability is uncertain.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kuzot.analysis.linkage import (
    ENGINES,
    KINDS,
    NAME_COLUMNS,
    Compared,
    Decision,
    LinkageError,
    check,
    link_records,
)

TRUE, FALSE = {"true", "1", "yes", "same"}, {"false", "0", "no", "different"}
WARNINGS_SHOWN = 100  # on standard error; the warnings file lists every one


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
    table.columns = [str(c).strip() for c in table.columns]
    return table.apply(lambda column: column.str.strip())


def _first(path: Path, bad: pd.Series, column: str, why: Callable[[str], str]) -> None:
    """Raise naming the first row where ``bad`` holds."""
    if bad.any():
        index = int(bad.to_numpy().argmax())
        raise InputError(f"{path}:{index + 2}: column '{column}': {why(bad.index[index])}")


def _check_structure(path: Path, table: pd.DataFrame) -> None:
    """What no record can do without: a record id, unique in its source, and a name column."""
    if "record_id" not in table:
        raise InputError(f"{path}:1: missing required column 'record_id'")
    if not any(column in table for column in NAME_COLUMNS):
        raise InputError(
            f"{path}:1: missing required column 'full_name' (or given_name and family_name)"
        )
    _first(path, table["record_id"] == "", "record_id", lambda i: "empty")
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


def read_records(
    paths: list[Path], columns: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[tuple[Path, int]]]:
    """All records of the given files as one table (all values text), and the file and line of
    each. ``columns`` maps a contract column to the header a file uses for it."""
    frames, places = [], []
    renamed: set[str] = set()
    for path in paths:
        table = _read_csv(path)
        rename = {header: name for name, header in (columns or {}).items() if header in table}
        renamed |= set(rename)
        table = table.rename(columns=rename)
        if "source" not in table:
            table["source"] = ""
        table["source"] = table["source"].mask(table["source"] == "", path.stem)
        _check_structure(path, table)
        frames.append(table)
        places += [(path, line) for line in range(2, len(table) + 2)]
    for name, header in (columns or {}).items():
        if header not in renamed:
            raise InputError(f"--column {name}={header}: no file has a column '{header}'")
    records = pd.concat(frames, ignore_index=True).fillna("")
    refs = records["source"] + ":" + records["record_id"]
    if refs.duplicated().any():
        ref = refs[refs.duplicated()].iloc[0]
        raise InputError(f"record '{ref}' appears in more than one file (same source and id)")
    return records, places


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


def _pair(text: str, separator: str, what: str) -> tuple[str, str]:
    left, found, right = text.partition(separator)
    if not (found and left and right):
        raise argparse.ArgumentTypeError(f"'{text}' is not {what}")
    return left.strip(), right.strip()


def _compared(text: str) -> Compared:
    column, kind = _pair(text, ":", "COL:KIND")
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(f"kind '{kind}' is not one of {', '.join(KINDS)}")
    return Compared(column, kind)


def warn(
    records: pd.DataFrame,
    places: list[tuple[Path, int]],
    compare: list[Compared],
    warnings_path: Path,
    strict: bool,
) -> int:
    """List the values treated as missing, in the warnings file and on standard error; with
    ``strict``, refuse the input at the first. Returns how many there are."""
    problems = check(records, compare)
    lines = [(*places[p.row], p) for p in problems]
    if strict and lines:
        path, line, problem = lines[0]
        raise InputError(f"{path}:{line}: {problem}")
    with open(warnings_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "line", "column", "problem"])
        writer.writerows((path, line, p.column, p.reason) for path, line, p in lines)
    for path, line, problem in lines[:WARNINGS_SHOWN]:
        print(f"kuzot link: warning: {path}:{line}: {problem}; treated as missing", file=sys.stderr)
    if lines:
        more = f" ({len(lines) - WARNINGS_SHOWN:,} more)" if len(lines) > WARNINGS_SHOWN else ""
        print(
            f"kuzot link: {len(lines):,} warnings{more}, each in {warnings_path}",
            file=sys.stderr,
        )
    return len(lines)


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
    parser.add_argument(
        "--compare",
        type=_compared,
        action="append",
        default=[],
        metavar="COL:KIND",
        help=f"also compare column COL, of kind {', '.join(KINDS)}",
    )
    parser.add_argument(
        "--column",
        type=lambda text: _pair(text, "=", "NAME=HEADER"),
        action="append",
        default=[],
        metavar="NAME=HEADER",
        help="read the files' column HEADER as the contract's column NAME",
    )
    parser.add_argument(
        "--warnings", type=Path, help="values treated as missing (default: OUT.warnings.csv)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse malformed values and nameless records"
    )
    args = parser.parse_args(argv)
    if not 0 < args.threshold < 1:
        parser.error("--threshold must be between 0 and 1")
    warnings_path = args.warnings or args.out.with_suffix(".warnings.csv")
    start = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - start:7.1f} s] {message}", file=sys.stderr, flush=True)

    try:
        records, places = read_records(args.inputs, dict(args.column))
        decisions = read_decisions(args.decisions) if args.decisions else []
        warn(records, places, args.compare, warnings_path, args.strict)
        result = link_records(
            records,
            engine=args.engine,
            threshold=args.threshold,
            decisions=decisions,
            progress=progress,
            compare=args.compare,
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
