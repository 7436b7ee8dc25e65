"""State changes of organisations, accounts and their keys. Each one audits."""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot.accounts import backoff, crypto, vault
from kuzot.accounts.models import (
    Coalition,
    Invitation,
    Organisation,
    OrganisationKey,
    Role,
    User,
)
from kuzot.audit.log import Action, record


@dataclass(frozen=True)
class NewOrganisation:
    organisation: Organisation
    recovery_key: str  # shown once, never stored
    invitation_token: str  # for the first coordinator


def _invitation_aad(key: OrganisationKey) -> bytes:
    return f"invitation|org:{key.organisation_id}|v:{key.version}".encode()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_invitation(
    invited_by: User, key: OrganisationKey, data_key: bytes, role: str
) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation_id=key.organisation_id,
        role=role,
        invited_by=invited_by,
        token_digest=_token_digest(token),
        key=key,
        wrapped_key=crypto.encrypt(
            crypto.derive_subkey(token.encode(), "invitation"), data_key, _invitation_aad(key)
        ),
        expires_at=timezone.now() + timedelta(days=settings.KUZOT_INVITATION_DAYS),
    )
    record(
        invited_by,
        Action.CREATE,
        invitation,
        organisation=invitation.organisation,
        detail={"role": role},
    )
    return invitation, token


def create_organisation(
    actor: User, *, coalition: Coalition, name: str, slug: str, country: str
) -> NewOrganisation:
    """A member organisation with its first data key and an invitation for its coordinator."""
    if not actor.is_system_admin:
        raise PermissionError("only the system administrator creates organisations")
    with transaction.atomic():
        organisation = Organisation.objects.create(
            coalition=coalition, name=name, slug=slug, country=country
        )
        key, data_key, recovery_key = vault.new_organisation_key(organisation)
        vault.give_organisation_keypair(
            organisation, vault.Vault(organisation.pk, {key.version: data_key})
        )
        record(actor, Action.CREATE, organisation, organisation=organisation)
        _, token = _new_invitation(actor, key, data_key, Role.COORDINATOR)
    return NewOrganisation(organisation, recovery_key, token)


def invite(actor: User, keyring: vault.Keyring, *, role: str) -> tuple[Invitation, str]:
    """A coordinator invites a colleague; the returned token goes into the link, only there."""
    if not actor.is_coordinator:
        raise PermissionError("only coordinators invite")
    if role not in Role.values or role == Role.ADMIN:
        raise ValidationError(_("Choose a role."))
    org_vault = keyring.vault(actor.organisation_id)
    key = vault.current_key(actor.organisation_id)
    return _new_invitation(actor, key, org_vault.keys[key.version], role)


def find_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.filter(token_digest=_token_digest(token))
        .select_related("organisation", "key")
        .first()
    )
    return None if invitation is None or invitation.is_expired() else invitation


def accept_invitation(token: str, *, username: str, password: str) -> User:
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation is not valid or has expired."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken."))
    user = User(username=username, organisation=invitation.organisation, role=invitation.role)
    validate_password(password, user)
    data_key = crypto.decrypt(
        crypto.derive_subkey(token.encode(), "invitation"),
        bytes(invitation.wrapped_key),
        _invitation_aad(invitation.key),
    )
    with transaction.atomic():
        user.save()
        vault.set_password_keys(user, password)
        vault.grant(user, invitation.key, data_key)
        record(user, Action.CREATE, user, detail={"invited_by": invitation.invited_by_id})
        invitation.delete()
    return user


# --- Logging in ----------------------------------------------------------------------------


class LoginRefused(Exception):
    pass


def failure_message() -> str:
    """The one answer to every failed login, whatever failed: names are not told apart."""
    return _("The username, password or code is not right.")


@dataclass(frozen=True)
class PasswordStep:
    """The outcome of the first login step that goes on to the code (or straight in)."""

    user: User | None  # None: no such user, or the password was wrong, while the name is guarded
    keyring: vault.Keyring | None
    guarded: bool  # only the code step may follow, whoever the user is


def check_password_step(username: str, password: str, source: str) -> PasswordStep:
    """First login step: the password, from ``source`` (a ``kuzot.clients`` digest).

    Whatever the outcome — no such user, a wrong password, the right one — it costs one
    password hash and one key derivation, in one derivation slot, so time does not tell names
    apart. A failure outside back-off raises ``LoginRefused`` with the one message; while the
    name is guarded (accounts/backoff.py) a failure goes on to the code step like a success,
    and only the right password with a valid code gets in."""
    if wait := backoff.source_wait(source):
        raise LoginRefused(
            _("Too many failed attempts from your network. Try again in %(n)d seconds.")
            % {"n": wait}
        )
    guarded = backoff.guarded(username)
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    with crypto.derivations.slot():
        if user is not None and user.check_password(password):
            return PasswordStep(user, vault.unlock(user, password), guarded)
        if user is None:
            make_password(password)  # the hash a real user's check costs
        crypto.password_key(password, os.urandom(16), settings.KUZOT_KDF)
    register_failure(username, source, user, "password")
    if not guarded:
        raise LoginRefused(failure_message())
    return PasswordStep(None, None, guarded)


def register_failure(username: str, source: str, user: User | None, reason: str) -> None:
    backoff.failed(username, source)
    if user is not None:
        record(user, Action.LOGIN_FAILED, user, detail={"reason": reason})


def check_totp(user: User, code: str) -> bool:
    """A current code, never the same time step twice (no replay)."""
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    code = "".join(code.split())
    for offset in (0, -1, 1):
        at = now + timedelta(seconds=30 * offset)
        step = totp.timecode(at)
        if step > user.last_totp_step and secrets.compare_digest(totp.at(at), code):
            user.last_totp_step = step
            user.save(update_fields=["last_totp_step"])
            return True
    return False


def record_login(user: User) -> None:
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    record(user, Action.LOGIN, user)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def confirm_totp(user: User, secret: str, code: str) -> bool:
    user.totp_secret = secret
    if not check_totp(user, code):
        return False
    user.totp_confirmed = True
    user.save(update_fields=["totp_secret", "totp_confirmed"])
    record(user, Action.UPDATE, user, detail={"two_factor": "enabled"})
    return True


# --- Passwords -----------------------------------------------------------------------------


def change_password(user: User, old_password: str, new_password: str) -> None:
    """The user's own change: the same private key, wrapped under the new password."""
    if not user.check_password(old_password):
        raise ValidationError(_("Your current password is not right."))
    validate_password(new_password, user)
    private_key = vault.unwrap_private_key(user, old_password)
    with transaction.atomic():
        vault.set_password_keys(user, new_password, private_key=private_key)
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        record(user, Action.UPDATE, user, detail={"password": "changed"})


def reset_password(actor: User, keyring: vault.Keyring, user: User, new_password: str) -> None:
    """A coordinator sets a temporary password: new key pair, data keys granted again."""
    if not actor.is_coordinator or user.organisation_id != actor.organisation_id:
        raise PermissionError("a coordinator resets passwords in their own organisation")
    validate_password(new_password, user)
    org_vault = keyring.vault(actor.organisation_id)
    with transaction.atomic():
        vault.set_password_keys(user, new_password)
        for key in OrganisationKey.objects.filter(
            organisation_id=actor.organisation_id, version__in=org_vault.keys
        ):
            vault.grant(user, key, org_vault.keys[key.version])
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
        record(actor, Action.UPDATE, user, detail={"password": "reset"})


def reset_two_factor(actor: User, user: User) -> None:
    if not actor.is_coordinator or user.organisation_id != actor.organisation_id:
        raise PermissionError("a coordinator resets two-factor in their own organisation")
    user.totp_secret, user.totp_confirmed = "", False
    user.save(update_fields=["totp_secret", "totp_confirmed"])
    record(actor, Action.UPDATE, user, detail={"two_factor": "reset"})
