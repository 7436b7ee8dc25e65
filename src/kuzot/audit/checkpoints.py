"""Signed checkpoints of the audit log, kept away from the server.

A checkpoint says: on this date the timed chain held N events ending with hash H, and the
chain of date-only events held M events dated before that day ending with hash G. It is signed
with the installation's Ed25519 checkpoint key (``kuzot.audit.keys``). Coordinators download
one from the audit page (or ``kuzot audit checkpoint``) and keep it off the server;
``kuzot audit verify --checkpoint FILE`` then proves that the log still holds every event the
checkpoint counted — which no edit of the database, with or without the key, can fake once
the file is out of reach.

The date-only chain is counted only up to the day before: the count of today's complaints at
the moment of a download would otherwise bound their time of day.
"""

import base64
import json
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot.audit import keys
from kuzot.audit.log import Mark, head_is_authentic
from kuzot.audit.models import GENESIS, AuditHead, Chain, DayEvent

FORMAT = "kuzot audit checkpoint 1"


class CheckpointError(ValueError):
    """Not a checkpoint, altered, or signed with another installation's key."""


@dataclass(frozen=True)
class Checkpoint:
    date: date
    marks: list[Mark]


def _signed_bytes(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def make() -> bytes:
    """A signed checkpoint of the log as it stands, as the bytes of a JSON file."""
    today = timezone.localdate()
    heads = {head.chain: head for head in AuditHead.objects.all()}
    chains = {}
    timed = heads.get(Chain.TIMED)
    if timed is not None and not head_is_authentic(timed):
        raise CheckpointError(_("The audit log's head was edited: run `kuzot audit verify`."))
    chains[Chain.TIMED] = {
        "count": timed.count if timed else 0,
        "hash": timed.last_hash if timed else GENESIS,
    }
    settled = DayEvent.objects.filter(on__lt=today)
    newest = settled.order_by("-id").first()
    chains[Chain.DAILY] = {
        "count": settled.count(),
        "hash": newest.hash if newest else GENESIS,
    }
    payload = {
        "format": FORMAT,
        "date": today.isoformat(),
        "chains": chains,
        "public_key": base64.b64encode(keys.public_key()).decode(),
    }
    signature = keys.signing_key().sign(_signed_bytes(payload))
    payload["signature"] = base64.b64encode(signature).decode()
    return json.dumps(payload, indent=2).encode() + b"\n"


def load(data: bytes, name: str = "") -> Checkpoint:
    """Read and check a checkpoint file: well formed, signed by this installation's key.
    ``name`` (the file's) names it in messages."""
    name = name or _("the checkpoint")
    try:
        payload = json.loads(data)
        signature = base64.b64decode(payload.pop("signature"), validate=True)
        public = base64.b64decode(payload["public_key"], validate=True)
        if payload["format"] != FORMAT:
            raise ValueError
        day = date.fromisoformat(payload["date"])
        label = _("%(name)s of %(date)s") % {"name": name, "date": day}
        marks = [
            Mark(chain, label, int(mark["count"]), str(mark["hash"]))
            for chain, mark in payload["chains"].items()
            if chain in Chain.values
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        message = _("%(name)s is not a Kuzot audit checkpoint")
        raise CheckpointError(message % {"name": name}) from error
    if public != keys.public_key():
        message = _(
            "%(name)s was signed with another audit key (another installation, or "
            "KUZOT_AUDIT_KEY changed)"
        )
        raise CheckpointError(message % {"name": name})
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _signed_bytes(payload))
    except InvalidSignature:
        message = _("%(name)s was altered: its signature does not match")
        raise CheckpointError(message % {"name": name}) from None
    return Checkpoint(day, marks)
