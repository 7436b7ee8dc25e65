"""Correcting the register: a person or an act edited, an act or a legal step deleted after
a confirmation (and put back), two records of one person merged, and the history of a case or
a person. Thin views over ``cases.corrections`` (writes) and ``cases.selectors`` (reads)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES
from kuzot.cases import actions, corrections, selectors
from kuzot.cases.forms import AllegationForm, LegalEventForm, MergeForm, PersonForm
from kuzot.cases.models import Allegation, LegalEvent, Person
from kuzot.cases.views.cases import EDITORS, ORGANISATION_ROLES, _done, _form, _submitted, _vault


def _confirm(request, *, case, title: str, what: str, submit: str):
    """The question before a deletion: nothing is deleted on a GET."""
    return render(
        request,
        "cases/confirm.html",
        {"case": case, "title": title, "what": what, "submit": submit, "action": request.path},
    )


# --- People --------------------------------------------------------------------------------


@staff_required(*IDENTITY_ROLES)
def edit_person(request, pk: int):
    person = selectors.get_person(request.user, pk)
    initial = {}
    if request.method == "GET":
        identity = selectors.read_identity(request.user, request.keyring, person)
        initial = {
            **vars(identity),
            **{name: getattr(person, name) for name in ("sex", "birth_year", "nationality")},
            "groups": [g for g in Person.VULNERABLE_GROUPS if getattr(person, g)],
        }
    form = PersonForm(request.POST or None, initial=initial)
    if _submitted(request, form):
        corrections.update_person(
            request.user, _vault(request, person), person, **form.person_values()
        )
        messages.success(request, _("The person is corrected; the earlier values are kept."))
        return _done(request, reverse("person", args=[person.pk]))
    return _form(
        request,
        form,
        title=_("Correct the person's record"),
        intro=_(
            "Names, contacts, addresses, birth dates and ID numbers are encrypted before they "
            "are stored, and so are their earlier values."
        ),
    )


@staff_required(*EDITORS)
def merge_person(request, pk: int):
    kept = selectors.get_person(request.user, pk)
    form = MergeForm(request.POST or None, user=request.user, kept=kept)
    if _submitted(request, form):
        other = form.cleaned_data["other"]
        label = str(other)  # before the record is deleted with its id
        corrections.merge_people(request.user, kept, other)
        messages.success(
            request,
            _("%(other)s is merged into %(kept)s: its cases and acts are this record's now.")
            % {"other": label, "kept": kept},
        )
        return _done(request, reverse("person", args=[kept.pk]))
    return _form(
        request,
        form,
        title=_("Merge another record of the same person into %(kept)s") % {"kept": kept},
        intro=_(
            "When two records turn out to be one person: the other record's cases and acts "
            "pass to this one, whose values stand; the other record is deleted and its values "
            "are kept in the history."
        ),
        submit=_("Merge"),
    )


@staff_required(*ORGANISATION_ROLES)
def person_history(request, pk: int):
    person = selectors.get_person(request.user, pk)
    entries = selectors.read_history(request.user, request.keyring, person)
    return render(
        request,
        "cases/history.html",
        {
            "subject": person,
            "case": None,
            "entries": entries,
            "can_edit": request.user.role in actions.CASE_EDITORS,
        },
    )


# --- Acts and steps ------------------------------------------------------------------------


@staff_required(*EDITORS)
def edit_allegation(request, pk: int, act: int):
    case = selectors.get_case(request.user, pk)
    allegation = get_object_or_404(Allegation, pk=act, case=case)
    victims = selectors.case_victims(request.user, request.keyring, case)
    initial = {}
    if request.method == "GET":
        initial = {
            **selectors.read_sealed(request.user, request.keyring, allegation),
            "date": allegation.date,
            "date_precision": allegation.date_precision,
            "victim": str(allegation.victim_id or ""),
            "act_types": list(allegation.act_types.all()),
            **{
                name: getattr(allegation, f"{name}_id")
                for name in ("region", "place_of_detention", "agency", "purpose", "context")
            },
        }
    form = AllegationForm(request.POST or None, user=request.user, victims=victims, initial=initial)
    if _submitted(request, form):
        corrections.update_allegation(
            request.user, _vault(request, case), allegation, **form.cleaned_data
        )
        messages.success(request, _("The act is corrected; the earlier values are kept."))
        return _done(request, reverse("case", args=[case.pk]) + "#acts")
    return _form(request, form, title=_("Correct the act"), case=case)


@staff_required(*EDITORS)
def delete_allegation(request, pk: int, act: int):
    case = selectors.get_case(request.user, pk)
    allegation = get_object_or_404(Allegation, pk=act, case=case)
    if request.method == "POST":
        corrections.delete_allegation(request.user, allegation)
        messages.success(request, _("The act is deleted. It can be put back from the case page."))
        return redirect(reverse("case", args=[case.pk]) + "#deleted")
    return _confirm(
        request,
        case=case,
        title=_("Delete this act?"),
        what=_("The act of %(date)s, with the medical findings about it.")
        % {"date": allegation.date.isoformat()},
        submit=_("Delete the act"),
    )


@staff_required(*EDITORS)
def edit_event(request, pk: int, event: int):
    case = selectors.get_case(request.user, pk)
    found = get_object_or_404(LegalEvent, pk=event, case=case)
    initial = {}
    if request.method == "GET":
        initial = {
            **selectors.read_sealed(request.user, request.keyring, found),
            **{name: getattr(found, name) for name in corrections.EVENT_FIELDS if name != "body"},
            "body": found.body_id,
        }
    form = LegalEventForm(request.POST or None, user=request.user, initial=initial)
    if _submitted(request, form):
        corrections.update_legal_event(
            request.user, _vault(request, case), found, **form.cleaned_data
        )
        messages.success(request, _("The step is corrected; the earlier values are kept."))
        return _done(request, reverse("case", args=[case.pk]) + "#timeline")
    return _form(request, form, title=_("Correct the step of the legal path"), case=case)


@staff_required(*EDITORS)
def delete_event(request, pk: int, event: int):
    case = selectors.get_case(request.user, pk)
    found = get_object_or_404(LegalEvent, pk=event, case=case)
    if request.method == "POST":
        actions.delete_legal_event(request.user, found)
        messages.success(request, _("The step is deleted. It can be put back from the case page."))
        return redirect(reverse("case", args=[case.pk]) + "#deleted")
    return _confirm(
        request,
        case=case,
        title=_("Delete this step of the legal path?"),
        what=_("%(kind)s of %(date)s. The case's stage is derived again without it.")
        % {"kind": found.get_kind_display(), "date": found.date.isoformat()},
        submit=_("Delete the step"),
    )


@staff_required(*EDITORS)
@require_POST
def restore_revision(request, pk: int):
    revision = selectors.get_revision(request.user, pk)
    if revision.case_id is None:
        raise Http404
    if revision.restored_at is None and revision.change == revision.Change.DELETED:
        corrections.restore(request.user, revision)
        messages.success(request, _("It is put back."))
    return redirect(reverse("case", args=[revision.case_id]))


@staff_required(*ORGANISATION_ROLES)
def case_history(request, pk: int):
    case = selectors.get_case(request.user, pk)
    entries = selectors.read_history(request.user, request.keyring, case)
    return render(
        request,
        "cases/history.html",
        {
            "subject": case,
            "case": case,
            "entries": entries,
            "can_edit": request.user.role in actions.CASE_EDITORS,
        },
    )
