"""The annual report as PDF (HTML rendered by WeasyPrint), in English or Russian.

The report leaves the organisation: it is a release of the ledger like a publication, protected
against everything released before and recorded. Asking again for a report whose numbers would
be the same (same scope, year and revisions of the data) shows the recorded numbers again.

What it counts: new cases by the year the organisation took them in; the funnel of the year's
cases; acts of the year; and the table the Committee against Torture asks for, which counts
*victims* — each victim of each case of the year, by the victim's sex and nationality and by the
type of place of the case's first act.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuzot.accounts.models import Organisation, User
from kuzot.stats.actions import release_numbers
from kuzot.stats.figures import chart_for, funnel_chart
from kuzot.stats.ledger import CAT_STEPS, CAT_VARIABLES, victims
from kuzot.stats.models import Release
from kuzot.stats.pipeline import Wanted
from kuzot.stats.publishing import CHOICES, grid, label, step_label
from kuzot.stats.queries import Scope

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


def _organisations(organisation: Organisation | None, coalition_id: int) -> list[int]:
    """The organisation's id, or every member's of the coalition."""
    if organisation is not None:
        return [organisation.pk]
    return list(Organisation.objects.filter(coalition_id=coalition_id).values_list("pk", flat=True))


def year_without_data(organisation: Organisation | None, coalition_id: int, year: int) -> str:
    """Why the report of ``year`` would be empty (no case taken in, no act that year); empty
    when there is something to report."""
    scope = Scope(tuple(_organisations(organisation, coalition_id)), year, year)
    if scope.cases().exists() or scope.acts().exists():
        return ""
    return _(
        "There is no data for %(year)s: no case was taken in and no act happened that year, "
        "so the report would be empty."
    ) % {"year": year}


def report_years(organisation: Organisation, last: int = 5) -> list[int]:
    """The ``last`` most recent years the organisation has a report for (cases taken in, or
    acts, that year), newest first."""
    scope = Scope((organisation.pk,))
    years = {d.year for d in scope.cases().dates("intake_date", "year")}
    years |= {d.year for d in scope.acts().dates("date", "year")}
    first, now = FIRST_YEAR, date.today().year
    return sorted((y for y in years if first <= y <= now), reverse=True)[:last]


CAT_ROWS = {
    "complaints": gettext_lazy("Complaints"),
    "investigations": gettext_lazy("Criminal investigations opened"),
    "prosecutions": gettext_lazy("Prosecutions (cases in court)"),
    "convictions": gettext_lazy("Convictions (final)"),
    "sentences": gettext_lazy("Sentences handed down"),
    "redress": gettext_lazy("Redress: compensation awarded"),
}
CAT_TITLES = {
    "sex": gettext_lazy("Victims by sex"),
    "nationality": gettext_lazy("Victims by nationality"),
    "place_type": gettext_lazy("Victims by type of place of detention (of the case's first act)"),
}
REPORT_TABLES = ["agency", "act_type", "place_type", "region"]
HISTORY_YEARS = 5


def report_numbers(
    actor: User | None,
    organisation: Organisation | None,
    coalition_id: int,
    year: int,
    threshold: int,
) -> dict:
    """The report's protected numbers: recorded in the ledger now, or recorded before (every
    report made is audited)."""
    organisations = _organisations(organisation, coalition_id)
    wanted = [
        Wanted("new_cases", ("year", "country"), "cases", year_from=year - HISTORY_YEARS + 1),
        *(CHOICES[key].wanted for key in REPORT_TABLES),
        *(
            Wanted(f"cat_{by}_{step}", (by,), victims(step))
            for by in CAT_VARIABLES
            for step in CAT_STEPS
        ),
    ]
    return release_numbers(
        actor,
        Release.Kind.REPORT,
        coalition_id=coalition_id,
        organisation=organisation,
        scope=Scope(tuple(organisations), year, year),
        threshold=threshold,
        wanted=wanted,
        detail={"report": year, "coalition": organisation is None},
    ).content


def organisation_name(organisation: Organisation | None, language: str) -> str:
    """The name a report in ``language`` gives its organisation, or the coalition's word.

    An organisation's name has a label per language (``kuzot.languages``), with Russian then
    English where the language's is missing."""
    if organisation is None:
        with translation.override(language):
            return _("Coalition")
    return organisation.label_in(language)


def report_title(organisation: Organisation | None, year: int, language: str) -> str:
    return f"{organisation_name(organisation, language)} — {year}"


def _cat_table(content: dict, by: str) -> list[list[str]]:
    """One CAT table: a row per step, a column per category, victims in each."""
    tables = {t["name"]: t for t in content["tables"]}
    first = tables[f"cat_{by}_complaints"]
    columns = first["categories"][0]
    header = [_("Victims at each step"), *(label(by, c) for c in columns), _("Total")]
    rows = []
    for step, title in CAT_ROWS.items():
        shown_cells = grid(tables[f"cat_{by}_{step}"], title="").values
        rows.append([str(title), *(_text(shown_cells.get((c,))) for c in (*columns, None))])
    return [header, *rows]


def _text(value: int | None) -> str:
    return "–" if value is None else str(value)


def annual_report(
    actor: User | None,
    organisation: Organisation | None,
    coalition_id: int,
    year: int,
    language: str,
    *,
    title: str = "",
    threshold: int = 5,
) -> bytes:
    """The PDF (raises ReleaseRefused when its numbers cannot be shown safely); its title is
    ``report_title`` unless given."""
    from weasyprint import HTML

    content = report_numbers(actor, organisation, coalition_id, year, threshold)
    tables = {t["name"]: t for t in content["tables"]}
    with translation.override(language):
        new_cases = grid(tables["new_cases"], title=_("New cases by year and country"))
        funnel = [{**s, "label": step_label(s["key"])} for s in content["funnel"]]
        shown = [grid(tables[key]) for key in REPORT_TABLES]
        html = render_to_string(
            "stats/report.html",
            {
                "title": title or report_title(organisation, year, language),
                "year": year,
                "threshold": threshold,
                "new_cases": new_cases,
                "new_cases_chart": chart_for(tables["new_cases"], "new-cases", new_cases.title),
                "funnel": funnel,
                "funnel_chart": funnel_chart(funnel, "funnel"),
                "tables": [(g, chart_for(tables[g.name], g.name, g.title)) for g in shown],
                "cat": [(CAT_TITLES[by], _cat_table(content, by)) for by in CAT_VARIABLES],
            },
        )
        return HTML(string=html).write_pdf()
