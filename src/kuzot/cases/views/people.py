from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kuzot import countries
from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES, Role
from kuzot.cases import actions, selectors
from kuzot.cases.forms import PersonForm, SearchForm

ORGANISATION_ROLES = (*IDENTITY_ROLES, Role.ANALYST)


@staff_required(*ORGANISATION_ROLES)
def people(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = selectors.find_people(request.user, request.keyring, query)
    shown = list(found[:200])
    names = selectors.listed_names(request.user, request.keyring, shown)
    return render(
        request,
        "cases/people.html",
        {
            "form": form,
            "people": [(person, names.get(person.pk, "")) for person in shown],
            "query": query,
        },
    )


@staff_required(*IDENTITY_ROLES)
def new_person(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vault = request.keyring.vault(request.user.organisation_id)
        person = actions.register_person(request.user, vault, **form.person_values())
        messages.success(request, _("The person is recorded."))
        return redirect("person", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form})


@staff_required(*ORGANISATION_ROLES)
def person(request, pk: int):
    found = selectors.get_person(request.user, pk)
    identity = selectors.read_identity(request.user, request.keyring, found)
    return render(
        request,
        "cases/person.html",
        {
            "person": found,
            "identity": identity,
            "nationality": countries.name(found.nationality),
            "last_change": selectors.last_change(found),
        },
    )
