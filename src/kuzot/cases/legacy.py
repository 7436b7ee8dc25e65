"""Sealing what an upgrade found in the clear.

When a clear column becomes sealed, its migration holds no key: it moves the values to
``UnsealedValue`` as they are (migrations 0013 and 0014). ``seal_pending`` seals them into their
fields under the organisation's current key and deletes them there, at the first chance: the
next login of a member who holds the key, ``kuzot seal_pending``, and every key rotation. A case
imported by its own reference also gets its keyed import key and a number of Kuzot's. Batches
of 500 values are each one transaction: a killed run leaves whole batches, and runs again.
"""

from django.apps import apps
from django.db import connection, transaction

from kuzot.accounts.models import Organisation, User
from kuzot.accounts.vault import Vault, VaultLocked, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases import actions, imports
from kuzot.cases.models import Allegation, Case, LegalEvent, UnsealedValue

BATCH = 500


def seal_pending(actor: User | None, vault: Vault) -> int:
    """Seal every value of the vault's organisation waiting in ``UnsealedValue``; how many."""
    organisation = Organisation.objects.get(pk=vault.organisation_id)
    pending = UnsealedValue.objects.filter(organisation=organisation).order_by("pk")
    sealed = 0
    while batch := list(pending[:BATCH]):
        with transaction.atomic():
            for value in batch:
                model = apps.get_model(value.model)
                text = value.value
                changes = {value.field: vault.seal(text, sealed_context(model, value.field))}
                if model is Case and value.field == "external_reference":
                    changes |= _imported_by_reference(vault, value.object_id, text)
                # A record deleted since has nothing left to seal the value into.
                model.objects.filter(pk=value.object_id).update(**changes)
            UnsealedValue.objects.filter(pk__in=[v.pk for v in batch]).delete()
            record(
                actor,
                Action.UPDATE,
                organisation,
                organisation=organisation,
                detail={"sealed_values": len(batch)},
            )
        sealed += len(batch)
    return sealed


def _imported_by_reference(vault: Vault, case_id: int, reference: str) -> dict:
    """A case imported by its reference: its keyed import key, and a number of Kuzot's in place
    of the reference (which only the sealed field keeps)."""
    case = Case.objects.select_related("organisation").filter(pk=case_id).first()
    if case is None:
        return {}
    fingerprint = imports.import_fingerprint(case.organisation_id, {"reference": reference})
    number = actions.free_references(case.organisation, {case.intake_date.year})
    return {
        "import_fingerprint": vault.seal(fingerprint, sealed_context(Case, "import_fingerprint")),
        "import_key": actions.import_key(vault, fingerprint),
        "reference": number(case.intake_date.year),
    }


def compact_database() -> None:
    """Rewrite the tables that held clear values, so that the values leave the database files
    (deleted rows linger in SQLite's free pages and its write-ahead log, and in PostgreSQL's
    dead tuples). Outside any transaction; SQLite's VACUUM blocks writers while it runs."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        for model in (Case, Allegation, LegalEvent, UnsealedValue):
            cursor.execute(f"VACUUM FULL {connection.ops.quote_name(model._meta.db_table)}")


def seal_at_rotation(sender, *, organisation, old: Vault, new: Vault, **kwargs) -> None:
    """A rotation re-encrypts everything: what was waiting is sealed under the new key."""
    seal_pending(None, new)


def seal_at_login(sender, *, request, user: User, **kwargs) -> None:
    """The first member to log in with the key after an upgrade seals what waits (seconds,
    once); members without the key leave it to the next."""
    if user.organisation_id is None:
        return
    if not UnsealedValue.objects.filter(organisation_id=user.organisation_id).exists():
        return
    try:
        vault = request.keyring.vault(user.organisation_id)
    except VaultLocked:
        return
    seal_pending(user, vault)
