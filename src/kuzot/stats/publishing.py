"""The standard tables, and tables (``stats.pipeline``'s content) shown in the reader's
language: on a page, in a CSV or a spreadsheet, in the report.

The act-type table counts mentions: an act may have several types, so its total counts
mentions, not acts.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.cases.models import Sex, Term
from kuzot.stats.pipeline import Wanted
from kuzot.stats.queries import GROUPS, REGISTRY, UNKNOWN


@dataclass(frozen=True)
class Choice:
    key: str
    dims: tuple[str, ...]
    title: str
    space: str = "acts"

    @property
    def wanted(self) -> Wanted:
        return Wanted(self.key, self.dims, self.space)


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


# --- Reading a snapshot back, in the reader's language -------------------------------------


def step_label(key: str) -> str:
    return str(REGISTRY.step(key).label)


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
    return REGISTRY.label(dim)


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
