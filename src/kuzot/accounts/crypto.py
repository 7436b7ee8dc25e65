"""The vault's primitives: AEAD, password-derived keys, sealing to a public key, recovery keys.

AES-256-GCM for everything at rest; Argon2id turns a password into a key; X25519 + HKDF seals a
data key to a user's public key (so a coordinator can grant access without knowing the password).
Every ciphertext is bound to its purpose by associated data, so it cannot be moved elsewhere.

Argon2id runs at most ``KUZOT_KDF_CONCURRENCY`` at once per process (``derivations``): each
takes tens of megabytes and a core for a fraction of a second, and eight anonymous login or
receipt guesses at once added 800 MB and stalled the server for 5 s. Past the bound a caller
waits a little, then gets ``KdfBusy`` and answers "busy, try again".
"""

import base64
import hashlib
import hmac
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from kuzot.accounts import purposes

KEY_BYTES = 32
NONCE_BYTES = 12
# How long a key derivation waits for a slot before the request is told the server is busy:
# about ten derivations at the default work factors, so a short burst queues, a flood does not.
SLOT_WAIT_SECONDS = 5.0


class KdfBusy(Exception):
    """Every key-derivation slot of this process is taken: ask to try again in a moment."""


class DerivationSlots:
    """A bound on simultaneous key derivations in this process, shared by its threads.

    Re-entrant within a thread, so that one step holding a slot (a login: the password hash and
    the key that unwraps the private key) never waits for a second one. With several worker
    processes (``kuzot serve --workers N``) the bound is per process.
    """

    def __init__(self, bound: int | None = None, wait: float = SLOT_WAIT_SECONDS):
        self.bound = bound if bound is not None else settings.KUZOT_KDF_CONCURRENCY
        self.wait = wait
        self._semaphore = threading.BoundedSemaphore(self.bound)
        self._held = threading.local()

    @contextmanager
    def slot(self) -> Iterator[None]:
        depth = getattr(self._held, "depth", 0)
        if depth == 0 and not self._semaphore.acquire(timeout=self.wait):
            raise KdfBusy
        self._held.depth = depth + 1
        try:
            yield
        finally:
            self._held.depth = depth
            if depth == 0:
                self._semaphore.release()


derivations = DerivationSlots()


class DecryptionError(Exception):
    """A ciphertext did not open: wrong key, wrong purpose, or tampered bytes."""


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("ciphertext does not open with this key") from exc


def derive_subkey(key: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(key)


def password_key(password: str, salt: bytes, params: dict, length: int = KEY_BYTES) -> bytes:
    """Argon2id: the key that wraps a user's private key (work factors in settings.KUZOT_KDF),
    or a complaint receipt's keys; in a derivation slot (``KdfBusy`` when none frees up)."""
    with derivations.slot():
        return hash_secret_raw(
            password.encode(),
            salt,
            time_cost=params["time_cost"],
            memory_cost=params["memory_cost"],
            parallelism=params["parallelism"],
            hash_len=length,
            type=Type.ID,
        )


def generate_keypair() -> tuple[bytes, bytes]:
    """(private, public), raw X25519 bytes."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def seal_to(public_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt so that only the holder of the private key opens it (ephemeral X25519 + HKDF)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
    key = derive_subkey(shared + ephemeral_public + public_key, purposes.SEAL_KEY)
    return ephemeral_public + encrypt(key, plaintext, aad)


def open_sealed(private_key: bytes, blob: bytes, aad: bytes) -> bytes:
    private = X25519PrivateKey.from_private_bytes(private_key)
    ephemeral_public, body = blob[:KEY_BYTES], blob[KEY_BYTES:]
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    public = private.public_key().public_bytes_raw()
    return decrypt(derive_subkey(shared + ephemeral_public + public, purposes.SEAL_KEY), body, aad)


def keyed_digest(key: bytes, value: str) -> str:
    """A blind-index entry: HMAC-SHA256 truncated to 128 bits, hex."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def format_recovery_key(key: bytes) -> str:
    """32 random bytes as 13 groups of four base32 characters, for printing on paper."""
    text = base64.b32encode(key).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(text.split()).replace("-", "").upper()
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError as exc:
        raise DecryptionError("this is not a recovery key") from exc
    if len(key) != KEY_BYTES:
        raise DecryptionError("this is not a recovery key")
    return key
