"""Statistics for the organisation and the coalition; publishing; the public site."""

from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Organisation, Role
from kuzot.jobs.actions import start_job
from kuzot.jobs.keys import NoWorker
from kuzot.stats import actions, hidden
from kuzot.stats.charts import Bar, bar_chart
from kuzot.stats.downloads import table_file
from kuzot.stats.figures import chart_for, funnel_chart, map_for
from kuzot.stats.forms import ExploreForm, PublicationForm
from kuzot.stats.jobs import refused_message
from kuzot.stats.ledger import ReleaseRefused
from kuzot.stats.models import (
    LinkageContribution,
    LinkageRun,
    Publication,
    ReviewDecision,
)
from kuzot.stats.publishing import Grid, dim_label, grid, step_label
from kuzot.stats.reports import report_years, year_refused, year_without_data
from kuzot.stats.selectors import latest_coalition_view

STATISTICS_ROLES = (Role.COORDINATOR, Role.ANALYST, Role.LAWYER, Role.MONITOR, Role.DOCTOR)
REPORT_ROLES = (Role.COORDINATOR, Role.ANALYST)


def _funnel_rows(steps: list[dict]) -> list[dict]:
    return [{**step, "label": step_label(step["key"])} for step in steps]


def _shown_table(table: dict, title: str | None = None) -> tuple[Grid, str, str]:
    """A table as a page shows it: its grid, its chart and (a region table) its map."""
    shown = grid(table, title=title)
    chart_id = f"chart-{table['name']}"
    return (
        shown,
        chart_for(table, chart_id, shown.title),
        map_for(table, f"map-{table['name']}", shown.title),
    )


def _body(content: dict, *, slug: str | None = None) -> dict:
    funnel_steps = _funnel_rows(content["funnel"])
    return {
        "funnel": funnel_steps,
        "funnel_chart": funnel_chart(funnel_steps, "chart-funnel") if funnel_steps else "",
        "tables": [_shown_table(t) for t in content["tables"]],
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
    dims = content["dims"]
    names = {"rows": dim_label(dims[0]), "columns": dim_label(dims[-1])}
    if len(dims) > 1:
        title = _("Acts by %(rows)s and %(columns)s") % names
    else:
        title = _("Acts by %(rows)s") % names
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_file(content, request.GET["format"], "kuzot-statistics")
    steps = _funnel_rows(numbers["funnel"])
    download = request.GET.copy()
    download.pop("coalition", None)
    return render(
        request,
        "stats/explore.html",
        {
            "form": form,
            "coalition": False,
            "funnel": steps,
            "funnel_chart": funnel_chart(steps, "chart-funnel"),
            "tables": [_shown_table(content, title)],
            "downloads": {f: _with(download, format=f) for f in ("csv", "xlsx")},
            "report_years": (
                report_years(request.user.organisation)
                if request.user.role in REPORT_ROLES
                else []
            ),
        },
    )


def _with(query, **changes) -> str:
    query = query.copy()
    for key, value in changes.items():
        query[key] = value
    return f"?{query.urlencode()}"


def _coalition_view(request, form):
    """The coalition's combined numbers: the latest coalition view, a release of the ledger
    (other organisations' numbers reach members only through it). POST refreshes it."""
    if request.method == "POST":
        try:
            actions.refresh_coalition_view(request.user)
        except ReleaseRefused as refused:
            messages.error(request, refused_message(refused))
        return redirect(f"{request.path}?coalition=on")
    latest = latest_coalition_view(request.user)
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
        if "publish" in request.POST:
            # The check against everything released before can take tens of seconds: a job.
            job = start_job(
                request.user, "publish", {"title": form.cleaned_data["title"], **options}
            )
            return redirect("job", pk=job.pk)
        try:
            content = actions.preview(request.user, **options)
        except ReleaseRefused as refused:
            messages.error(request, refused_message(refused))
        else:
            return render(
                request,
                "stats/preview.html",
                {"form": form, "title": form.cleaned_data["title"], **_body(content)},
            )
    published = Publication.objects.filter(coalition_id=request.user.organisation.coalition_id)
    return render(request, "stats/publications.html", {"form": form, "published": published})


@staff_required(*REPORT_ROLES)
def report(request, year: int):
    """The annual report of the organisation (or the coalition) as PDF, in English or Russian:
    made by a background job (``stats.jobs.report``) started by the form on this page."""
    if refused := year_refused(year):
        messages.error(request, refused)
        return redirect("statistics")
    languages = [code for code, _name in settings.LANGUAGES]
    coalition = bool(request.POST.get("coalition") or request.GET.get("coalition"))
    organisation = None if coalition else request.user.organisation
    if empty := year_without_data(organisation, request.user.organisation.coalition_id, year):
        messages.error(request, empty)
        return redirect("statistics")
    if request.method == "POST":
        language = request.POST.get("language")
        job = start_job(
            request.user,
            "report",
            {
                "year": year,
                "language": language if language in languages else "en",
                "coalition": coalition,
            },
        )
        return redirect("job", pk=job.pk)
    return render(
        request,
        "stats/report_start.html",
        {
            "year": year,
            "language": translation.get_language(),
            "report_languages": settings.LANGUAGES,
        },
    )


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


def _table_of(slug: str, name: str) -> tuple[Publication, dict]:
    publication = get_object_or_404(Publication, slug=slug)
    for table in publication.content["tables"]:
        if table["name"] == name:
            return publication, table
    raise Http404


def _public_file(slug: str, name: str, file_format: str) -> HttpResponse:
    publication, table = _table_of(slug, name)
    note = _("withheld: fewer than %(n)d, or would let such a number be worked out") % {
        "n": publication.threshold
    }
    return table_file(table, file_format, f"{slug}-{name}", note)


def public_csv(request, slug: str, name: str):
    return _public_file(slug, name, "csv")


def public_xlsx(request, slug: str, name: str):
    return _public_file(slug, name, "xlsx")


def public_chart(request, slug: str, name: str):
    """An embeddable chart: <img src="…/chart.svg"> on any website."""
    _publication, table = _table_of(slug, name)
    svg = chart_for(table, f"chart-{name}", grid(table).title)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "public, max-age=86400"
    return response


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
        # Linking and estimating take minutes: a job, with the key sealed to the workers.
        try:
            job = start_job(
                request.user, "hidden_figure", {}, vault=request.keyring.vault(organisation.pk)
            )
        except NoWorker:
            messages.error(
                request,
                _(
                    "No background worker is running, so the analysis cannot start. Ask the "
                    "administrator to start one (kuzot worker)."
                ),
            )
            return redirect("hidden_figure")
        return redirect("job", pk=job.pk)
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
