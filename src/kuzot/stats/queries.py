"""The numbers: the accountability funnel and counts by any one or two dimensions.

Everything is computed inside the database from categorical fields only (no identity is ever
read), so the same code serves an organisation, the coalition, and the benchmarks.

What is counted: *acts* (allegations) for the tables — an act with two act types counts once
under each of them, so act-type columns can add up to more than the total; *cases* for the
funnel. The victim's sex, age and vulnerable groups are the act's own copies
(``Allegation.victim_copies``): no table joins the people.

"In year Y" has one meaning per unit: an act counts in the year it happened, a case in the year
the organisation took it in (its intake date) — every case in exactly one year, including cases
with no act recorded yet.
"""

import statistics
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from kuzot.cases import schema
from kuzot.cases.models import Allegation, Person
from kuzot.cases.models import Case as CaseFile

UNKNOWN = "unknown"
AGE_GROUPS = [("0-17", 18), ("18-29", 30), ("30-44", 45), ("45-59", 60), ("60+", 200)]


def _expression(dimension: schema.Dimension):
    """What a declared dimension counts, over an act: a date by its year, a birth year (the
    act's copy of the victim's age) by age group, anything else as it is."""
    if dimension.lookup == "victim_age":
        return Case(
            *[When(victim_age__lt=upper, then=Value(label)) for label, upper in AGE_GROUPS],
            default=Value(UNKNOWN),
        )
    if dimension.lookup == "date":
        return ExtractYear("date")
    return F(dimension.lookup)


# dimension → (expression over an allegation, its label): the declared ones (cases.schema)
DIMENSIONS = {d.key: (_expression(d), d.label) for _field, d in schema.dimensions()}
# Victims may belong to several groups at once: each is its own yes/no dimension.
GROUPS = Person.VULNERABLE_GROUPS


@dataclass(frozen=True)
class Scope:
    """Which acts and cases count: organisations, years (of the act; of a case's intake), and
    category filters (a case counts if one of its acts matches them)."""

    organisations: tuple[int, ...]
    year_from: int | None = None
    year_to: int | None = None
    filters: tuple[tuple[str, str], ...] = ()  # (dimension, category), e.g. ("agency", "police")

    def acts(self) -> QuerySet[Allegation]:
        acts = Allegation.objects.filter(organisation_id__in=self.organisations)
        if self.year_from:
            acts = acts.filter(date__year__gte=self.year_from)
        if self.year_to:
            acts = acts.filter(date__year__lte=self.year_to)
        for dimension, category in self.filters:
            acts = _where(acts, dimension, category)
        return acts

    def cases(self) -> QuerySet[CaseFile]:
        cases = CaseFile.objects.filter(organisation_id__in=self.organisations)
        if self.year_from:
            cases = cases.filter(intake_date__year__gte=self.year_from)
        if self.year_to:
            cases = cases.filter(intake_date__year__lte=self.year_to)
        if self.filters:
            acts = Allegation.objects.filter(organisation_id__in=self.organisations)
            for dimension, category in self.filters:
                acts = _where(acts, dimension, category)
            cases = cases.filter(pk__in=acts.values("case_id"))
        return cases


def _where(acts: QuerySet[Allegation], dimension: str, category: str) -> QuerySet[Allegation]:
    if dimension in GROUPS:
        return acts.filter(**{f"victim_{dimension}": category in ("yes", True, "True")})
    expression = DIMENSIONS[dimension][0]
    alias = f"_filter_{dimension}"
    return acts.alias(**{alias: expression}).filter(**{alias: _category(category)})


def _category(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _label(value) -> str:
    return UNKNOWN if value in (None, "") else str(value)


def count(scope: Scope, rows: str, columns: str | None = None) -> dict[tuple[str, ...], int]:
    """Acts counted by one or two dimensions: {(row,) or (row, column): n}."""
    dims = [d for d in (rows, columns) if d]
    acts = scope.acts()
    annotations, fields = {}, []
    for dim in dims:
        if dim in GROUPS:
            fields.append(f"victim_{dim}")
        else:
            annotations[f"_{dim}"] = DIMENSIONS[dim][0]
            fields.append(f"_{dim}")
    counted = acts.annotate(**annotations).values(*fields).annotate(n=Count("pk")).order_by()
    result: Counter = Counter()
    for row in counted:
        key = tuple(
            ("yes" if row[f] else "no") if dim in GROUPS else _label(row[f])
            for dim, f in zip(dims, fields, strict=True)
        )
        result[key] += row["n"]
    return dict(result)


def time_series(scope: Scope, by: str | None = None) -> dict[tuple[str, ...], int]:
    """Acts per year (and per category of ``by``)."""
    return count(scope, "year", by)


# --- The accountability funnel -------------------------------------------------------------

@dataclass(frozen=True)
class FunnelStep:
    """A step of the funnel: the case's date column that says it was reached, and the step its
    share and days are counted from."""

    key: str
    column: str
    label: str
    previous: str | None


# The one registry of the funnel's steps, in order. Torture convictions are a subset of
# convictions: compensation is counted from all convictions (of any article).
FUNNEL = (
    FunnelStep("documented", "intake_date", _("allegations documented"), None),
    FunnelStep("complaint", "complaint_on", _("complaints lodged"), "documented"),
    FunnelStep("registered", "registered_on", _("complaints registered"), "complaint"),
    FunnelStep("criminal_case", "criminal_case_on", _("criminal cases opened"), "registered"),
    FunnelStep("court", "court_on", _("cases reaching court"), "criminal_case"),
    FunnelStep("conviction", "conviction_on", _("convictions (any article)"), "court"),
    FunnelStep(
        "torture_conviction",
        "torture_conviction_on",
        _("convictions under the torture article"),
        "conviction",
    ),
    FunnelStep(
        "compensation_awarded", "compensation_awarded_on", _("compensation awarded"), "conviction"
    ),
    FunnelStep(
        "compensation_paid", "compensation_paid_on", _("compensation paid"), "compensation_awarded"
    ),
)
STEP = {step.key: step for step in FUNNEL}
OPEN = [CaseFile.Status.OPEN, CaseFile.Status.MONITORING]


class Registry:
    """The one registry of what the statistics count by: every dimension a table can have
    (``DIMENSIONS``; each vulnerable group, yes or no; the CAT table's nationality of victims)
    with its label, and the funnel's steps. Forms, tables, charts and downloads read it."""

    steps = FUNNEL

    def dimensions(self) -> dict[str, str]:
        """Every dimension of acts, key → label (lazy: translated when shown)."""
        return {
            **{key: label for key, (_expression, label) in DIMENSIONS.items()},
            **{group: Person._meta.get_field(group).verbose_name for group in GROUPS},
        }

    def label(self, key: str) -> str:
        return str({**self.dimensions(), "nationality": _("nationality")}.get(key, key))

    def step(self, key: str) -> FunnelStep:
        return STEP[key]


REGISTRY = Registry()


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    cases: int
    share_of_previous: float | None  # of its previous step
    share_of_documented: float | None
    median_days: float | None  # from its previous step, for the cases that reached both
    median_over: int  # how many cases reached both
    still_open: int


class _Median(Aggregate):
    """PostgreSQL's median; SQLite has none, so there Python computes it."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class _DaysBetween(Func):
    """``later - earlier`` for two dates on PostgreSQL: whole days, which sort faster than the
    intervals Django's date subtraction gives."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def _gaps() -> list[tuple[str, str, str]]:
    """(step, its column, the previous step's column): the gaps whose median days are shown."""
    return [(s.key, s.column, STEP[s.previous].column) for s in FUNNEL if s.previous]


def _both(later: str, earlier: str) -> Q:
    return Q(**{f"{later}__isnull": False, f"{earlier}__isnull": False})


def _median_days_in_python(cases: QuerySet[CaseFile]) -> dict[str, float | int | None]:
    out = {}
    for key, later, earlier in _gaps():
        both = cases.filter(_both(later, earlier))
        gaps = [(b - a).days for a, b in both.values_list(earlier, later)]
        out[f"{key}_median"] = float(statistics.median(gaps)) if gaps else None
        out[f"{key}_over"] = len(gaps)
    return out


def funnel(scope: Scope) -> list[Step]:
    """Allegations documented → … → compensation paid, derived from the legal paths.

    On PostgreSQL one query gives every count and every median (days from the previous step,
    over the cases that reached both); elsewhere Python computes the medians."""
    cases = scope.cases()
    postgresql = connection.vendor == "postgresql"
    totals = cases.aggregate(
        **{s.key: Count("pk", filter=Q(**{f"{s.column}__isnull": False})) for s in FUNNEL},
        **{
            f"{s.key}_open": Count(
                "pk", filter=Q(**{f"{s.column}__isnull": False}, status__in=OPEN)
            )
            for s in FUNNEL
        },
        **{
            f"{key}_median": _Median(_DaysBetween(later, earlier), filter=_both(later, earlier))
            for key, later, earlier in (_gaps() if postgresql else [])
        },
        **{
            f"{key}_over": Count("pk", filter=_both(later, earlier))
            for key, later, earlier in (_gaps() if postgresql else [])
        },
    )
    medians = (
        {
            name: totals[name]
            for key, _later, _earlier in _gaps()
            for name in (f"{key}_median", f"{key}_over")
        }
        if postgresql
        else _median_days_in_python(cases)
    )
    documented = totals["documented"]
    steps = []
    for step in FUNNEL:
        key = step.key
        n, previous = totals[key], totals.get(step.previous or "")
        steps.append(
            Step(
                key=key,
                label=str(step.label),
                cases=n,
                share_of_previous=(n / previous) if previous else None,
                share_of_documented=(n / documented) if documented else None,
                median_days=medians.get(f"{key}_median"),
                median_over=medians.get(f"{key}_over", 0),
                still_open=totals[f"{key}_open"],
            )
        )
    return steps
