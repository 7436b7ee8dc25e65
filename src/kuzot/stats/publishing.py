"""From the register to what leaves the organisation: tables and the funnel as counts of the
ledger (``stats.ledger``), protected against everything released before, then shown in the
reader's language.

Every table lists the full frame of its categories (every region of the countries covered,
every term, every age group, "unknown"), so that a listed category says nothing about the data.
The act-type table counts mentions: an act may have several types, so its total counts
mentions, not acts. The funnel's steps are protected like table cells; its median days are
shown only over at least ``threshold`` cases.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.analysis.disclosure import Box, Labels, Protection, Stratum, table_boxes
from kuzot.cases.models import Person, Sex, Term
from kuzot.stats.ledger import YES, Ledger
from kuzot.stats.queries import DIMENSIONS, GROUPS, PREVIOUS, STEPS, UNKNOWN, Scope, funnel

STEP_LABELS = {key: label for key, _column, label in STEPS}


@dataclass(frozen=True)
class Choice:
    key: str
    dims: tuple[str, ...]
    title: str
    space: str = "acts"


STANDARD = [
    Choice("year_country", ("year", "country"), _("Acts by year and country")),
    Choice("agency", ("agency",), _("Acts by alleged perpetrator agency")),
    Choice("region", ("region",), _("Acts by region")),
    Choice("place_type", ("place_type",), _("Acts by type of place of detention")),
    Choice("context", ("context",), _("Acts by context")),
    Choice("sex_age", ("sex", "age_group"), _("Acts by victim's sex and age group")),
    Choice("year_agency", ("year", "agency"), _("Acts by year and agency")),
    Choice("act_type", ("act_type",), _("Acts by type (an act may have several)"), "mentions"),
]
CHOICES = {c.key: c for c in STANDARD}
# What a row of each space counts, said on every table.
UNITS = {
    "acts": _("Acts"),
    "mentions": _("Mentions (an act may have several types)"),
    "cases": _("Cases"),
    "victims": _("Victims"),
}
TOTALS = {"mentions": _("Total mentions")}


@dataclass
class Draft:
    """A release being prepared: its tables' cells as boxes of the ledger, and how to show
    them. Nothing in it is protected yet."""

    ledger: Ledger
    tables: list[dict] = field(default_factory=list)
    entries: list[tuple[str, Labels, Box]] = field(default_factory=list)

    def table(
        self,
        name: str,
        space: str,
        dims: tuple[str, ...],
        strata: list[Stratum],
        where: dict[str, str] | None = None,
    ) -> None:
        """A one- or two-way table over the full frame of its categories."""
        definition = self.ledger.spaces[space]
        organisations = sorted({o for o, _y, _r in strata}, key=int)
        years = sorted({y for _o, y, _r in strata})
        countries = self.ledger.countries
        frames = {
            "year": tuple(years),
            "country": tuple(
                c for c in Organisation.Country.values if c in {countries[o] for o in organisations}
            ),
        }
        categories = [frames.get(d) or definition.frame(d, organisations) for d in dims]
        boxes = table_boxes(definition, dims, categories, strata, countries, where)
        self.entries += [(name, labels, box) for labels, box in boxes]
        self.tables.append(
            {
                "name": name,
                "unit": space.split(":")[0],
                "dims": list(dims),
                "scope": {"organisations": organisations, "years": years},
                "categories": [list(c) for c in categories],
            }
        )

    def funnel(self, strata: list[Stratum]) -> None:
        """The funnel's steps, as counts of cases (each in its intake year)."""
        for key, _column, _label in STEPS:
            where = frozenset() if key == "documented" else frozenset({(key, YES)})
            self.entries.append(("funnel", (key,), Box("cases", where, frozenset(strata))))


def draft_statistics(
    ledger: Ledger,
    organisations: list[int],
    year_from: int,
    year_to: int,
    keys: list[str],
) -> Draft:
    """The standard tables chosen and the funnel, for these organisations and years."""
    strata = ledger.strata(organisations, range(year_from, year_to + 1))
    draft = Draft(ledger)
    for choice in (CHOICES[k] for k in keys if k in CHOICES):
        draft.table(choice.key, choice.space, choice.dims, strata)
    draft.funnel(strata)
    return draft


def shown(
    draft: Draft,
    protection: Protection,
    scope: Scope,
    threshold: int,
    rounding_base: int | None,
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
        "funnel": protected_funnel(cells, scope, threshold)
        if ("funnel", ("documented",)) in cells
        else [],
    }


def protected_funnel(cells: dict, scope: Scope, threshold: int) -> list[dict]:
    """The funnel's protected steps; shares of the step each is counted from (PREVIOUS), median
    days only over at least ``threshold`` cases."""
    counted = {s.key: s for s in funnel(scope)}
    steps = {key: cells["funnel", (key,)].value for key, _column, _label in STEPS}
    found = []
    for key, _column, _label in STEPS:
        n, previous = steps[key], steps.get(PREVIOUS.get(key, ""))
        step = counted[key]
        enough = n is not None and step.median_over >= threshold
        found.append(
            {
                "key": key,
                "cases": n,
                "share_of_previous": round(n / previous, 3) if n is not None and previous else None,
                "median_days": round(step.median_days) if enough and step.median_days else None,
            }
        )
    return found


# --- Reading a snapshot back, in the reader's language -------------------------------------


def label(dim: str, code: str) -> str:
    if code == UNKNOWN or code.endswith(f"-{UNKNOWN}"):
        return str(_("unknown"))
    if dim in ("country", "nationality"):
        if code == "other":
            return str(_("other"))
        return str(dict(Organisation.Country.choices).get(code, code))
    if dim == "sex":
        return str(dict(Sex.choices).get(code, code))
    if dim in ("year", "age_group"):
        return code
    if dim in GROUPS:
        return str(_("yes") if code == "yes" else _("no"))
    term = Term.objects.filter(vocabulary=dim, code=code).order_by("organisation_id").first()
    return code if term is None else term.label


def dim_label(dim: str) -> str:
    """A dimension's name in the reader's language (never its key)."""
    if dim == "nationality":
        return str(_("nationality"))
    if dim in GROUPS:
        return str(Person._meta.get_field(dim).verbose_name)
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
    unit = table.get("unit", "acts")
    total = str(TOTALS.get(unit, _("Total")))

    def text(labels: tuple) -> str:
        value = cells.get(labels)
        return withheld if value is None else str(value)

    if len(dims) == 1:
        header = [dim_label(dims[0]), str(UNITS.get(unit, _("Acts")))]
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
