"""From the register to a publication: standard tables, protected together, frozen as JSON.

Every number that leaves the organisation goes through ``kuzot.analysis.disclosure.protect``:
the tables of one publication are protected in one release (so margins and other tables cannot
give a withheld cell away), and act types — an act can have several — in a release of their
own. The funnel's steps are nested counts of cases, not a partition: a step below the threshold
is withheld.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.analysis.disclosure import Cell, ProtectedTable, Table, protect
from kuzot.cases.models import Sex, Term
from kuzot.stats.queries import AGE_GROUPS, DIMENSIONS, STEPS, UNKNOWN, Scope, count, funnel

STEP_LABELS = {key: label for key, _column, label in STEPS}


@dataclass(frozen=True)
class Choice:
    key: str
    dims: tuple[str, ...]
    title: str


STANDARD = [
    Choice("year_country", ("year", "country"), _("Acts by year and country")),
    Choice("agency", ("agency",), _("Acts by alleged perpetrator agency")),
    Choice("region", ("region",), _("Acts by region")),
    Choice("place_type", ("place_type",), _("Acts by type of place of detention")),
    Choice("context", ("context",), _("Acts by context")),
    Choice("sex_age", ("sex", "age_group"), _("Acts by victim's sex and age group")),
    Choice("year_agency", ("year", "agency"), _("Acts by year and agency")),
    Choice("act_type", ("act_type",), _("Acts by type (an act may have several)")),
]
CHOICES = {c.key: c for c in STANDARD}
ON_THEIR_OWN = {"act_type"}  # not a partition of acts: protected in a release of its own


def _table(scope: Scope, choice: Choice, fixed: dict) -> tuple[Table, dict[str, str]]:
    """The counts as a disclosure-control table, and region → country where regions appear."""
    if choice.dims == ("region",):
        pairs = count(scope, "region", "country")
        counts: dict[str, int] = defaultdict(int)
        nesting = {}
        for (region, country), n in pairs.items():
            code = region if region != UNKNOWN else f"{country.lower()}-{UNKNOWN}"
            counts[code] += n
            nesting[code] = country
        table = Table(choice.key, ("region",), (tuple(sorted(counts)),), dict(counts), fixed)
        return table, nesting
    counted = count(scope, *choice.dims)
    categories = tuple(
        tuple(sorted({key[i] for key in counted}, key=_order)) for i in range(len(choice.dims))
    )
    counts = {key if len(key) > 1 else key[0]: n for key, n in counted.items()}
    fixed = {k: v for k, v in fixed.items() if k not in choice.dims}
    return Table(choice.key, choice.dims, categories, counts, fixed), {}


def _order(category: str) -> tuple:
    ages = [label for label, _upper in AGE_GROUPS]
    if category in ages:
        return (0, ages.index(category), "")
    return (1 if category != UNKNOWN else 2, 0, category)


def _releases(tables: list[Table], linked: set[frozenset[str]]) -> list[list[Table]]:
    """Tables that share a variable (or a region and its country) are protected together;
    tables that share nothing but the grand total cannot give each other's cells away, and
    protecting them apart keeps the hidden cross-classification small enough to solve.
    A variable with one category in the whole publication (its period, say) is the grand
    total again: it links nothing."""
    categories: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        for dim, values in zip(table.dims, table.categories, strict=True):
            categories[dim].update(values)
        for variable, value in table.scope.items():
            categories[variable].add(value)
    constant = {variable for variable, values in categories.items() if len(values) == 1}
    groups: list[tuple[set[str], list[Table]]] = []
    for table in tables:
        variables = (set(table.dims) | set(table.scope)) - constant
        variables |= {v for pair in linked if pair & variables for v in pair}
        joined = [g for g in groups if g[0] & variables]
        merged = (
            variables.union(*(g[0] for g in joined)),
            [t for g in joined for t in g[1]] + [table],
        )
        groups = [g for g in groups if g not in joined] + [merged]
    return [members for _, members in groups]


def build_snapshot(
    scope: Scope,
    keys: list[str],
    threshold: int = 5,
    rounding_base: int | None = None,
    table_scope: dict | None = None,
) -> dict:
    """The publication's content: protected tables and the funnel, as JSON-ready data.

    ``table_scope`` fixes variables the tables do not show, e.g. ``{"year": "2024"}`` for a
    one-year publication, so that it can be checked against other publications."""
    chosen = [CHOICES[k] for k in keys if k in CHOICES]
    built = {c.key: _table(scope, c, table_scope or {}) for c in chosen}
    nesting = {code: country for _t, n in built.values() for code, country in n.items()}
    nested = {("region", "country"): nesting} if nesting else None
    linked = {frozenset({"region", "country"})} if nesting else set()
    protected = []
    empty = {key for key, (table, _n) in built.items() if not table.counts.sum()}
    partition = [t for k, (t, _n) in built.items() if k not in ON_THEIR_OWN | empty]
    for release in _releases(partition, linked):
        protected += protect(release, threshold, rounding_base, nested=nested)
    for key in (ON_THEIR_OWN & set(built)) - empty:
        protected += protect([built[key][0]], threshold, rounding_base)
    order = {c.key: i for i, c in enumerate(chosen)}
    protected.sort(key=lambda t: order[t.name])
    return {
        "threshold": threshold,
        "rounding_base": rounding_base,
        "nesting": nesting,
        "funnel": _protected_funnel(scope, threshold),
        "tables": [_serialise(t) for t in protected]
        + [_empty(built[key][0]) for key in sorted(empty, key=order.get)],
    }


def _protected_funnel(scope: Scope, threshold: int) -> list[dict]:
    steps = []
    for step in funnel(scope):
        shown = step.cases if step.cases == 0 or step.cases >= threshold else None
        steps.append(
            {"key": step.key, "cases": shown, "median_days": step.median_days if shown else None}
        )
    for previous, step in zip(steps, steps[1:], strict=False):
        both = previous["cases"] and step["cases"] is not None
        step["share_of_previous"] = round(step["cases"] / previous["cases"], 3) if both else None
    return steps


def _empty(table: Table) -> dict:
    """Nothing counted: nothing to protect, only zeros to show."""
    none = [None] * len(table.dims)
    return {
        "name": table.name,
        "dims": list(table.dims),
        "scope": dict(table.scope),
        "categories": [[] for _d in table.dims],
        "cells": [[none, 0]],
    }


def _serialise(table: ProtectedTable) -> dict:
    return {
        "name": table.name,
        "dims": list(table.dims),
        "scope": dict(table.scope),
        "categories": [list(c) for c in table.categories],
        "cells": [[list(labels), cell.value] for labels, cell in table.cells.items()],
    }


# --- Reading a snapshot back, in the reader's language -------------------------------------


def _russian_labels() -> bool:
    """Russian reads the Russian labels; Kyrgyz, Kazakh, Tajik and Uzbek readers too, until
    the vocabularies carry their languages."""
    return translation.get_language() not in ("en", None)


def label(dim: str, code: str) -> str:
    if code == UNKNOWN or code.endswith(f"-{UNKNOWN}"):
        return str(_("unknown"))
    if dim == "country":
        return str(dict(Organisation.Country.choices).get(code, code))
    if dim == "sex":
        return str(dict(Sex.choices).get(code, code))
    if dim in ("year", "age_group"):
        return code
    vocabulary = {"place_type": "place_type"}.get(dim, dim)
    term = Term.objects.filter(vocabulary=vocabulary, code=code, organisation=None).first()
    if term is None:
        return code
    return term.label_ru if _russian_labels() else term.label_en


def dim_label(dim: str) -> str:
    return str(DIMENSIONS[dim][1]) if dim in DIMENSIONS else dim


@dataclass(frozen=True)
class Grid:
    name: str
    title: str
    header: list[str]
    rows: list[list[str]]
    values: dict[tuple, int | None]


def grid(table: dict, withheld: str = "–", title: str | None = None) -> Grid:
    """Rows of text for a page, a CSV or a spreadsheet: labels in the reader's language."""
    cells = {tuple(labels): value for labels, value in table["cells"]}
    dims, categories = table["dims"], table["categories"]
    total = str(_("Total"))

    def text(labels: tuple) -> str:
        value = cells.get(labels)
        return withheld if value is None else str(value)

    if len(dims) == 1:
        header = [dim_label(dims[0]), str(_("Acts"))]
        rows = [[label(dims[0], c), text((c,))] for c in categories[0]]
        rows.append([total, text((None,))])
    else:
        header = [
            f"{dim_label(dims[0])} / {dim_label(dims[1])}",
            *(label(dims[1], c) for c in categories[1]),
            total,
        ]
        rows = [
            [label(dims[0], r), *(text((r, c)) for c in (*categories[1], None))]
            for r in categories[0]
        ]
        rows.append([total, *(text((None, c)) for c in (*categories[1], None))])
    title = title if title is not None else str(CHOICES[table["name"]].title)
    return Grid(table["name"], str(title), header, rows, cells)


def published_tables(content: dict) -> list[ProtectedTable]:
    """A snapshot's tables as the attacker sees them (values only), for ``audit``."""
    nested = {("region", "country"): content.get("nesting", {})}
    return [
        ProtectedTable(
            name=t["name"],
            dims=tuple(t["dims"]),
            categories=tuple(map(tuple, t["categories"])),
            scope=t.get("scope", {}),
            cells={tuple(labels): Cell(value) for labels, value in t["cells"]},
            threshold=content["threshold"],
            rounding_base=content["rounding_base"],
            nested=nested,
        )
        for t in content["tables"]
        if t["name"] not in ON_THEIR_OWN
    ]
