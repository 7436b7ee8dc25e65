"""The annual report as PDF (HTML rendered by WeasyPrint), in English or Russian.

Every number in it has been through disclosure control, like any publication: the report
leaves the organisation.
"""

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuzot.analysis.disclosure import Table, protect
from kuzot.cases.models import Case, LegalEvent
from kuzot.stats.publishing import STEP_LABELS, build_snapshot, grid
from kuzot.stats.queries import UNKNOWN, Scope

Kind = LegalEvent.Kind
FIRST_YEAR = 1991  # the first year statistics are asked for (stats.forms.YEARS)


def year_refused(year: int) -> str:
    """Why there is no annual report for ``year``; empty when there is one."""
    last = date.today().year
    if FIRST_YEAR <= year <= last:
        return ""
    return _(
        "There is no annual report for %(year)s: choose a year from %(first)s to %(last)s."
    ) % {
        "year": year,
        "first": FIRST_YEAR,
        "last": last,
    }


# What the Committee against Torture asks states to report, from the legal paths.
CAT_ROWS = [
    ("complaints", gettext_lazy("Complaints"), Q(complaint_on__isnull=False)),
    (
        "investigations",
        gettext_lazy("Criminal investigations opened"),
        Q(criminal_case_on__isnull=False),
    ),
    ("prosecutions", gettext_lazy("Prosecutions (cases in court)"), Q(court_on__isnull=False)),
    ("convictions", gettext_lazy("Convictions"), Q(conviction_on__isnull=False)),
    ("sentences", gettext_lazy("Sentences handed down"), Q(legal_events__kind=Kind.SENTENCE)),
    (
        "redress",
        gettext_lazy("Redress: compensation awarded"),
        Q(compensation_awarded_on__isnull=False),
    ),
]
CAT_BY = {
    "sex": F("parties__person__sex"),
    "nationality": F("parties__person__nationality"),
    "place_type": F("allegations__place_of_detention__kind__code"),
}
CAT_TITLES = {
    "sex": gettext_lazy("by sex"),
    "nationality": gettext_lazy("by nationality"),
    "place_type": gettext_lazy("by type of place of detention"),
}
REPORT_TABLES = ["agency", "act_type", "place_type", "region"]


def _protected(name: str, dims: tuple[str, ...], counted: dict, threshold: int) -> dict:
    categories = tuple(tuple(sorted({k[i] for k in counted})) for i in range(len(dims)))
    if not counted:
        return {
            "name": name,
            "dims": list(dims),
            "categories": [[]] * len(dims),
            "cells": [[[None] * len(dims), 0]],
        }
    table = protect(
        [Table(name, dims, categories, {k if len(k) > 1 else k[0]: n for k, n in counted.items()})],
        threshold,
    )[0]
    return {
        "name": name,
        "dims": list(dims),
        "categories": [list(c) for c in categories],
        "cells": [[list(k), c.value] for k, c in table.cells.items()],
    }


def _new_cases(scope: Scope, threshold: int) -> dict:
    """New cases by intake year and country ("in 2016 the coalitions registered …")."""
    rows = (
        Case.objects.filter(organisation_id__in=scope.organisations)
        .annotate(y=ExtractYear("intake_date"), c=F("organisation__country"))
        .values("y", "c")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if scope.year_from:
        rows = rows.filter(intake_date__year__gte=scope.year_from)
    if scope.year_to:
        rows = rows.filter(intake_date__year__lte=scope.year_to)
    return _protected(
        "new_cases", ("year", "country"), {(str(r["y"]), r["c"]): r["n"] for r in rows}, threshold
    )


def _cat_table(scope: Scope, by: str, threshold: int) -> list[list[str]]:
    """Rows of the CAT table for one disaggregation: each step's cases by category."""
    cases = Case.objects.filter(pk__in=scope.cases().values("pk"))
    header, body = None, []
    for key, title, condition in CAT_ROWS:
        counted = {}
        for row in (
            cases.filter(condition)
            .annotate(_by=CAT_BY[by])
            .values("_by")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        ):
            category = row["_by"] or UNKNOWN
            counted[(category,)] = counted.get((category,), 0) + row["n"]
        shown = grid(_protected(key, (by,), counted, threshold), title=str(title))
        values = dict(zip([r[0] for r in shown.rows], [r[1] for r in shown.rows], strict=True))
        header = sorted(set(header or []) | set(values))
        body.append((str(title), values))
    total = str(_("Total"))
    columns = [c for c in header if c != total] + [total]
    return [[_("Step"), *columns], *([t, *(v.get(c, "0") for c in columns)] for t, v in body)]


def annual_report(
    scope: Scope, year: int, language: str, *, title: str, threshold: int = 5
) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        year_scope = Scope(scope.organisations, year, year)
        snapshot = build_snapshot(
            year_scope, REPORT_TABLES, threshold, table_scope={"year": str(year)}
        )
        history = _new_cases(Scope(scope.organisations, year - 4, year), threshold)
        html = render_to_string(
            "stats/report.html",
            {
                "title": title,
                "year": year,
                "threshold": threshold,
                "new_cases": grid(history, title=_("New cases by year and country")),
                "funnel": [{**s, "label": STEP_LABELS[s["key"]]} for s in snapshot["funnel"]],
                "tables": [grid(t) for t in snapshot["tables"]],
                "cat": [(CAT_TITLES[by], _cat_table(year_scope, by, threshold)) for by in CAT_BY],
            },
        )
        return HTML(string=html).write_pdf()
