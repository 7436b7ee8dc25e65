"""State changes of organisations, accounts and their keys. Each one audits."""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot.accounts import backoff, crypto, keys, purposes, vault
from kuzot.accounts.models import (
    IDENTITY_ROLES,
    Coalition,
    Invitation,
    KeyGrant,
    Organisation,
    OrganisationKey,
    Role,
    User,
)
from kuzot.audit.log import Action, record

# The session key under which a login waits for its second factor.
PENDING_USER = "kuzot_pending_user"


@dataclass(frozen=True)
class NewOrganisation:
    organisation: Organisation
    invitation_token: str  # for the first coordinator; the link is shown once


@dataclass(frozen=True)
class Joined:
    user: User
    recovery_key: str | None  # created for the first coordinator only; shown to them once


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_key(token: str) -> bytes:
    return crypto.derive_subkey(token.encode(), purposes.INVITATION_KEY)


def _new_invitation(
    invited_by: User, organisation: Organisation, role: str, keyring: vault.Keyring | None = None
) -> tuple[Invitation, str]:
    """An invitation whose link token is returned (never stored). A role that sees identities
    gets the current data key from ``keyring``, wrapped under the token; other roles get none,
    and the first coordinator's invitation has none to give."""
    token = secrets.token_urlsafe(32)
    key, wrapped = None, None
    if keyring is not None and role in IDENTITY_ROLES:
        key = vault.current_key(organisation.pk)
        data_key = keyring.vault(organisation.pk).keys[key.version]
        aad = purposes.invitation(key.organisation_id, key.version)
        wrapped = crypto.encrypt(_token_key(token), data_key, aad)
    invitation = Invitation.objects.create(
        organisation=organisation,
        role=role,
        invited_by=invited_by,
        token_digest=_token_digest(token),
        key=key,
        wrapped_key=wrapped,
        expires_at=timezone.now() + timedelta(days=settings.KUZOT_INVITATION_DAYS),
    )
    record(invited_by, Action.CREATE, invitation, organisation=organisation, detail={"role": role})
    return invitation, token


def create_organisation(
    actor: User, *, coalition: Coalition, name: str, slug: str, country: str
) -> NewOrganisation:
    """A member organisation and an invitation for its first coordinator, and no key: the
    keys are created in the first coordinator's own request when they accept, so the
    administrator never holds them."""
    if not actor.is_system_admin:
        raise PermissionError("only the system administrator creates organisations")
    with transaction.atomic():
        purge_expired_invitations()
        organisation = Organisation.objects.create(
            coalition=coalition, name=name, slug=slug, country=country
        )
        record(actor, Action.CREATE, organisation, organisation=organisation)
        _, token = _new_invitation(actor, organisation, Role.COORDINATOR)
    return NewOrganisation(organisation, token)


def has_keys(organisation: Organisation) -> bool:
    """Whether a first coordinator has joined and created the organisation's keys."""
    return OrganisationKey.objects.filter(organisation=organisation).exists()


def invite_first_coordinator(actor: User, organisation: Organisation) -> tuple[Invitation, str]:
    """A new link for the first coordinator (a lost or expired one is withdrawn), only while
    nobody has joined: from then on the organisation's coordinators invite."""
    if not actor.is_system_admin:
        raise PermissionError("only the system administrator invites a first coordinator")
    if has_keys(organisation):
        raise PermissionError("the organisation has its coordinator")
    with transaction.atomic():
        for pending in Invitation.objects.filter(organisation=organisation):
            _withdraw(actor, pending)
        return _new_invitation(actor, organisation, Role.COORDINATOR)


def invite(actor: User, keyring: vault.Keyring, *, role: str) -> tuple[Invitation, str]:
    """A coordinator invites a colleague; the returned token goes into the link, only there."""
    if not actor.is_coordinator:
        raise PermissionError("only coordinators invite")
    if role not in Role.values or role == Role.ADMIN:
        raise ValidationError(_("Choose a role."))
    with transaction.atomic():
        purge_expired_invitations()
        return _new_invitation(actor, actor.organisation, role, keyring)


def _withdraw(actor: User | None, invitation: Invitation, reason: str = "withdrawn") -> None:
    record(
        actor,
        Action.DELETE,
        invitation,
        organisation=invitation.organisation,
        detail={"invitation": reason},
    )
    invitation.delete()


def withdraw_invitation(actor: User, invitation: Invitation) -> None:
    """A coordinator withdraws an open invitation of their organisation; the system
    administrator withdraws a first coordinator's invitation."""
    allowed = (actor.is_coordinator and actor.organisation_id == invitation.organisation_id) or (
        actor.is_system_admin and invitation.founds_organisation
    )
    if not allowed:
        raise PermissionError("not yours to withdraw")
    with transaction.atomic():
        _withdraw(actor, invitation)


def purge_expired_invitations() -> int:
    """Delete expired invitations: a link found later (in a chat, on a seized phone) must
    meet no wrapped key. Run daily (``kuzot expire_invitations``) and before each new one."""
    expired = list(Invitation.objects.filter(expires_at__lte=timezone.now()))
    with transaction.atomic():
        for invitation in expired:
            _withdraw(None, invitation, "expired")
    return len(expired)


def find_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.filter(token_digest=_token_digest(token))
        .select_related("organisation", "key")
        .first()
    )
    return None if invitation is None or invitation.is_expired() else invitation


def accept_invitation(token: str, *, username: str, password: str) -> Joined:
    """Create the account, once per link. A role that sees identities gets the data key the
    link carries; the first coordinator creates the organisation's data key, key pair and
    recovery key here, in their own request."""
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("This invitation is not valid or has expired."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken."))
    user = User(username=username, organisation=invitation.organisation, role=invitation.role)
    validate_password(password, user)
    data_key = None
    if invitation.wrapped_key is not None:
        data_key = crypto.decrypt(
            _token_key(token),
            bytes(invitation.wrapped_key),
            purposes.invitation(invitation.key.organisation_id, invitation.key.version),
        )
    with transaction.atomic():
        # Deleting first makes the link single-use even when two requests race with it.
        used = Invitation.objects.filter(pk=invitation.pk).delete()[0]
        founding = invitation.founds_organisation
        if not used or (founding and has_keys(invitation.organisation)):
            raise ValidationError(_("This invitation is not valid or has expired."))
        user.save()
        vault.set_password_keys(user, password)
        recovery_key = None
        if data_key is not None:
            vault.grant(user, invitation.key, data_key)
        elif founding:
            recovery_key = _create_organisation_keys(user)
        record(user, Action.CREATE, user, detail={"invited_by": invitation.invited_by_id})
    return Joined(user, recovery_key)


def _create_organisation_keys(coordinator: User) -> str:
    """The first data key, the organisation's key pair and the recovery key (returned)."""
    organisation = coordinator.organisation
    key, data_key, recovery_key = vault.new_organisation_key(organisation)
    vault.give_organisation_keypair(
        organisation, vault.Vault(organisation.pk, {key.version: data_key})
    )
    vault.grant(coordinator, key, data_key)
    record(coordinator, Action.KEYS, organisation, detail={"created": key.version})
    return recovery_key


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


def _accept_code(user: User, secret: str, code: str) -> bool:
    """A current code, never the same time step twice (no replay)."""
    totp = pyotp.TOTP(secret)
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


def check_totp(user: User, keyring: vault.Keyring, code: str) -> bool:
    """Second login step: the secret opens with the private key the password step unlocked.
    A secret from before secrets were sealed is checked as it is, then sealed."""
    if keyring.private_key is None:
        return False
    if user.legacy_totp_secret:
        if not _accept_code(user, user.legacy_totp_secret, code):
            return False
        vault.seal_totp_secret(user, keyring.private_key, user.legacy_totp_secret)
        user.legacy_totp_secret = ""
        user.save(update_fields=["sealed_totp_secret", "legacy_totp_secret"])
        return True
    if user.sealed_totp_secret is None:
        return False
    return _accept_code(user, vault.open_totp_secret(user, keyring.private_key), code)


def record_login(user: User) -> None:
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    record(user, Action.LOGIN, user)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def confirm_totp(user: User, keyring: vault.Keyring, secret: str, code: str) -> bool:
    """Enrolment at a first login: the app's first code confirms the secret, which is then
    sealed under the private key the password step unlocked."""
    if keyring.private_key is None or not _accept_code(user, secret, code):
        return False
    vault.seal_totp_secret(user, keyring.private_key, secret)
    user.legacy_totp_secret, user.totp_confirmed = "", True
    user.save(update_fields=["sealed_totp_secret", "legacy_totp_secret", "totp_confirmed"])
    record(user, Action.UPDATE, user, detail={"two_factor": "enabled"})
    return True


# --- Passwords -----------------------------------------------------------------------------


def change_password(user: User, old_password: str, new_password: str) -> vault.Keyring:
    """The user's own change: a new key pair under the new password, their data keys granted
    to it again, and what other apps sealed to the old pair re-sealed (the old password opens
    the old pair here). Returns the keyring to keep in the session."""
    if not user.check_password(old_password):
        raise ValidationError(_("Your current password is not right."))
    validate_password(new_password, user)
    old = vault.unlock(user, old_password)
    second_factor = user.legacy_totp_secret or None
    if user.sealed_totp_secret is not None and old.private_key is not None:
        second_factor = vault.open_totp_secret(user, old.private_key)
    with transaction.atomic():
        private_key = vault.set_password_keys(user, new_password)
        if second_factor is not None:  # the same authenticator app goes on working
            vault.seal_totp_secret(user, private_key, second_factor)
            user.totp_confirmed = True
        vault.grant_again(user, old)
        if old.private_key is not None:
            reseal = vault.resealer(old.private_key, bytes(user.public_key))
            keys.keypair_replaced.send(sender=User, user=user, reseal=reseal)
        user.must_change_password = False
        user.save(update_fields=["must_change_password", "sealed_totp_secret", "totp_confirmed"])
        record(user, Action.UPDATE, user, detail={"password": "changed"})
    return old.with_private_key(private_key)


def reset_password(actor: User, keyring: vault.Keyring, user: User, new_password: str) -> None:
    """A coordinator sets a temporary password: new key pair, data keys granted again to a
    role that sees identities (an analyst holds none). The second factor was sealed under the
    old key pair: the user enrols their authenticator app again at the next login."""
    if not actor.is_coordinator or user.organisation_id != actor.organisation_id:
        raise PermissionError("a coordinator resets passwords in their own organisation")
    with transaction.atomic():
        _give_temporary_password(actor, keyring, user, new_password)
        record(actor, Action.UPDATE, user, detail={"password": "reset"})


def _give_temporary_password(
    actor: User, keyring: vault.Keyring, user: User, new_password: str
) -> None:
    validate_password(new_password, user)
    org_vault = keyring.vault(actor.organisation_id)
    vault.set_password_keys(user, new_password)
    if user.sees_identities:
        for key in OrganisationKey.objects.filter(
            organisation_id=actor.organisation_id, version__in=org_vault.keys
        ):
            vault.grant(user, key, org_vault.keys[key.version])
    user.must_change_password = True
    user.save(update_fields=["must_change_password", "is_active"])


def reset_two_factor(actor: User, user: User) -> None:
    if not actor.is_coordinator or user.organisation_id != actor.organisation_id:
        raise PermissionError("a coordinator resets two-factor in their own organisation")
    user.sealed_totp_secret, user.legacy_totp_secret, user.totp_confirmed = None, "", False
    user.save(update_fields=["sealed_totp_secret", "legacy_totp_secret", "totp_confirmed"])
    record(actor, Action.UPDATE, user, detail={"two_factor": "reset"})


def remove_member(actor: User, keyring: vault.Keyring, member: User) -> None:
    """A coordinator removes a colleague: their sessions end, their grants, key pair and
    what was sealed to them are deleted, invitations they made are withdrawn, and the
    account is deactivated, kept for the audit trail. What only they received is handed to
    the remaining recipients with the coordinator's ``keyring``. Rotate the data key next, so
    that a key they may have copied opens nothing new."""
    if not actor.is_coordinator or member.organisation_id != actor.organisation_id:
        raise PermissionError("a coordinator removes members of their own organisation")
    if member.pk == actor.pk:
        raise ValidationError(_("You cannot remove yourself."))
    with transaction.atomic():
        KeyGrant.objects.filter(user=member).delete()
        for invitation in Invitation.objects.filter(invited_by=member):
            _withdraw(actor, invitation)
        keys.member_removed.send(sender=User, user=member, keyring=keyring)
        member.is_active = False
        member.public_key = member.wrapped_private_key = member.kdf_salt = None
        member.kdf_params = {}
        member.sealed_totp_secret, member.legacy_totp_secret = None, ""
        member.totp_confirmed = False
        member.set_unusable_password()
        member.save()
        end_sessions(member)
        record(actor, Action.UPDATE, member, detail={"account": "removed"})


def reactivate_member(actor: User, keyring: vault.Keyring, member: User, new_password: str) -> None:
    """A coordinator takes a deactivated (removed) colleague back: the account, with its
    history in the audit log, is active again with a temporary password, a new key pair and
    the data keys the coordinator holds now (what was sealed to the old keys stays deleted);
    the colleague changes the password and enrols two-factor again at the next login."""
    if not actor.is_coordinator or member.organisation_id != actor.organisation_id:
        raise PermissionError("a coordinator reactivates members of their own organisation")
    if member.is_active:
        raise ValidationError(_("This member is active."))
    with transaction.atomic():
        member.is_active = True
        _give_temporary_password(actor, keyring, member, new_password)
        record(actor, Action.UPDATE, member, detail={"account": "reactivated"})


def end_sessions(user: User) -> int:
    """Delete every session of the user, logged in or half-way through logging in."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        data = session.get_decoded()
        if str(user.pk) in (str(data.get(SESSION_KEY)), str(data.get(PENDING_USER))):
            session.delete()
            ended += 1
    return ended
