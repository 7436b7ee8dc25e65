"""`kuzot keys`: rotate an organisation's keys; recover one with its recovery key. And the
signals through which other apps follow keys that change."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.dispatch import Signal

from kuzot.accounts import vault
from kuzot.accounts.models import (
    IDENTITY_ROLES,
    Invitation,
    KeyGrant,
    Organisation,
    OrganisationKey,
    User,
)
from kuzot.audit.log import Action, record

# Sent inside the rotation's transaction with the new vault and the old one, so that
# derived data (the blind name index, evidence files) is re-keyed, and with ``reseal(blob,
# aad)``, which moves what was sealed to the organisation's old key pair to its new one.
data_key_rotated = Signal()
# Sent when a user's own password change gives them a new key pair, with ``reseal(blob,
# aad)`` from the old pair to the new: what other apps sealed to the user follows.
keypair_replaced = Signal()
# Sent when a coordinator removes a member, with the coordinator's keyring: what other apps
# sealed to the member is deleted (and handed to others where nobody else has it).
member_removed = Signal()


def sealed_fields() -> list[tuple[type, list[str]]]:
    """Every model with sealed fields, and those fields."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, vault.SealedField)]
        if names:
            found.append((model, names))
    return found


def unlock_with_password(user: User, password: str) -> vault.Vault:
    keyring = vault.unlock(user, password)
    return keyring.vault(user.organisation_id)


@dataclass(frozen=True)
class Rotated:
    recovery_key: str  # the new one, shown once
    members: list[str]  # usernames granted the new key


def key_holders(organisation: Organisation):
    """The members who hold the data key: active, in a role that sees identities."""
    return User.objects.filter(
        organisation=organisation,
        role__in=IDENTITY_ROLES,
        is_active=True,
        public_key__isnull=False,
    ).order_by("username")


def rotate(actor: User | None, organisation: Organisation, old: vault.Vault) -> Rotated:
    """New data key and organisation key pair; re-encrypt every sealed value and re-seal
    what was sealed to the old key pair; grant the new key to the active members who hold
    keys, and only them. The old recovery key and pending invitations stop working."""
    with transaction.atomic():
        key, data_key, recovery_key = vault.new_organisation_key(organisation)
        new = vault.Vault(organisation.pk, {key.version: data_key})
        rewritten = 0
        for model, names in sealed_fields():
            rows = model.objects.filter(organisation=organisation)
            # A model keeping values of other fields (earlier values, cases.RevisionValue)
            # names each row's purpose; the others seal a field under its own.
            per_row = hasattr(model, "sealed_purpose")
            if not per_row:
                rows = rows.only("pk", *names)
            for row in rows.iterator(chunk_size=500):
                for name in names:
                    if per_row:
                        context = row.sealed_purpose(name)
                    else:
                        context = vault.sealed_context(model, name)
                    blob = getattr(row, name)
                    if blob is not None:
                        setattr(row, name, new.seal_bytes(old.open_bytes(blob, context), context))
                row.save(update_fields=names)
                rewritten += 1
        old_private_key = vault.organisation_private_key(organisation, old)
        vault.give_organisation_keypair(organisation, new)
        reseal = vault.resealer(old_private_key, bytes(organisation.public_key))
        data_key_rotated.send(
            sender=Organisation, organisation=organisation, old=old, new=new, reseal=reseal
        )
        members = list(key_holders(organisation))
        for user in members:
            vault.grant(user, key, data_key)
        KeyGrant.objects.filter(key__organisation=organisation).exclude(key=key).delete()
        Invitation.objects.filter(organisation=organisation).delete()
        OrganisationKey.objects.filter(organisation=organisation).exclude(pk=key.pk).delete()
        granted = [user.username for user in members]
        record(
            actor,
            Action.KEYS,
            organisation,
            organisation=organisation,
            detail={"rotated_to": key.version, "records": rewritten, "granted_to": granted},
        )
    return Rotated(recovery_key, granted)


def recover(organisation: Organisation, recovery_text: str, user: User, new_password: str) -> None:
    """With the recovery key, give a member (usually a coordinator) a new password and the key."""
    if user.organisation_id != organisation.pk or not user.is_active:
        raise PermissionError("the user is not a member of this organisation")
    validate_password(new_password, user)
    org_vault = vault.open_with_recovery_key(organisation, recovery_text)
    with transaction.atomic():
        vault.set_password_keys(user, new_password)
        if user.sees_identities:
            key = vault.current_key(organisation.pk)
            vault.grant(user, key, org_vault.keys[org_vault.version])
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
        record(None, Action.KEYS, user, organisation=organisation, detail={"recovered": True})
