"""Capture histories from files, per stratum, with the warnings an analyst should read first.

Two inputs:

* a histories CSV: one 0/1 column per list and a ``count`` column (one row per capture pattern;
  repeated patterns are added up); other columns may stratify (``by``);
* a linked clusters CSV, as ``kuzot link`` writes it: one row per record with ``cluster_id``
  (the person) and ``source`` (the list), plus stratification columns such as ``country``;
  ``year`` is taken from ``incident_date`` (YYYY, YYYY-MM or YYYY-MM-DD) when the file has no
  ``year`` column. A person whose records disagree on a stratum value is counted once, in the most
  frequent value among their records.

Lists with no record in a stratum are left out of that stratum; a stratum with fewer than three
lists is not estimable (HRDAG's rule, verdata ``estimate_mse``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from kuzot.analysis.mse.core import CaptureHistories

MIN_LISTS = 3
SPARSE_OVERLAP = 5
MISSING = "(missing)"
COUNT = "count"
YEAR = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class HistoriesInputError(ValueError):
    """Bad input: the message names the file, and the line and column when there is one."""


@dataclass(frozen=True)
class Stratum:
    """The capture histories of one stratum (``key`` is empty when there is no stratification)."""

    key: tuple[tuple[str, str], ...]
    histories: CaptureHistories
    warnings: tuple[str, ...]

    @property
    def estimable(self) -> bool:
        return self.histories.n_lists >= MIN_LISTS and self.histories.n_observed > 0

    @property
    def label(self) -> str:
        return ", ".join(f"{name}={value}" for name, value in self.key) or "all"


def diagnose(h: CaptureHistories) -> list[str]:
    """Plain-language warnings about a table of capture histories."""
    warnings = []
    empty = [name for name, total in h.list_totals().items() if total == 0]
    if empty:
        warnings.append(f"no record on list(s) {', '.join(empty)}: left out")
    used = [j for j, name in enumerate(h.lists) if name not in empty]
    if len(used) < MIN_LISTS:
        warnings.append(
            f"not estimable: {len(used)} list(s) with records, at least {MIN_LISTS} are needed"
        )
        return warnings
    disjoint, sparse = [], []
    for a, b in combinations(used, 2):
        shared = int(h.counts[(h.patterns[:, a] == 1) & (h.patterns[:, b] == 1)].sum())
        pair = f"{h.lists[a]}–{h.lists[b]}"
        if shared == 0:
            disjoint.append(pair)
        elif shared < SPARSE_OVERLAP:
            sparse.append(f"{pair} ({shared})")
    if disjoint:
        warnings.append(
            f"lists with no record in common: {', '.join(disjoint)}; if they cannot overlap by "
            "design (different regions, periods or kinds of case), stratify so that every list "
            "can capture everyone in the stratum, or the estimate is meaningless"
        )
    if sparse:
        warnings.append(
            f"sparse overlaps (fewer than {SPARSE_OVERLAP} people in common): {', '.join(sparse)}; "
            "estimates are unstable"
        )
    return warnings


def _stratum(key: tuple[tuple[str, str], ...], h: CaptureHistories) -> Stratum:
    warnings = diagnose(h)
    kept = [j for j, total in enumerate(h.list_totals().values()) if total > 0]
    if len(kept) < h.n_lists:
        patterns = h.patterns[:, kept]
        seen = patterns.any(axis=1)
        h = CaptureHistories(tuple(h.lists[j] for j in kept), patterns[seen], h.counts[seen])
    return Stratum(key, h, tuple(warnings))


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise HistoriesInputError(f"{path}: cannot read: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise HistoriesInputError(f"{path}:{line}: not UTF-8 text (save it as UTF-8)") from None


def _read_csv(path: Path) -> pd.DataFrame:
    """Text columns, values stripped; a row's line number is its index plus two."""
    return _read_text(_decode(path), path)


def _read_text(text: str, path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise HistoriesInputError(f"{path}:1: empty file (a header line is needed)") from None
    except pd.errors.ParserError as error:
        raise HistoriesInputError(f"{path}: not a CSV table: {error}") from None
    table.columns = [str(c).strip() for c in table.columns]
    duplicated = table.columns[table.columns.duplicated()]
    if len(duplicated):
        raise HistoriesInputError(f"{path}:1: column '{duplicated[0]}' appears twice")
    return table.apply(lambda column: column.str.strip())


def _fail_first(path: Path, table: pd.DataFrame, bad: pd.Series, column: str, why: str) -> None:
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        value = table[column].iloc[row]
        raise HistoriesInputError(f"{path}:{row + 2}: column '{column}': '{value}' {why}")


def _require(path: Path, table: pd.DataFrame, columns: Sequence[str]) -> None:
    for column in columns:
        if column not in table:
            raise HistoriesInputError(f"{path}:1: no column '{column}'")


def _groups(table: pd.DataFrame, by: Sequence[str]):
    if not by:
        yield (), table
        return
    for values, group in table.groupby(list(by), sort=True):
        yield tuple(zip(by, values, strict=True)), group


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and ``(line number, values)`` of every non-blank row, values stripped.

    The csv module, not pandas: a histories file is small, and importing pandas costs half a
    second of CPU, a fifth of a whole LCMCR run on Kosovo.
    """
    text = _decode(path)
    reader = csv.reader(io.StringIO(text))
    header = [c.strip() for c in next(reader, [])]
    if not header:
        raise HistoriesInputError(f"{path}:1: empty file (a header line is needed)")
    if duplicated := [c for i, c in enumerate(header) if c in header[:i]]:
        raise HistoriesInputError(f"{path}:1: column '{duplicated[0]}' appears twice")
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise HistoriesInputError(
                f"{path}:{reader.line_num}: not a CSV table: {len(values)} fields where the "
                f"header has {len(header)}"
            )
        values = [v.strip() for v in values] + [""] * (len(header) - len(values))
        rows.append((reader.line_num, values))
    return header, rows


def read_histories_csv(path: str | Path, by: Sequence[str] = ()) -> list[Stratum]:
    """A histories CSV (0/1 list columns and ``count``) as one stratum per value of ``by``."""
    path = Path(path)
    header, rows = _read_rows(path)
    for column in (COUNT, *by):
        if column not in header:
            raise HistoriesInputError(f"{path}:1: no column '{column}'")
    lists = [c for c in header if c != COUNT and c not in by]
    if not lists:
        raise HistoriesInputError(f"{path}:1: no list column (one 0/1 column per list)")
    at = {c: header.index(c) for c in header}

    def fail_first(column: str, bad: Callable[[list[str]], bool], why: str) -> None:
        for line, values in rows:
            if bad(values):
                value = values[at[column]]
                raise HistoriesInputError(f"{path}:{line}: column '{column}': '{value}' {why}")

    for name in lists:
        fail_first(name, lambda v, j=at[name]: v[j] not in ("0", "1"), "is not 0 or 1")
    fail_first(COUNT, lambda v: not v[at[COUNT]].isdigit(), "is not a count")
    fail_first(
        COUNT,
        lambda v: int(v[at[COUNT]]) > 0 and all(v[at[n]] == "0" for n in lists),
        "people on no list cannot have been observed",
    )
    tallies: dict[tuple[str, ...], dict[tuple[int, ...], int]] = {}
    for _, values in rows:
        key = tuple(values[at[c]] or MISSING for c in by)
        pattern = tuple(int(values[at[n]]) for n in lists)
        tally = tallies.setdefault(key, {})
        tally[pattern] = tally.get(pattern, 0) + int(values[at[COUNT]])
    return [
        _stratum(tuple(zip(by, key, strict=True)), CaptureHistories.from_counts(lists, tally))
        for key, tally in sorted(tallies.items())
    ]


def _cluster_value(path: Path, records: pd.DataFrame, column: str) -> tuple[pd.Series, int]:
    """Each cluster's most frequent non-empty value of ``column``; clusters that disagree."""
    import pandas as pd

    if column == "year" and "year" not in records:
        _require(path, records, ("incident_date",))
        dates = records["incident_date"]
        _fail_first(
            path,
            records,
            (dates != "") & ~dates.str.fullmatch(YEAR),
            "incident_date",
            "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
        )
        values = dates.str[:4]
    else:
        _require(path, records, (column,))
        values = records[column]
    known = pd.DataFrame({"cluster": records["cluster_id"], "value": values})[values != ""]
    tallies = known.groupby(["cluster", "value"]).size().reset_index(name="n")
    tallies = tallies.sort_values(["cluster", "n", "value"], ascending=[True, False, True])
    disagreeing = int((tallies.groupby("cluster").size() > 1).sum())
    chosen = tallies.drop_duplicates("cluster").set_index("cluster")["value"]
    return chosen, disagreeing


def read_clusters_table(path: str | Path) -> pd.DataFrame:
    """A linked clusters CSV as text columns, values stripped (bad files raise
    ``HistoriesInputError`` naming the file)."""
    return _read_csv(Path(path))


def as_written(records: pd.DataFrame) -> pd.DataFrame:
    """Linked records in memory exactly as ``kuzot estimate`` would read them back from the
    file ``kuzot link`` writes: so that records linked in the app and the same records in a
    file make the same strata."""
    return _read_text(records.to_csv(index=False), Path("clusters"))


def read_clusters_csv(path: str | Path, by: Sequence[str] = ()) -> tuple[list[Stratum], list[str]]:
    """Linked records (``cluster_id``, ``source``) as one stratum per value of ``by``.

    Returns the strata and warnings about the whole file.
    """
    path = Path(path)
    return clusters_strata(_read_csv(path), by, path)


def clusters_strata(
    records: pd.DataFrame, by: Sequence[str] = (), path: Path = Path("clusters")
) -> tuple[list[Stratum], list[str]]:
    """:func:`read_clusters_csv` on records already in memory (text columns, as ``kuzot link``
    writes them); ``path`` names them in error messages."""
    import pandas as pd

    _require(path, records, ("cluster_id", "source"))
    for column in ("cluster_id", "source"):
        _fail_first(path, records, records[column] == "", column, "is empty")
    lists = sorted(records["source"].unique())
    people = records[["cluster_id", "source"]].drop_duplicates()
    flags = pd.crosstab(people["cluster_id"], people["source"]).reindex(columns=lists) > 0
    file_warnings = []
    for column in by:
        chosen, disagreeing = _cluster_value(path, records, column)
        flags[column] = chosen.reindex(flags.index).fillna(MISSING)
        if disagreeing:
            file_warnings.append(
                f"records of {disagreeing} person(s) disagree on '{column}': each person is "
                "counted once, in their most frequent value"
            )
    strata = []
    for key, group in _groups(flags, by):
        memberships = group[lists].to_numpy()
        patterns, counts = np.unique(memberships.astype(np.int8), axis=0, return_counts=True)
        h = CaptureHistories(tuple(lists), patterns, counts)
        strata.append(_stratum(key, h))
    return strata, file_warnings
