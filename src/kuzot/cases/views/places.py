"""The register of places of detention and the organisation's vocabularies: every member reads
them, coordinators write them (``cases.places``)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Role
from kuzot.cases import places, selectors
from kuzot.cases.forms import PlaceForm, TermEditForm, TermForm
from kuzot.cases.models import Term
from kuzot.cases.views.cases import ORGANISATION_ROLES, _done, _form, _submitted


@staff_required(*ORGANISATION_ROLES)
def place_list(request):
    page = Paginator(selectors.visible_places(request.user), 100).get_page(request.GET.get("page"))
    return render(request, "cases/places.html", {"page": page})


@staff_required(*ORGANISATION_ROLES)
def place(request, pk: int):
    found = selectors.visible_places(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    acts = selectors.visible_cases(request.user).filter(allegations__place_of_detention=found)
    return render(
        request,
        "cases/place.html",
        {
            "place": found,
            "cases": acts.distinct().count(),
            "can_edit": request.user.role == Role.COORDINATOR
            and found.organisation_id == request.user.organisation_id,
        },
    )


def _place_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in places.PLACE_FIELDS}


@staff_required(Role.COORDINATOR)
def new_place(request):
    form = PlaceForm(
        request.POST or None,
        user=request.user,
        initial={"country": request.user.organisation.country},
    )
    if _submitted(request, form):
        found = places.create_place(request.user, **_place_values(form))
        messages.success(request, _("The place is recorded."))
        return _done(request, reverse("place", args=[found.pk]))
    return _form(request, form, title=_("Record a place of detention"))


@staff_required(Role.COORDINATOR)
def edit_place(request, pk: int):
    found = (
        selectors.visible_places(request.user)
        .filter(pk=pk, organisation_id=request.user.organisation_id)
        .first()
    )
    if found is None:
        raise Http404
    initial = {
        name: getattr(found, f"{name}_id" if name in ("region", "kind", "authority") else name)
        for name in places.PLACE_FIELDS
    }
    form = PlaceForm(request.POST or None, user=request.user, initial=initial)
    if _submitted(request, form):
        places.update_place(request.user, found, **_place_values(form))
        messages.success(request, _("The place is updated."))
        return _done(request, reverse("place", args=[found.pk]))
    return _form(request, form, title=_("Edit the place of detention"))


@staff_required(Role.COORDINATOR)
def vocabularies(request):
    form = TermForm(request.POST or None)
    if _submitted(request, form):
        data = form.cleaned_data
        places.add_term(
            request.user,
            vocabulary=data["vocabulary"],
            label_en=data["label_en"],
            label_ru=data["label_ru"],
            country=data["country"],
        )
        messages.success(request, _("The term is added."))
        return _done(request, reverse("vocabularies"))
    return render(
        request,
        "cases/vocabularies.html",
        {"form": form, "vocabularies": selectors.vocabularies(request.user)},
    )


@staff_required(Role.COORDINATOR)
def edit_term(request, pk: int):
    term = Term.objects.filter(pk=pk, organisation_id=request.user.organisation_id).first()
    if term is None:
        raise Http404
    initial = {"label_en": term.label_en, "label_ru": term.label_ru, "active": term.active}
    form = TermEditForm(request.POST or None, initial=initial)
    if _submitted(request, form):
        places.update_term(request.user, term, **form.cleaned_data)
        messages.success(request, _("The term is updated."))
        return _done(request, reverse("vocabularies"))
    return _form(request, form, title=_("Edit the term “%(label)s”") % {"label": term.label})
