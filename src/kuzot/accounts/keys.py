"""`kuzot keys`: rotate an organisation's data key; recover one with its recovery key."""

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.dispatch import Signal

from kuzot.accounts import vault
from kuzot.accounts.models import Invitation, KeyGrant, Organisation, OrganisationKey, User
from kuzot.audit.log import Action, record

# Sent inside the rotation's transaction with the new vault and the old one, so that
# derived data (the blind name index) is rebuilt under the new key.
data_key_rotated = Signal()


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


def rotate(actor: User | None, organisation: Organisation, old: vault.Vault) -> str:
    """New data key; re-encrypt every sealed value; grant it to every member; return the
    new recovery key (the old one stops working). Pending invitations are withdrawn."""
    with transaction.atomic():
        key, data_key, recovery_key = vault.new_organisation_key(organisation)
        new = vault.Vault(organisation.pk, {key.version: data_key})
        rewritten = 0
        for model, names in sealed_fields():
            rows = model.objects.filter(organisation=organisation).only("pk", *names)
            for row in rows.iterator(chunk_size=500):
                for name in names:
                    context = vault.sealed_context(model, name)
                    blob = getattr(row, name)
                    if blob is not None:
                        setattr(row, name, new.seal_bytes(old.open_bytes(blob, context), context))
                row.save(update_fields=names)
                rewritten += 1
        organisation.sealed_private_key = new.seal_bytes(
            vault.organisation_private_key(organisation, old), vault.ORGANISATION_PRIVATE_KEY
        )
        organisation.save(update_fields=["sealed_private_key"])
        data_key_rotated.send(sender=Organisation, organisation=organisation, old=old, new=new)
        for user in User.objects.filter(organisation=organisation, public_key__isnull=False):
            vault.grant(user, key, data_key)
        KeyGrant.objects.filter(key__organisation=organisation).exclude(key=key).delete()
        Invitation.objects.filter(organisation=organisation).delete()
        OrganisationKey.objects.filter(organisation=organisation).exclude(pk=key.pk).delete()
        record(
            actor,
            Action.KEYS,
            organisation,
            organisation=organisation,
            detail={"rotated_to": key.version, "records": rewritten},
        )
    return recovery_key


def recover(organisation: Organisation, recovery_text: str, user: User, new_password: str) -> None:
    """With the recovery key, give a member (usually a coordinator) a new password and the key."""
    if user.organisation_id != organisation.pk:
        raise PermissionError("the user is not a member of this organisation")
    validate_password(new_password, user)
    org_vault = vault.open_with_recovery_key(organisation, recovery_text)
    with transaction.atomic():
        vault.set_password_keys(user, new_password)
        vault.grant(user, vault.current_key(organisation.pk), org_vault.keys[org_vault.version])
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
        record(None, Action.KEYS, user, organisation=organisation, detail={"recovered": True})
