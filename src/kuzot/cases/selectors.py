"""Visibility-checked reads. Every view, export and API reads people and cases through here."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from kuzot.accounts.models import User
from kuzot.accounts.vault import Keyring, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.log import Action, record
from kuzot.cases.models import NameToken, Person

IDENTITY_FIELDS = ("full_name", "contact", "address", "birth_date", "id_number")


def visible_people(user: User) -> QuerySet[Person]:
    """People of the user's own organisation; the system administrator reads none."""
    if not user.is_authenticated or user.is_system_admin or user.organisation_id is None:
        return Person.objects.none()
    return Person.objects.filter(organisation_id=user.organisation_id)


def get_person(user: User, pk: int) -> Person:
    """A person the user may see, or 404 (an attempt on someone else's record is audited)."""
    try:
        return visible_people(user).get(pk=pk)
    except Person.DoesNotExist:
        if (other := Person.objects.filter(pk=pk).only("pk").first()) is not None:
            record(user, Action.VIEW_DENIED, other, organisation=user.organisation)
        raise Http404 from None


def search_people(user: User, keyring: Keyring, query: str) -> QuerySet[Person]:
    """People whose name holds every token of the query, in any script or spelling."""
    tokens = name_tokens(query)
    people = visible_people(user)
    if not tokens or not user.sees_identities:
        return people.none()
    vault = keyring.vault(user.organisation_id)
    for digest in {vault.blind_index(token) for token in tokens}:
        people = people.filter(
            pk__in=NameToken.objects.filter(
                organisation_id=user.organisation_id, digest=digest
            ).values("person_id")
        )
    return people


@dataclass(frozen=True)
class Identity:
    full_name: str
    contact: str
    address: str
    birth_date: str
    id_number: str


def read_identity(user: User, keyring: Keyring, person: Person) -> Identity | None:
    """Decrypt a person's identity for a user allowed to see it; every look is audited."""
    if not user.sees_identities or person.organisation_id != user.organisation_id:
        record(user, Action.VIEW, person)
        return None
    vault = keyring.vault(person.organisation_id)
    identity = Identity(
        **{f: vault.open(getattr(person, f), sealed_context(Person, f)) for f in IDENTITY_FIELDS}
    )
    record(user, Action.VIEW_IDENTITY, person)
    return identity
