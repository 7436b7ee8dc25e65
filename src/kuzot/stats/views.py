"""Statistics for the organisation and the coalition; publishing; the public site."""

import csv
import io

from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Organisation, Role
from kuzot.analysis.linkage import LinkageError
from kuzot.stats import actions, hidden
from kuzot.stats.charts import Bar, bar_chart, line_chart
from kuzot.stats.forms import ExploreForm, PublicationForm
from kuzot.stats.ledger import ReleaseRefused
from kuzot.stats.models import (
    LinkageContribution,
    LinkageRun,
    Publication,
    Release,
    ReviewDecision,
)
from kuzot.stats.publishing import Grid, grid, label, step_label
from kuzot.stats.reports import annual_report, year_refused

STATISTICS_ROLES = (Role.COORDINATOR, Role.ANALYST, Role.LAWYER, Role.MONITOR, Role.DOCTOR)


def chart_for(table: dict, chart_id: str, title: str | None = None) -> str:
    """A bar chart for one dimension; lines over the years when the rows are years."""
    shown = grid(table, title=title)
    cells = shown.values
    dims, categories = table["dims"], table["categories"]
    if len(dims) == 1:
        return bar_chart(
            chart_id, shown.title, [Bar(label(dims[0], c), cells.get((c,))) for c in categories[0]]
        )
    if dims[0] == "year" and categories[1:]:
        return line_chart(
            chart_id,
            shown.title,
            {
                label(dims[1], column): [
                    (year, cells.get((year, column))) for year in categories[0]
                ]
                for column in categories[1]
            },
        )
    return ""


def _funnel_rows(steps: list[dict]) -> list[dict]:
    return [{**step, "label": step_label(step["key"])} for step in steps]


def _body(content: dict, *, slug: str | None = None) -> dict:
    tables = [(grid(t), chart_for(t, f"chart-{t['name']}")) for t in content["tables"]]
    return {
        "funnel": _funnel_rows(content["funnel"]),
        "tables": tables,
        "slug": slug,
        "threshold": content["threshold"],
        "rounding_base": content["rounding_base"],
    }


# --- Inside the organisation ---------------------------------------------------------------


@staff_required(*STATISTICS_ROLES)
def explore(request):
    form = ExploreForm(request.GET or None)
    data = (
        form.cleaned_data
        if form.is_valid()
        else {"rows": "year", "columns": "", "coalition": False}
    )
    if request.GET.get("coalition") and request.user.role in (Role.COORDINATOR, Role.ANALYST):
        return _coalition_view(request, form)
    numbers = actions.own_numbers(
        request.user,
        (data["rows"], data.get("columns")),
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
    )
    (content,) = numbers["tables"]
    return render(
        request,
        "stats/explore.html",
        {
            "form": form,
            "coalition": False,
            "funnel": _funnel_rows(numbers["funnel"]),
            "grid": grid(content, title=_("Acts")),
            "chart": chart_for(content, "chart-explore", title=_("Acts")),
        },
    )


def _coalition_view(request, form):
    """The coalition's combined numbers: the latest coalition view, a release of the ledger
    (other organisations' numbers reach members only through it). POST refreshes it."""
    if request.method == "POST":
        try:
            actions.refresh_coalition_view(request.user)
        except ReleaseRefused as refused:
            messages.error(request, _refused(refused))
        return redirect(f"{request.path}?coalition=on")
    latest = (
        Release.objects.filter(
            coalition_id=request.user.organisation.coalition_id,
            kind=Release.Kind.COALITION_VIEW,
        )
        .order_by("released_at", "id")
        .last()
    )
    return render(
        request,
        "stats/explore.html",
        {
            "form": form,
            "coalition": True,
            "view": latest,
            **(_body(latest.content) if latest else {}),
        },
    )


def _refused(refused: Exception) -> str:
    return _(
        "Nothing was released: it could not be shown that these numbers, together with "
        "everything released before, keep every small number safe (%(why)s). Choose fewer "
        "tables, another period or a higher smallest number; if the check ran out of time, "
        "ask the administrator for more (KUZOT_DISCLOSURE_SECONDS)."
    ) % {"why": refused}


@staff_required(Role.COORDINATOR)
def publications(request):
    form = PublicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        options = {
            k: form.cleaned_data[k]
            for k in (
                "coalition_wide",
                "year_from",
                "year_to",
                "tables",
                "threshold",
                "rounding_base",
                "sensitive",
            )
        }
        try:
            if "publish" not in request.POST:
                content = actions.preview(request.user, **options)
                return render(
                    request,
                    "stats/preview.html",
                    {"form": form, "title": form.cleaned_data["title"], **_body(content)},
                )
            publication = actions.publish(request.user, title=form.cleaned_data["title"], **options)
        except ReleaseRefused as refused:
            messages.error(request, _refused(refused))
        else:
            messages.success(request, _("Published."))
            return redirect("public_publication", slug=publication.slug)
    published = Publication.objects.filter(coalition_id=request.user.organisation.coalition_id)
    return render(request, "stats/publications.html", {"form": form, "published": published})


@staff_required(Role.COORDINATOR, Role.ANALYST)
def report(request, year: int):
    """The annual report of the organisation (or ?coalition=1) as PDF, in ?language=en|ru."""
    if refused := year_refused(year):
        messages.error(request, refused)
        return redirect("statistics")
    language = (
        request.GET.get("language")
        if request.GET.get("language") in ("en", "ru")
        else (translation.get_language() if translation.get_language() in ("en", "ru") else "en")
    )
    coalition = bool(request.GET.get("coalition"))
    organisation = None if coalition else request.user.organisation
    name = _("Coalition") if coalition else request.user.organisation.name
    try:
        pdf = annual_report(
            request.user,
            organisation,
            request.user.organisation.coalition_id,
            year,
            language,
            title=f"{name} — {year}",
        )
    except ReleaseRefused as refused:
        messages.error(request, _refused(refused))
        return redirect("statistics")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kuzot-report-{year}.pdf"'
    return response


# --- The public site -----------------------------------------------------------------------

_rendered: dict[tuple[str, str], str] = {}  # publications never change: render each once
# Stands for the visitor's own CSRF token (the language form's) in a cached page.
_CSRF_PLACEHOLDER = "kuzot-csrf-placeholder"


def public_index(request):
    return render(
        request,
        "stats/public_index.html",
        {"publications": Publication.objects.select_related("organisation")},
    )


def _publication_page(slug: str) -> dict:
    publication = get_object_or_404(Publication, slug=slug)
    return {"publication": publication, **_body(publication.content, slug=slug)}


def public_publication(request, slug: str):
    """Rendered once per language; each visitor gets their own CSRF token in it, and a
    visitor with a message waiting (e.g. "Published.") gets a page of their own."""
    if get_messages(request):
        return render(request, "stats/public_publication.html", _publication_page(slug))
    key = (slug, translation.get_language())
    if key not in _rendered:
        _rendered[key] = render_to_string(
            "stats/public_publication.html",
            {**_publication_page(slug), "csrf_token": _CSRF_PLACEHOLDER, "messages": ()},
            request,
        )
    return HttpResponse(_rendered[key].replace(_CSRF_PLACEHOLDER, get_token(request)))


def _table_of(slug: str, name: str) -> tuple[Publication, Grid]:
    publication = get_object_or_404(Publication, slug=slug)
    for table in publication.content["tables"]:
        if table["name"] == name:
            return publication, grid(table)
    raise Http404


def public_csv(request, slug: str, name: str):
    publication, shown = _table_of(slug, name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{name}.csv"'
    response.write("\ufeff")  # spreadsheets then read the Cyrillic right
    writer = csv.writer(response)
    writer.writerows([[shown.title], shown.header, *shown.rows, [_footnote(publication)]])
    return response


def public_xlsx(request, slug: str, name: str):
    publication, shown = _table_of(slug, name)
    book = Workbook()
    sheet = book.active
    sheet.title = name[:31]
    for row in [[shown.title], shown.header, *shown.rows, [_footnote(publication)]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-{name}.xlsx"'
    return response


def public_chart(request, slug: str, name: str):
    """An embeddable chart: <img src="…/chart.svg"> on any website."""
    publication = get_object_or_404(Publication, slug=slug)
    table = next((t for t in publication.content["tables"] if t["name"] == name), None)
    svg = chart_for(table, f"chart-{name}") if table else ""
    if not svg:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _footnote(publication: Publication) -> str:
    note = _("– fewer than %(n)d, or withheld so that such numbers cannot be worked out.") % {
        "n": publication.threshold
    }
    if publication.rounding_base:
        note += " " + _("Numbers are rounded to the nearest %(base)d.") % {
            "base": publication.rounding_base
        }
    return note


# --- The hidden figure ---------------------------------------------------------------------


@staff_required(Role.COORDINATOR, Role.ANALYST)
def hidden_figure(request):
    """The latest estimates, for coordinators and analysts; coordinators contribute records
    and run the analysis (matching opens names, which analysts do not see)."""
    organisation = request.user.organisation
    if request.method == "POST" and not request.user.is_coordinator:
        raise PermissionDenied
    if request.method == "POST" and "contribute" in request.POST:
        recipient = get_object_or_404(
            Organisation, pk=request.POST.get("recipient"), coalition_id=organisation.coalition_id
        )
        try:
            contribution = hidden.contribute(request.user, request.keyring, recipient)
        except PermissionError:
            messages.error(request, _("Records go to another member of the coalition."))
        else:
            messages.success(
                request,
                _("%(n)d records sealed for %(org)s.")
                % {"n": contribution.records, "org": recipient},
            )
        return redirect("hidden_figure")
    if request.method == "POST" and "run" in request.POST:
        try:
            hidden.run(request.user, request.keyring)
        except (ValueError, LinkageError) as error:
            messages.error(request, _("The analysis could not run: %(why)s") % {"why": error})
        return redirect("hidden_figure")
    latest = LinkageRun.objects.filter(organisation=organisation).first()
    return render(
        request,
        "stats/hidden_figure.html",
        {
            "received": LinkageContribution.objects.filter(recipient=organisation).select_related(
                "contributor"
            ),
            "members": Organisation.objects.filter(coalition_id=organisation.coalition_id).exclude(
                pk=organisation.pk
            ),
            "latest": latest,
            "chart": _estimates_chart(latest) if latest else "",
        },
    )


def _estimates_chart(linkage: LinkageRun) -> str:
    """LCMCR's estimate per stratum (log-linear's where LCMCR has none)."""
    bars = []
    for s in linkage.estimates.get("strata", []) if isinstance(linkage.estimates, dict) else []:
        for method in ("lcmcr", "loglinear"):
            if "estimate" in s["estimates"].get(method, {}):
                name = " ".join(s["stratum"].values())
                bars.append(Bar(name, round(s["estimates"][method]["estimate"])))
                break
    return bar_chart("hidden-figure", _("Estimated number of victims"), bars) if bars else ""


@staff_required(Role.COORDINATOR)
def hidden_figure_review(request):
    """Uncertain pairs side by side, names opened in memory for this page only."""
    if request.method == "POST":
        hidden.decide(
            request.user,
            request.POST.get("left", ""),
            request.POST.get("right", ""),
            request.POST.get("same") == "yes",
        )
        return redirect("hidden_figure_review")
    latest = LinkageRun.objects.filter(organisation=request.user.organisation).first()
    pairs = []
    if latest and latest.uncertain:
        rows = {
            f"{r['source']}:{r['record_id']}": r
            for r in hidden.gather(request.user, request.keyring)
        }
        decided = {
            (d.left, d.right)
            for d in ReviewDecision.objects.filter(organisation=request.user.organisation)
        }
        pairs = [
            (rows.get(left), rows.get(right), left, right, p)
            for left, right, p in latest.uncertain
            if tuple(sorted([left, right])) not in decided
        ]
    return render(request, "stats/hidden_figure_review.html", {"pairs": pairs[:50]})
