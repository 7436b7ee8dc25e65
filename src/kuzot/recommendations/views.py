"""Recommendation screens: thin views over recommendations.selectors and .actions. Forms are
drawn, swapped in place and checked field by field by the case register's htmx helper."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES, Organisation, Role
from kuzot.cases.selectors import visible_cases
from kuzot.cases.views.cases import _done, _form, _submitted
from kuzot.recommendations import actions, exports, imports, reports, selectors
from kuzot.recommendations.forms import (
    ActionForm,
    AssessmentForm,
    CaseLinkForm,
    FilterForm,
    ImportForm,
    RecommendationForm,
    RepeatForm,
    ReportForm,
    StatisticsLinkForm,
)
from kuzot.recommendations.models import Mechanism
from kuzot.recommendations.schema import DOCUMENT_FIELDS, RECOMMENDATION_FIELDS

READERS = (*IDENTITY_ROLES, Role.ANALYST)
EDITORS = tuple(actions.EDITORS)
IMPORTERS = tuple(actions.IMPORTERS)


def _vault(request):
    return request.keyring.vault(request.user.organisation_id)


def _page(pk: int, anchor: str = "") -> str:
    return reverse("recommendation", args=[pk]) + (f"#{anchor}" if anchor else "")


@staff_required(*READERS)
def recommendation_list(request):
    form = FilterForm(request.GET or None)
    found = selectors.recommendations(request.user, form.filters())
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_edit": request.user.role in EDITORS,
            "can_import": request.user.role in IMPORTERS,
        },
    )


@staff_required(*READERS)
def recommendation(request, pk: int):
    user = request.user
    found = selectors.get_recommendation(user, pk)
    can_edit = user.role in EDITORS
    return render(
        request,
        "recommendations/recommendation.html",
        {
            "recommendation": found,
            "thread": selectors.thread(user, found, request.keyring),
            "actions": selectors.planned_actions(user, found, request.keyring),
            "evidence": selectors.case_evidence(user, found),
            "numbers": selectors.statistics_evidence(user, found),
            "repeats": selectors.probable_repeats(found) if can_edit else [],
            "can_edit": can_edit,
        },
    )


@staff_required(*EDITORS)
def new_recommendation(request):
    form = RecommendationForm(request.POST or None)
    if _submitted(request, form):
        try:
            found, _outcome = actions.save_recommendation(request.user, form.values())
        except actions.Invalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recommendation is recorded."))
            return _done(request, _page(found.pk))
    return _form(request, form, title=_("Record a recommendation"))


@staff_required(*EDITORS)
def edit_recommendation(request, pk: int):
    found = selectors.get_recommendation(request.user, pk)
    initial = {f.name: getattr(found.document, f.name) for f in DOCUMENT_FIELDS} | {
        f.name: getattr(found, f.name) for f in RECOMMENDATION_FIELDS if f.name != "themes"
    }
    initial["themes"] = "; ".join(found.themes.values_list("name", flat=True))
    form = RecommendationForm(request.POST or None, initial=initial)
    if _submitted(request, form):
        try:
            actions.save_recommendation(request.user, form.values(), recommendation=found)
        except actions.Invalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recommendation is updated."))
            return _done(request, _page(found.pk))
    return _form(request, form, title=_("Edit the recommendation"))


@staff_required(*EDITORS)
def assess(request, pk: int):
    found = selectors.get_recommendation(request.user, pk)
    form = AssessmentForm(request.POST or None)
    if _submitted(request, form):
        try:
            actions.record_assessment(request.user, _vault(request), found, **form.values())
        except actions.Invalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The assessment is recorded."))
            return _done(request, _page(found.pk, "thread"))
    return _form(
        request,
        form,
        title=_("Assess %(recommendation)s") % {"recommendation": found},
        intro=_("Only your organisation sees an assessment unless it is shown on the scorecard."),
    )


@staff_required(*EDITORS)
def plan_action(request, pk: int):
    found = selectors.get_recommendation(request.user, pk)
    form = ActionForm(request.POST or None)
    if _submitted(request, form):
        actions.plan_action(request.user, _vault(request), found, **form.values())
        messages.success(request, _("The action is recorded."))
        return _done(request, _page(found.pk, "actions"))
    return _form(request, form, title=_("Plan an action for %(r)s") % {"r": found})


@staff_required(*EDITORS)
def link_case(request, pk: int):
    found = selectors.get_recommendation(request.user, pk)
    form = CaseLinkForm(request.POST or None, cases=visible_cases(request.user))
    if _submitted(request, form):
        actions.link_case(request.user, found, form.cleaned_data["reference"])
        messages.success(request, _("The case is linked."))
        return _done(request, _page(found.pk, "evidence"))
    return _form(
        request,
        form,
        title=_("Link a case to %(r)s") % {"r": found},
        intro=_("Those who may not see the case see only how many cases are linked."),
        submit=_("Link the case"),
    )


@staff_required(*EDITORS)
def link_statistics(request, pk: int):
    found = selectors.get_recommendation(request.user, pk)
    form = StatisticsLinkForm(
        request.POST or None, categories=selectors.statistics_categories(request.user)
    )
    if _submitted(request, form):
        actions.link_statistics(request.user, found, *form.link())
        messages.success(request, _("The numbers are linked."))
        return _done(request, _page(found.pk, "evidence"))
    return _form(
        request,
        form,
        title=_("Link numbers to %(r)s") % {"r": found},
        intro=_("The page will show your organisation's acts of this category per year."),
        submit=_("Link the numbers"),
    )


@staff_required(*EDITORS)
@require_POST
def unlink_case(request, pk: int, link: int):
    found = selectors.get_recommendation(request.user, pk)
    actions.unlink_case(
        request.user, get_object_or_404(selectors.case_links(request.user, found), pk=link)
    )
    messages.success(request, _("The case is no longer linked."))
    return redirect(_page(found.pk, "evidence"))


@staff_required(*EDITORS)
def link_repeat(request, pk: int):
    found = selectors.get_recommendation(request.user, pk)
    form = RepeatForm(request.POST or None, candidates=selectors.probable_repeats(found))
    if _submitted(request, form):
        try:
            actions.link_repeat(request.user, found, form.cleaned_data["earlier"])
        except actions.Invalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recommendation joins the thread."))
            return _done(request, _page(found.pk, "thread"))
    return _form(
        request,
        form,
        title=_("Which earlier recommendation does %(r)s repeat?") % {"r": found},
        intro=_("The earlier recommendations to the same country most like this one."),
        submit=_("Confirm"),
    )


@staff_required(*READERS)
def recommendation_matrix(request):
    country = request.GET.get("country", "").upper()
    if country not in Organisation.Country.values:
        country = request.user.organisation.country
    mechanisms, rows = selectors.matrix(request.user, country)
    return render(
        request,
        "recommendations/matrix.html",
        {
            "country": Organisation.Country(country),
            "countries": Organisation.Country.choices,
            "mechanisms": [Mechanism(m) for m in mechanisms],
            "rows": rows,
        },
    )


@staff_required(*READERS)
def follow_up_calendar(request):
    return render(
        request,
        "recommendations/calendar.html",
        {"due": selectors.due_for_follow_up(request.user, days=365), "today": date.today()},
    )


@staff_required(*IMPORTERS)
def import_recommendations(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = imports.run_import(
                request.user,
                imports.read_table(upload.read(), upload.name),
                dry_run=form.cleaned_data["dry_run"],
            )
        except imports.UnreadableFile as error:
            form.add_error("file", str(error))
    return render(request, "recommendations/import.html", {"form": form, "report": report})


@staff_required(*READERS)
def export(request, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = FilterForm(request.GET or None)
    data = exports.export(request.user, form.filters(), file_format)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="recommendations.{file_format}"'
    return response


REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@staff_required(*READERS)
def follow_up_report(request):
    form = ReportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        body = reports.follow_up_report(
            request.user,
            request.keyring,
            data["mechanism"],
            data["country"],
            file_format=data["file_format"],
            language=data["language"],
        )
        name = f"follow-up-{data['mechanism']}-{data['country']}.{data['file_format']}".lower()
        response = HttpResponse(body, content_type=REPORT_TYPES[data["file_format"]])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "recommendations/report.html", {"form": form})


def _public_country(country: str) -> str:
    country = country.upper()
    if country not in Organisation.Country.values:
        raise Http404
    return country


def public_scorecard_file(request, country: str, file_format: str):
    country = _public_country(country)
    if file_format not in exports.CONTENT_TYPES:
        raise Http404
    data = exports.export(None, {"country": country}, file_format)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="scorecard-{country.lower()}.{file_format}"'
    )
    return response


def public_scorecard(request, country: str):
    country = _public_country(country)
    return render(
        request,
        "recommendations/scorecard.html",
        {
            "country": Organisation.Country(country),
            "recommendations": selectors.recommendations(None, {"country": country}),
        },
    )
