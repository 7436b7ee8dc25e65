"""State changes of people and cases: each validates, writes and audits in one place."""

from django.db import transaction

from kuzot.accounts.models import User
from kuzot.accounts.vault import Vault, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.log import Action, record
from kuzot.cases.models import NameToken, Person


def index_name(vault: Vault, person: Person, full_name: str) -> None:
    NameToken.objects.filter(person=person).delete()
    digests = {vault.blind_index(token) for token in name_tokens(full_name)}
    NameToken.objects.bulk_create(
        NameToken(organisation_id=person.organisation_id, person=person, digest=d) for d in digests
    )


def register_person(
    actor: User,
    vault: Vault,
    *,
    full_name: str,
    sex: str = "",
    birth_year: int | None = None,
    nationality: str = "",
    contact: str = "",
    address: str = "",
    birth_date: str = "",
    id_number: str = "",
) -> Person:
    """Record a person in the actor's organisation, identity sealed, name indexed blind."""
    if not actor.sees_identities:
        raise PermissionError("this role does not record identities")
    if vault.organisation_id != actor.organisation_id:
        raise PermissionError("a person is recorded under the actor's own organisation key")
    identity = {
        "full_name": full_name.strip(),
        "contact": contact,
        "address": address,
        "birth_date": birth_date,
        "id_number": id_number,
    }
    with transaction.atomic():
        person = Person(
            organisation_id=actor.organisation_id,
            sex=sex,
            birth_year=birth_year,
            nationality=nationality,
            created_by=actor,
            **{f: vault.seal(v, sealed_context(Person, f)) for f, v in identity.items()},
        )
        person.save()
        index_name(vault, person, identity["full_name"])
        record(actor, Action.CREATE, person)
    return person


def reindex_names(sender, *, organisation, old: Vault, new: Vault, **kwargs) -> None:
    """After a key rotation the blind index is rebuilt under the new key."""
    context = sealed_context(Person, "full_name")
    for person in Person.objects.filter(organisation=organisation).only(
        "pk", "organisation_id", "full_name"
    ):
        index_name(new, person, new.open(person.full_name, context))
