"""The vault: identifying data encrypted at rest under keys the server's disk never holds in clear.

Each organisation has a data key (versioned). It is stored only wrapped: sealed to each user's
public key (``KeyGrant``) and wrapped by a recovery key shown once (``OrganisationKey``). A user's
private key is wrapped by a key derived from their password. At login the data keys are unwrapped
and kept for the session encrypted under a key that lives only in the user's cookie, so between
requests neither the database nor the session store can open them. See docs/security.md.
"""

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

from kuzot.accounts import crypto, purposes
from kuzot.accounts.models import KeyGrant, Organisation, OrganisationKey, User

KEYRING_COOKIE = "kuzot_keyring"
KEYRING_SESSION_KEY = "kuzot_keyring"
SEALED_FORMAT = 1


class VaultLocked(Exception):
    """The data key of this organisation is not unlocked in this session or process."""


class SealedField(models.BinaryField):
    """Ciphertext of an identifying value; only ``Vault.open`` makes it readable.

    Models with sealed fields carry an ``organisation`` foreign key: the key that seals them.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def sealed_context(model: type[models.Model], field_name: str) -> str:
    return purposes.field(model._meta.label_lower, field_name)


@dataclass(frozen=True)
class Vault:
    """One organisation's data keys (by version), able to seal and open its identifying data."""

    organisation_id: int
    keys: dict[int, bytes]

    @property
    def version(self) -> int:
        return max(self.keys)

    def seal_bytes(self, data: bytes, context: str) -> bytes:
        header = bytes([SEALED_FORMAT]) + self.version.to_bytes(4, "big")
        aad = purposes.data_key(context, self.organisation_id, self.version)
        return header + crypto.encrypt(self.keys[self.version], data, aad)

    def open_bytes(self, blob: bytes, context: str) -> bytes:
        blob = bytes(blob)
        if not blob or blob[0] != SEALED_FORMAT:
            raise crypto.DecryptionError("unknown sealed format")
        version = int.from_bytes(blob[1:5], "big")
        if version not in self.keys:
            raise VaultLocked(f"key version {version} is not unlocked")
        aad = purposes.data_key(context, self.organisation_id, version)
        return crypto.decrypt(self.keys[version], blob[5:], aad)

    def seal(self, text: str, context: str) -> bytes | None:
        return None if text in (None, "") else self.seal_bytes(text.encode(), context)

    def open(self, blob: bytes | None, context: str) -> str:
        return "" if blob is None else self.open_bytes(blob, context).decode()

    def digest(self, purpose: str, value: str) -> str:
        """Keyed digest of ``value`` under the current data key's subkey for ``purpose``: equal
        values meet without decryption, and no one without the key can test a guess."""
        return crypto.keyed_digest(crypto.derive_subkey(self.keys[self.version], purpose), value)

    def blind_index(self, token: str) -> str:
        """Keyed digest of a normalised name token, for exact-match search without decryption."""
        return self.digest(purposes.BLIND_INDEX, token)


class Keyring:
    """What a logged-in user unlocked: the data keys of their organisation(s) and their own
    private key (which opens what was sealed to them, such as complaints)."""

    def __init__(
        self, keys: dict[int, dict[int, bytes]] | None = None, private_key: bytes | None = None
    ):
        self._keys = keys or {}
        self.private_key = private_key

    def vault(self, organisation_id: int) -> Vault:
        if organisation_id not in self._keys:
            raise VaultLocked(f"organisation {organisation_id} is not unlocked")
        return Vault(organisation_id, self._keys[organisation_id])

    def open_sealed(self, blob: bytes, aad: bytes) -> bytes:
        """Open something sealed to this user's public key."""
        if self.private_key is None:
            raise VaultLocked("the private key is not unlocked")
        return crypto.open_sealed(self.private_key, blob, aad)

    def __bool__(self) -> bool:
        return bool(self._keys) or self.private_key is not None

    def with_private_key(self, private_key: bytes) -> "Keyring":
        """The same data keys with the user's new private key (after a password change)."""
        return Keyring(self._keys, private_key)

    def dump(self) -> bytes:
        return json.dumps(
            {
                "keys": {
                    str(org): {str(v): base64.b64encode(k).decode() for v, k in versions.items()}
                    for org, versions in self._keys.items()
                },
                "private_key": base64.b64encode(self.private_key).decode()
                if self.private_key
                else None,
            }
        ).encode()

    @classmethod
    def load(cls, raw: bytes) -> "Keyring":
        data = json.loads(raw)
        private_key = data.get("private_key")
        return cls(
            {
                int(org): {int(v): base64.b64decode(k) for v, k in versions.items()}
                for org, versions in data["keys"].items()
            },
            base64.b64decode(private_key) if private_key else None,
        )


# --- Keys of users -------------------------------------------------------------------------


def set_password_keys(user: User, password: str) -> bytes:
    """A new key pair, its private half wrapped under the password; returns the private key.

    Every password (a new account, a change, a reset, a recovery) gets a new key pair, so a
    copy of the database taken before and the old password open nothing sealed since. The
    user's grants are deleted with the old pair: the caller grants the data keys again. The
    second factor's secret, sealed under the old pair, goes too: it is enrolled again at the
    next login unless the caller seals it anew (a user's own change does).
    """
    private_key, user.public_key = crypto.generate_keypair()
    KeyGrant.objects.filter(user=user).delete()
    user.sealed_totp_secret, user.legacy_totp_secret, user.totp_confirmed = None, "", False
    salt = os.urandom(16)
    params = dict(settings.KUZOT_KDF)
    wrapping = crypto.password_key(password, salt, params)
    user.kdf_salt, user.kdf_params = salt, params
    user.wrapped_private_key = crypto.encrypt(
        wrapping, private_key, purposes.user_private_key(user.pk)
    )
    user.set_password(password)
    user.save()
    return private_key


def _totp_key(private_key: bytes) -> bytes:
    return crypto.derive_subkey(private_key, purposes.TOTP_KEY)


def seal_totp_secret(user: User, private_key: bytes, secret: str) -> None:
    """Seal the second factor's secret under the user's private key, which the password step
    unlocks before the code is asked for: a copy of the database holds no usable secret."""
    user.sealed_totp_secret = crypto.encrypt(
        _totp_key(private_key), secret.encode(), purposes.totp(user.pk)
    )


def open_totp_secret(user: User, private_key: bytes) -> str:
    return crypto.decrypt(
        _totp_key(private_key), bytes(user.sealed_totp_secret), purposes.totp(user.pk)
    ).decode()


def unwrap_private_key(user: User, password: str) -> bytes:
    wrapping = crypto.password_key(password, bytes(user.kdf_salt), user.kdf_params)
    return crypto.decrypt(
        wrapping, bytes(user.wrapped_private_key), purposes.user_private_key(user.pk)
    )


def unlock(user: User, password: str) -> Keyring:
    """The data keys granted to this user, unwrapped with their password."""
    if not user.wrapped_private_key:
        return Keyring()
    private_key = unwrap_private_key(user, password)
    keys: dict[int, dict[int, bytes]] = {}
    for grant in KeyGrant.objects.filter(user=user).select_related("key"):
        aad = purposes.grant(grant.key.organisation_id, grant.key.version, user.pk)
        data_key = crypto.open_sealed(private_key, bytes(grant.sealed), aad)
        keys.setdefault(grant.key.organisation_id, {})[grant.key.version] = data_key
    return Keyring(keys, private_key)


def grant(user: User, key: OrganisationKey, data_key: bytes) -> None:
    aad = purposes.grant(key.organisation_id, key.version, user.pk)
    sealed = crypto.seal_to(bytes(user.public_key), data_key, aad)
    KeyGrant.objects.update_or_create(user=user, key=key, defaults={"sealed": sealed})


def grant_again(user: User, keyring: Keyring) -> None:
    """Grant the user (with a new key pair) every data key version their old keyring held."""
    for organisation_id, versions in keyring._keys.items():
        for key in OrganisationKey.objects.filter(
            organisation_id=organisation_id, version__in=versions
        ):
            grant(user, key, versions[key.version])


Reseal = Callable[[bytes, bytes], bytes]


def resealer(old_private_key: bytes, new_public_key: bytes) -> Reseal:
    """``reseal(blob, aad)``: open what was sealed to the old key pair, seal it to the new one
    (for what other apps sealed to a user or an organisation whose key pair changes)."""

    def reseal(blob: bytes, aad: bytes) -> bytes:
        return crypto.seal_to(new_public_key, crypto.open_sealed(old_private_key, blob, aad), aad)

    return reseal


# --- Keys of organisations -----------------------------------------------------------------


def new_organisation_key(organisation: Organisation) -> tuple[OrganisationKey, bytes, str]:
    """A new data key version: (row, data key, recovery key text to show once)."""
    latest = organisation.keys.order_by("-version").first()
    key = OrganisationKey(organisation=organisation, version=(latest.version + 1) if latest else 1)
    data_key, recovery_key = crypto.random_key(), crypto.random_key()
    key.recovery_wrapped = crypto.encrypt(
        crypto.derive_subkey(recovery_key, purposes.RECOVERY_KEY),
        data_key,
        purposes.recovery(key.organisation_id, key.version),
    )
    key.save()
    return key, data_key, crypto.format_recovery_key(recovery_key)


ORGANISATION_PRIVATE_KEY = purposes.ORGANISATION_PRIVATE_KEY


def give_organisation_keypair(organisation: Organisation, org_vault: Vault) -> None:
    """A new key pair others seal to this organisation with (shared cases, linkage records,
    complaint keys); its private half is sealed under the organisation's data key."""
    private_key, organisation.public_key = crypto.generate_keypair()
    organisation.sealed_private_key = org_vault.seal_bytes(private_key, ORGANISATION_PRIVATE_KEY)
    organisation.save(update_fields=["public_key", "sealed_private_key"])


def organisation_private_key(organisation: Organisation, org_vault: Vault) -> bytes:
    return org_vault.open_bytes(bytes(organisation.sealed_private_key), ORGANISATION_PRIVATE_KEY)


def open_with_recovery_key(organisation: Organisation, recovery_text: str) -> Vault:
    recovery_key = crypto.derive_subkey(
        crypto.parse_recovery_key(recovery_text), purposes.RECOVERY_KEY
    )
    key = organisation.keys.order_by("-version").first()
    if key is None:
        raise VaultLocked("this organisation has no key")
    aad = purposes.recovery(key.organisation_id, key.version)
    data_key = crypto.decrypt(recovery_key, bytes(key.recovery_wrapped), aad)
    return Vault(organisation.pk, {key.version: data_key})


def current_key(organisation_id: int) -> OrganisationKey:
    return OrganisationKey.objects.filter(organisation_id=organisation_id).latest("version")


# --- Secrets of a session ------------------------------------------------------------------
#
# A session keeps secrets (a staff member's keyring, a complainant's submission key) only as
# ciphertext; the key that opens them lives in the browser's cookie, never on the server.


def _cookie_key(request: HttpRequest) -> bytes:
    if (key := getattr(request, "_keyring_cookie_key", None)) is not None:
        return key
    try:
        key = base64.urlsafe_b64decode(request.COOKIES.get(KEYRING_COOKIE, ""))
    except ValueError:
        key = b""
    if len(key) != crypto.KEY_BYTES:
        key = crypto.random_key()
        request._keyring_cookie = base64.urlsafe_b64encode(key).decode()
    request._keyring_cookie_key = key
    return key


def stash_secret(request: HttpRequest, name: str, secret: bytes) -> None:
    request.session[f"kuzot_secret:{name}"] = base64.b64encode(
        crypto.encrypt(_cookie_key(request), secret, purposes.session_secret(name))
    ).decode()


def load_secret(request: HttpRequest, name: str) -> bytes | None:
    stored = request.session.get(f"kuzot_secret:{name}")
    if not stored or KEYRING_COOKIE not in request.COOKIES:
        return None
    try:
        return crypto.decrypt(
            _cookie_key(request), base64.b64decode(stored), purposes.session_secret(name)
        )
    except (crypto.DecryptionError, ValueError):
        return None


def forget_secret(request: HttpRequest, name: str) -> None:
    request.session.pop(f"kuzot_secret:{name}", None)


def stash_keyring(request: HttpRequest, keyring: Keyring) -> None:
    """Keep the keyring for this session (a fresh cookie key: call after the session flush)."""
    request._keyring_cookie_key = None
    request.COOKIES.pop(KEYRING_COOKIE, None)
    stash_secret(request, KEYRING_SESSION_KEY, keyring.dump())
    request.keyring = keyring


def load_keyring(request: HttpRequest) -> Keyring:
    raw = load_secret(request, KEYRING_SESSION_KEY)
    return Keyring.load(raw) if raw else Keyring()


def write_keyring_cookie(request: HttpRequest, response: HttpResponse) -> None:
    if value := getattr(request, "_keyring_cookie", None):
        response.set_cookie(
            KEYRING_COOKIE,
            value,
            httponly=True,
            samesite="Strict",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    elif getattr(request, "_keyring_forget", False):
        response.delete_cookie(KEYRING_COOKIE, samesite="Strict")
