"""Monitoring visits' screens: thin views over monitoring.selectors and monitoring.actions."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.cases.models import PlaceOfDetention
from kuzot.monitoring import actions, odk, selectors
from kuzot.monitoring.forms import (
    FindingForm,
    InterviewForm,
    PlanVisitForm,
    RecommendForm,
    RecordVisitForm,
)
from kuzot.monitoring.models import Finding, TeamMember
from kuzot.recommendations.actions import Invalid
from kuzot.recommendations.models import Recommendation, Status

VISITORS = tuple(actions.VISITORS)
TEAM_ROLE = {"doctor": TeamMember.Role.DOCTOR, "lawyer": TeamMember.Role.LAWYER}


def _vault(request):
    return request.keyring.vault(request.user.organisation_id)


def _page(request, form, title: str, visit=None):
    context = {
        "form": form,
        "title": title,
        "visit": visit,
        "submit": _("Save"),
        "action": request.path,
    }
    return render(request, "monitoring/form_page.html", context)


@staff_required(*VISITORS)
def visits(request):
    found = selectors.visible_visits(request.user)
    place = None
    if request.GET.get("place", "").isdigit():
        place = get_object_or_404(PlaceOfDetention, pk=int(request.GET["place"]))
        found = found.filter(place=place)
    return render(
        request,
        "monitoring/visits.html",
        {
            "visits": found[:200],
            "place": place,
            "to_check_on": selectors.to_check_on(request.user, place.pk) if place else [],
        },
    )


@staff_required(*VISITORS)
def plan(request):
    form = PlanVisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = [(request.user, TeamMember.Role.LEAD)] + [
            (member, TEAM_ROLE.get(member.role, TeamMember.Role.MONITOR)) for member in data["team"]
        ]
        visit = actions.plan_visit(
            request.user,
            _vault(request),
            place=data["place"],
            planned_for=data["planned_for"],
            announced=data["announced"],
            objectives=data["objectives"],
            team=team,
        )
        messages.success(request, _("The visit is planned."))
        return redirect("visit", pk=visit.pk)
    return _page(request, form, _("Plan a visit"))


@staff_required(*VISITORS)
def visit(request, pk: int):
    found = selectors.get_visit(request.user, pk)
    context = selectors.read_visit(request.user, request.keyring, found)
    return render(
        request,
        "monitoring/visit.html",
        {**context, "recommend_form": RecommendForm(), "statuses": Status.choices[:4]},
    )


@staff_required(*VISITORS)
def record(request, pk: int):
    found = selectors.get_visit(request.user, pk)
    form = RecordVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_visit(request.user, _vault(request), found, **form.cleaned_data)
        messages.success(request, _("The visit is recorded."))
        return redirect("visit", pk=found.pk)
    return _page(request, form, _("Record the visit"), found)


@staff_required(*VISITORS)
def new_interview(request, pk: int):
    found = selectors.get_visit(request.user, pk)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_interview(request.user, _vault(request), found, **form.cleaned_data)
        messages.success(request, _("The interview is recorded."))
        return redirect("visit", pk=found.pk)
    return _page(request, form, _("Record an interview"), found)


@staff_required(*VISITORS)
def new_finding(request, pk: int):
    found = selectors.get_visit(request.user, pk)
    form = FindingForm(request.POST or None, visit=found)
    if request.method == "POST" and form.is_valid():
        actions.add_finding(request.user, _vault(request), found, **form.cleaned_data)
        messages.success(request, _("The finding is recorded."))
        return redirect("visit", pk=found.pk)
    return _page(request, form, _("Record a finding"), found)


@staff_required(*VISITORS)
@require_POST
def recommend(request, pk: int):
    found = selectors.get_visit(request.user, pk)
    form = RecommendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the recommendation; a deadline is a date."))
        return redirect("visit", pk=found.pk)
    try:
        actions.recommend(request.user, found, **form.cleaned_data)
    except (ValueError, PermissionError, Invalid) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The recommendation is in the visit's report."))
    return redirect("visit", pk=found.pk)


@staff_required(*VISITORS)
@require_POST
def assess(request, pk: int, recommendation: int):
    found = selectors.get_visit(request.user, pk)
    earlier = get_object_or_404(Recommendation, pk=recommendation)
    status = request.POST.get("status", "")
    try:
        actions.assess_at_follow_up(request.user, _vault(request), found, earlier, status=status)
    except (ValueError, PermissionError, Invalid) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The assessment is recorded."))
    return redirect("visit", pk=found.pk)


@staff_required(*VISITORS)
def checklist(request):
    response = HttpResponse(
        odk.checklist(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{odk.FORM_ID}.xlsx"'
    return response


@staff_required(*VISITORS)
@require_POST
def import_submission(request, pk: int):
    found = selectors.get_visit(request.user, pk)
    upload = request.FILES.get("submission")
    if upload is None:
        messages.error(request, _("Choose a submission file (XML) from ODK Collect or Kobo."))
        return redirect("visit", pk=found.pk)
    try:
        imported = odk.import_submission(
            request.user, _vault(request), found, upload.read(odk.MAX_BYTES + 1)
        )
    except odk.SubmissionRefused as refused:
        messages.error(request, _("Nothing was imported: %(why)s") % {"why": refused})
        return redirect("visit", pk=found.pk)
    messages.success(
        request,
        ngettext("%(n)d finding imported.", "%(n)d findings imported.", len(imported.findings))
        % {"n": len(imported.findings)},
    )
    return redirect("visit", pk=found.pk)


@staff_required(*VISITORS)
@require_POST
def open_case(request, pk: int):
    finding = get_object_or_404(Finding, pk=pk, visit__in=selectors.visible_visits(request.user))
    try:
        case = actions.open_case(request.user, _vault(request), finding)
    except PermissionError:
        messages.error(
            request,
            _(
                "Only an allegation whose person agreed to its transmission becomes a case, "
                "and only by a coordinator, lawyer or monitor."
            ),
        )
        return redirect("visit", pk=finding.visit_id)
    messages.success(request, _("The allegation is now case %(ref)s.") % {"ref": case.reference})
    return redirect("case", pk=case.pk)
