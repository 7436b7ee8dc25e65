"""The case register's screens: thin views over cases.selectors (reads) and cases.actions
(writes). Every form works without JavaScript; with htmx it is swapped in place and its fields
validate when the user leaves them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES, Role
from kuzot.cases import actions, selectors
from kuzot.cases.forms import (
    AllegationForm,
    BulkCaseForm,
    CaseFilterForm,
    CaseForm,
    ConsentForm,
    LegalEventForm,
    MedicalEvaluationForm,
    RegisterCaseForm,
    SaveFilterForm,
    ShareForm,
)
from kuzot.cases.models import Allegation, CaseShare, LegalEvent, SavedFilter, Sex, Stage
from kuzot.cases.views.imports import IMPORT_ROLES

ORGANISATION_ROLES = (*IDENTITY_ROLES, Role.ANALYST)
EDITORS = tuple(actions.CASE_EDITORS)
SHARERS = (Role.COORDINATOR, Role.LAWYER)


# --- Helpers: forms in place ---------------------------------------------------------------


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _validating(request) -> bool:
    """An htmx request checking one field as the user leaves it: never saves."""
    return _htmx(request) and bool(request.POST.get("_validate"))


def _submitted(request, form) -> bool:
    return request.method == "POST" and not _validating(request) and form.is_valid()


def _done(request, url: str) -> HttpResponse:
    """After a successful POST: a redirect, or for htmx a full-page redirect header."""
    if _htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _form(request, form, *, title: str, case=None, intro: str = "", submit: str = ""):
    """The page with the form; with htmx only the form, or one field when validating."""
    context = {
        "form": form,
        "title": title,
        "case": case,
        "intro": intro,
        "submit": submit or _("Save"),
        "action": request.path,
    }
    if _validating(request):
        name = request.POST["_validate"]
        if name not in form.fields:
            return HttpResponse(status=204)
        return render(
            request,
            "cases/includes/field.html",
            {"field": form[name], "validate_url": request.path, "validating": True},
        )
    if form.is_bound:
        form.focus_first_error()
    if _htmx(request) and request.method == "POST":
        return render(request, "cases/includes/form.html", context)
    return render(request, "cases/form_page.html", context)


def _vault(request, case=None):
    return request.keyring.vault(case.organisation_id if case else request.user.organisation_id)


def _acts(case) -> list[tuple[Allegation, str]]:
    """The case's alleged acts, labelled by date and act types (no identities)."""
    return [
        (a, f"{a.date:%Y-%m-%d}: {', '.join(t.label for t in a.act_types.all())}")
        for a in selectors.allegations(case)
    ]


# --- Case list and page --------------------------------------------------------------------


@staff_required(*ORGANISATION_ROLES)
def case_list(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    cases = selectors.case_list(request.user, form.filters(), form.ordering(), request.keyring)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = selectors.victim_names(request.user, request.keyring, rows)
    context = {
        "form": form,
        "page": page,
        "rows": [(case, names.get(case.pk)) for case in rows],
        "sort": form.ordering(),
        "save_form": SaveFilterForm(initial={"query": request.GET.urlencode()}),
        "saved": selectors.saved_filters(request.user, request.keyring),
        "bulk_form": (
            BulkCaseForm(user=request.user) if request.user.role in actions.CASE_EDITORS else None
        ),
        "can_import": request.user.role in IMPORT_ROLES,
    }
    if request.headers.get("HX-Target") == "case-results":
        return render(request, "cases/includes/case_table.html", context)
    return render(request, "cases/case_list.html", context)


@staff_required(*EDITORS)
@require_POST
def bulk_change(request):
    """Assign a lawyer or set a status on the cases ticked on the list; back to the list."""
    form = BulkCaseForm(request.POST, user=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("cases")
    if form.is_valid():
        count = actions.update_cases(
            request.user, _vault(request), form.cleaned_data["cases"], **form.changes()
        )
        messages.success(
            request,
            ngettext("%(n)d case is changed.", "%(n)d cases are changed.", count) % {"n": count},
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(back or reverse("cases"))


@staff_required(*ORGANISATION_ROLES)
@require_POST
def save_filter(request):
    """Keep the list's present filters under a name (the user's own); back to that list."""
    form = SaveFilterForm(request.POST)
    query = QueryDict(request.POST.get("query", "")[:2000])
    filters = CaseFilterForm(query, user=request.user)
    if form.is_valid() and filters.is_valid():
        search = filters.cleaned_data["q"] if request.user.sees_identities else ""
        actions.save_filter(
            request.user,
            _vault(request) if search else None,
            name=form.cleaned_data["name"],
            params={k: query[k] for k in filters.fields if k != "q" and query.get(k)},
            search=search,
        )
        messages.success(request, _("The filters are saved."))
    else:
        problems = (*form.errors.values(), *filters.errors.values())
        messages.error(request, " ".join(e for errors in problems for e in errors))
    return redirect(f"{reverse('cases')}?{query.urlencode()}")


@staff_required(*ORGANISATION_ROLES)
@require_POST
def delete_filter(request, pk: int):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    actions.delete_filter(request.user, saved)
    messages.success(request, _("The saved filters are deleted."))
    return redirect("cases")


@staff_required(*ORGANISATION_ROLES)
def case(request, pk: int):
    file = selectors.read_case(request.user, request.keyring, pk)
    user = request.user
    return render(
        request,
        "cases/case.html",
        {
            "file": file,
            "case": file.case,
            "last_change": selectors.mark_changes(file),
            "deleted": selectors.deleted_records(file.case),
            "can_edit": user.role in actions.CASE_EDITORS,
            "can_share": user.role in SHARERS,
            "can_examine": user.role == Role.DOCTOR,
            "reads_medical": selectors.can_read_medical(user, file.case),
        },
    )


# --- Registering and editing ---------------------------------------------------------------


@staff_required(*EDITORS)
def new_case(request):
    # A lawyer's own new case is theirs (they may choose another lawyer).
    initial = {"assigned_lawyer": request.user.pk} if request.user.role == Role.LAWYER else {}
    if request.method == "GET" and request.GET.get("person", "").isdigit():
        initial["person"] = request.GET["person"]
    form = RegisterCaseForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=initial
    )
    if _submitted(request, form):
        vault = _vault(request)
        with transaction.atomic():
            person = form.cleaned_data["person"] or actions.register_person(
                request.user, vault, **form.person_values()
            )
            case = actions.register_case(request.user, vault, victim=person, **form.case_values())
        messages.success(
            request, _("The case %(reference)s is registered.") % {"reference": case.reference}
        )
        return _done(request, reverse("case", args=[case.pk]))
    return _form(
        request,
        form,
        title=_("Register a case"),
        intro=_(
            "Names and the summary are encrypted before they are stored. Acts and the legal "
            "path are added on the case's page."
        ),
        submit=_("Register the case"),
    )


@staff_required(*EDITORS)
def edit_case(request, pk: int):
    case = selectors.get_case(request.user, pk)
    vault = _vault(request, case)
    initial = {
        name: getattr(case, name)
        for name in ("intake_date", "status", "confidentiality", "reprisal_risk")
    } | {
        "source": case.source_id,
        "assigned_lawyer": case.assigned_lawyer_id,
        "summary": "",
    }
    if request.method == "GET":
        initial["summary"] = selectors.read_summary(request.user, request.keyring, case)
    form = CaseForm(request.POST or None, user=request.user, initial=initial)
    if _submitted(request, form):
        data = form.case_values()
        actions.update_case(request.user, vault, case, summary=data.pop("summary"), **data)
        messages.success(request, _("The case is updated."))
        return _done(request, reverse("case", args=[case.pk]))
    return _form(request, form, title=_("Edit the case"), case=case)


@staff_required(*EDITORS)
def new_allegation(request, pk: int):
    case = selectors.get_case(request.user, pk)
    victims = selectors.case_victims(request.user, request.keyring, case)
    form = AllegationForm(
        request.POST or None,
        user=request.user,
        victims=victims,
        initial={"victim": str(victims[0][0].pk)} if len(victims) == 1 else {},
    )
    if _submitted(request, form):
        actions.add_allegation(request.user, _vault(request, case), case, **form.act_values())
        messages.success(request, _("The act is recorded."))
        return _done(request, reverse("case", args=[case.pk]))
    return _form(request, form, title=_("Record an alleged act"), case=case)


@staff_required(*EDITORS)
def new_event(request, pk: int):
    case = selectors.get_case(request.user, pk)
    form = LegalEventForm(request.POST or None, user=request.user)
    if _submitted(request, form):
        actions.record_legal_event(request.user, _vault(request, case), case, **form.cleaned_data)
        messages.success(request, _("The event is added to the timeline."))
        return _done(request, reverse("case", args=[case.pk]) + "#timeline")
    return _form(request, form, title=_("Record a step of the legal path"), case=case)


@staff_required(*EDITORS)
def record_consent(request, pk: int):
    case = selectors.get_case(request.user, pk)
    initial = {"scope": request.GET.get("scope", "")}
    form = ConsentForm(request.POST or None, initial=initial)
    if _submitted(request, form):
        data = form.cleaned_data
        actions.record_consent(
            request.user,
            case,
            scope=data["scope"],
            given=data["given"] == "yes",
            when=data["when"],
            manner=data["manner"],
        )
        messages.success(request, _("The consent is recorded."))
        return _done(request, reverse("case", args=[case.pk]) + "#consent")
    return _form(
        request,
        form,
        title=_("Record consent"),
        case=case,
        intro=_("The newest answer for a scope is the one in force; a no withdraws consent."),
    )


@staff_required(Role.DOCTOR)
def new_medical(request, pk: int):
    case = selectors.get_case(request.user, pk)
    form = MedicalEvaluationForm(request.POST or None, acts=_acts(case))
    if _submitted(request, form):
        data = form.cleaned_data
        actions.record_medical_evaluation(
            request.user,
            _vault(request, case),
            case,
            date=data["date"],
            overall=data["overall"],
            physical_findings=data["physical_findings"],
            psychological_findings=data["psychological_findings"],
            conclusion=data["conclusion"],
            findings=form.findings(),
        )
        messages.success(request, _("The medical evaluation is recorded."))
        return _done(request, reverse("case", args=[case.pk]) + "#medical")
    return _form(request, form, title=_("Record a medical evaluation"), case=case)


# --- Sharing -------------------------------------------------------------------------------


@staff_required(*SHARERS)
def share_case(request, pk: int):
    case = selectors.get_case(request.user, pk)
    form = ShareForm(request.POST or None, user=request.user)
    if _submitted(request, form):
        snapshot = selectors.case_snapshot(request.user, request.keyring, case)
        try:
            actions.share_case(
                request.user,
                _vault(request, case),
                case,
                form.cleaned_data["organisation"],
                snapshot,
            )
        except actions.ConsentMissing:
            form.add_error(
                None,
                _(
                    "The person has not consented to sharing with another member organisation, "
                    "or has withdrawn that consent. Record their consent first."
                ),
            )
        else:
            messages.success(request, _("The case is shared."))
            return _done(request, reverse("case", args=[case.pk]) + "#shares")
    intro = _("The other organisation receives a copy of the case, encrypted to it alone.")
    if not actions.consent_in_force(case, "sharing"):
        intro = _(
            "The consent to sharing with another member organisation is not in force: the case "
            "cannot be shared until it is recorded."
        )
    return _form(
        request, form, title=_("Share the case"), case=case, intro=intro, submit=_("Share")
    )


@staff_required(*SHARERS)
@require_POST
def revoke_share(request, pk: int, share: int):
    case = selectors.get_case(request.user, pk)
    found = get_object_or_404(CaseShare, pk=share, case=case, revoked_at__isnull=True)
    actions.revoke_share(request.user, found)
    messages.success(request, _("The share is revoked and its copy deleted."))
    return redirect(reverse("case", args=[case.pk]) + "#shares")


@staff_required(*IDENTITY_ROLES)
def shared_list(request):
    query = request.GET.get("q", "")[:300]
    shares = selectors.shares_received(request.user, query).order_by("-shared_at")
    page = Paginator(shares, 50).get_page(request.GET.get("page"))
    return render(request, "cases/shared_list.html", {"page": page, "query": query})


def _label(term: dict | None) -> str:
    if not term:
        return ""
    return term["ru"] if translation.get_language() == "ru" else term["en"]


def _readable(snapshot: dict) -> dict:
    """Codes of a snapshot turned into labels in the reader's language."""

    def choice(choices, code):
        return dict(choices).get(code, code) if code else ""

    for victim in snapshot.get("victims", []):
        victim["sex_label"] = choice(Sex.choices, victim.get("sex"))
    for act in snapshot.get("allegations", []):
        act["precision_label"] = choice(Allegation.Precision.choices, act.get("date_precision"))
        act["acts"] = ", ".join(_label(t) for t in act.get("act_types", []))
        for name in ("region", "agency", "purpose", "context"):
            act[f"{name}_label"] = _label(act.get(name))
    for event in snapshot.get("timeline", []):
        event["kind_label"] = choice(LegalEvent.Kind.choices, event.get("kind"))
        event["body_label"] = _label(event.get("body"))
        event["outcome_label"] = choice(LegalEvent.Outcome.choices, event.get("outcome"))
    snapshot["stage_label"] = choice(Stage.choices, snapshot.get("stage"))
    return snapshot


@staff_required(*IDENTITY_ROLES)
def shared_case(request, pk: int):
    share, snapshot = selectors.read_share(request.user, request.keyring, pk)
    if not isinstance(snapshot, dict):
        raise Http404
    return render(
        request, "cases/shared_case.html", {"share": share, "snapshot": _readable(snapshot)}
    )
