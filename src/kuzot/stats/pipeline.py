"""The statistics pipeline: count, protect, serialise — one function, ``tabulate``.

Every table and funnel shown to anyone comes out of ``tabulate``, in one JSON-ready form that
the screen, the public page, CSV and XLSX downloads and the PDF report read (``publishing.grid``):

* the statistics screen: an organisation's own numbers for its own staff, counted exactly by
  any one or two dimensions (``queries.count``), nothing withheld (``protect=None``);
* publications, the coalition view and the annual report: releases of the ledger
  (``stats.ledger``) — each table's cells are counts of the ledger's spaces over the strata of
  the organisations and years, protected against everything released before; a release whose
  numbers were all released before in the same way shows the recorded ones again.

Every table lists the full frame of its categories when it leaves the organisation (every
region of the countries covered, every term, every age group, "unknown"), so that a listed
category says nothing about the data. The funnel's steps are protected like table cells; its
median days are shown only over at least ``threshold`` cases.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from kuzot.accounts.models import Organisation
from kuzot.analysis.disclosure import Box, Labels, Protection, Stratum, Table, table_boxes
from kuzot.stats.ledger import YES, Ledger
from kuzot.stats.models import Release
from kuzot.stats.queries import FUNNEL, Scope, count, funnel


@dataclass(frozen=True)
class Wanted:
    """One table: its name, its one or two dimensions, what a cell counts (a space of the
    ledger: acts, mentions, cases, victims:<step>) and, when not the scope's, its first year."""

    name: str
    dims: tuple[str, ...]
    space: str = "acts"
    year_from: int | None = None


@dataclass(frozen=True)
class Protect:
    """A release of the ledger: the smallest number shown and how; ``kind`` and
    ``organisation`` name an earlier release of the same numbers that may be shown again."""

    ledger: Ledger
    threshold: int
    rounding_base: int | None = None
    sensitive: tuple[str, ...] = ()
    kind: str | None = None
    organisation: Organisation | None = None


@dataclass
class Numbers:
    """What ``tabulate`` gives: the content to show and, for a release, what the ledger records
    (its boxes and their protection), or the earlier release that showed the same numbers."""

    content: dict
    entries: list[tuple[str, Labels, Box]] = field(default_factory=list)
    protection: Protection | None = None
    recorded: Release | None = None


def tabulate(
    scope: Scope,
    wanted: Sequence[Wanted],
    *,
    with_funnel: bool = True,
    protect: Protect | None = None,
) -> Numbers:
    """Count the tables (and the funnel), protect them when they are a release, serialise."""
    if protect is None:
        return Numbers(
            {
                "threshold": None,
                "rounding_base": None,
                "tables": [_exact_table(scope, w) for w in wanted],
                "funnel": _exact_funnel(scope) if with_funnel else [],
            }
        )
    draft = _draft(protect.ledger, scope, wanted, with_funnel)
    if protect.kind is not None:
        earlier = protect.ledger.recorded(
            protect.kind, draft.entries, protect.organisation, protect.threshold
        )
        if earlier is not None:
            return Numbers(earlier.content, draft.entries, None, earlier)
    protection = protect.ledger.protect(
        draft.entries,
        threshold=protect.threshold,
        rounding_base=protect.rounding_base,
        sensitive=protect.sensitive,
    )
    content = _serialised(draft, protection, scope, protect.threshold, protect.rounding_base)
    return Numbers(content, draft.entries, protection)


# --- Exact counts, for the organisation's own staff ----------------------------------------


def _exact_table(scope: Scope, wanted: Wanted) -> dict:
    counted = count(scope, *wanted.dims)
    dims = wanted.dims
    categories = tuple(tuple(sorted({k[i] for k in counted})) for i in range(len(dims)))
    table = Table(
        wanted.name, dims, categories, {k if len(k) > 1 else k[0]: n for k, n in counted.items()}
    )
    return {
        "name": wanted.name,
        "unit": wanted.space.split(":")[0],
        "dims": list(dims),
        "scope": {"organisations": list(scope.organisations)},
        "categories": [list(c) for c in categories],
        "cells": [[list(labels), table.value(labels)] for labels in table.labels()],
    }


def _exact_funnel(scope: Scope) -> list[dict]:
    return [
        {
            "key": s.key,
            "cases": s.cases,
            "share_of_previous": s.share_of_previous,
            "median_days": s.median_days,
            "still_open": s.still_open,
        }
        for s in funnel(scope)
    ]


# --- Releases: counts of the ledger, protected -----------------------------------------------


@dataclass
class _Draft:
    """A release being prepared: its tables' cells as boxes of the ledger, and how to show
    them. Nothing in it is protected yet."""

    ledger: Ledger
    tables: list[dict] = field(default_factory=list)
    entries: list[tuple[str, Labels, Box]] = field(default_factory=list)

    def table(self, wanted: Wanted, strata: list[Stratum]) -> None:
        """A one- or two-way table over the full frame of its categories."""
        definition = self.ledger.spaces[wanted.space]
        organisations = sorted({o for o, _y, _r in strata}, key=int)
        years = sorted({y for _o, y, _r in strata})
        countries = self.ledger.countries
        frames = {
            "year": tuple(years),
            "country": tuple(
                c for c in Organisation.Country.values if c in {countries[o] for o in organisations}
            ),
        }
        categories = [frames.get(d) or definition.frame(d, organisations) for d in wanted.dims]
        boxes = table_boxes(definition, wanted.dims, categories, strata, countries)
        self.entries += [(wanted.name, labels, box) for labels, box in boxes]
        self.tables.append(
            {
                "name": wanted.name,
                "unit": wanted.space.split(":")[0],
                "dims": list(wanted.dims),
                "scope": {"organisations": organisations, "years": years},
                "categories": [list(c) for c in categories],
            }
        )

    def funnel(self, strata: list[Stratum]) -> None:
        """The funnel's steps, as counts of cases (each in its intake year)."""
        for step in FUNNEL:
            where = frozenset() if step.previous is None else frozenset({(step.key, YES)})
            self.entries.append(("funnel", (step.key,), Box("cases", where, frozenset(strata))))


def _draft(ledger: Ledger, scope: Scope, wanted: Sequence[Wanted], with_funnel: bool) -> _Draft:
    organisations = list(scope.organisations)
    strata = ledger.strata(organisations, range(scope.year_from, scope.year_to + 1))
    draft = _Draft(ledger)
    for table in wanted:
        if table.year_from is None:
            draft.table(table, strata)
        else:
            years = range(table.year_from, scope.year_to + 1)
            draft.table(table, ledger.strata(organisations, years))
    if with_funnel:
        draft.funnel(strata)
    return draft


def _serialised(
    draft: _Draft, protection: Protection, scope: Scope, threshold: int, rounding_base: int | None
) -> dict:
    """What may be shown: protected tables and funnel, as JSON-ready data."""
    cells = protection.cells
    tables = []
    for table in draft.tables:
        name = table["name"]
        labels = [labels for table_name, labels, _box in draft.entries if table_name == name]
        tables.append({**table, "cells": [[list(k), cells[name, k].value] for k in labels]})
    return {
        "threshold": threshold,
        "rounding_base": rounding_base,
        "tables": tables,
        "funnel": _protected_funnel(cells, scope, threshold)
        if ("funnel", ("documented",)) in cells
        else [],
    }


def _protected_funnel(cells: dict, scope: Scope, threshold: int) -> list[dict]:
    """The funnel's protected steps; shares of the step each is counted from, median days only
    over at least ``threshold`` cases."""
    counted = {s.key: s for s in funnel(scope)}
    steps = {step.key: cells["funnel", (step.key,)].value for step in FUNNEL}
    found = []
    for step in FUNNEL:
        n = steps[step.key]
        previous = steps[step.previous] if step.previous else None
        exact = counted[step.key]
        enough = n is not None and exact.median_over >= threshold
        found.append(
            {
                "key": step.key,
                "cases": n,
                "share_of_previous": round(n / previous, 3) if n is not None and previous else None,
                "median_days": round(exact.median_days) if enough and exact.median_days else None,
            }
        )
    return found


