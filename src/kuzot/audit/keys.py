"""The audit key (``settings.KUZOT_AUDIT_KEY``) and what is derived from it.

* the chain key: an HMAC-SHA256 key for each event's hash and each chain head's MAC;
* the checkpoint key: an Ed25519 key pair; the private half signs checkpoints, the public
  half (in every checkpoint file, and on the audit page) lets anyone check them;
* the key id: names the key without revealing it, so that a log written under another key
  is reported as such rather than as every event edited.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from kuzot.accounts import crypto, purposes


@lru_cache(maxsize=4)
def _derived(secret: str) -> tuple[bytes, Ed25519PrivateKey, str]:
    root = secret.encode()
    chain_key = crypto.derive_subkey(root, purposes.AUDIT_CHAIN_KEY)
    signing = Ed25519PrivateKey.from_private_bytes(
        crypto.derive_subkey(root, purposes.AUDIT_CHECKPOINT_KEY)
    )
    key_id = hmac.new(chain_key, b"kuzot audit key id", hashlib.sha256).hexdigest()[:16]
    return chain_key, signing, key_id


def digest(data: bytes) -> str:
    """The keyed hash of an event's canonical bytes, or a head's signed fields (64 hex)."""
    return hmac.new(_derived(settings.KUZOT_AUDIT_KEY)[0], data, hashlib.sha256).hexdigest()


def signing_key() -> Ed25519PrivateKey:
    return _derived(settings.KUZOT_AUDIT_KEY)[1]


def public_key() -> bytes:
    return signing_key().public_key().public_bytes_raw()


def key_id() -> str:
    return _derived(settings.KUZOT_AUDIT_KEY)[2]
