"""Shared by ``kuzot import`` and ``kuzot export``: a member and their unlocked keys."""

from pathlib import Path

from django.core.management.base import CommandError

from kuzot.accounts import crypto, vault
from kuzot.accounts.models import Organisation, User
from kuzot.ops.secrets import read_secret


def member_and_keyring(slug: str, username: str, password_file: Path | None):
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"No organisation with the short name {slug!r}.")
    user = User.objects.filter(organisation=organisation, username=username, is_active=True)
    user = user.first()
    if user is None:
        raise CommandError(f"{username!r} is not an active member of {slug}.")
    password = read_secret(f"Password of {username}", password_file, option="--password-file")
    try:
        keyring = vault.unlock(user, password)
        keyring.vault(organisation.pk)
    except (crypto.DecryptionError, vault.VaultLocked) as error:
        raise CommandError("Wrong password, or no key of this organisation.") from error
    return user, keyring
