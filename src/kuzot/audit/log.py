"""Writing and verifying the audit log. Every action calls ``record``; nothing else writes it.

Two chains (``kuzot.audit.models``): timed events, and events known by their date only
(``coarse=True``, a complaint arriving). Hashes are keyed (``kuzot.audit.keys``); ``verify``
walks both chains and checks their heads, and, given checkpoints (``kuzot.audit.checkpoints``),
that the log still holds every event each of them counted.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot import bulk
from kuzot.audit import keys
from kuzot.audit.models import (
    CHAIN_MODELS,
    GENESIS,
    AuditEvent,
    AuditHead,
    Chain,
    ChainedEvent,
    DayEvent,
    canonical,
    head_fields,
)

Action = AuditEvent.Action


def _locked_head(chain: str, head_model: type[models.Model] = AuditHead):
    head, _ = head_model.objects.select_for_update().get_or_create(chain=chain)
    return head


def _advance(head, last_id: int, last_hash: str, added: int) -> None:
    head.last_id, head.last_hash, head.count = last_id, last_hash, head.count + added
    head.key_id, head.mac = keys.key_id(), keys.digest(head_fields(head))
    head.save()


def head_is_authentic(head) -> bool:
    return head.mac == keys.digest(head_fields(head))


def _append(model: type[models.Model], head, **fields) -> models.Model:
    event = model(previous_hash=head.last_hash, **fields)
    event.hash = keys.digest(canonical(event))
    event.save(force_insert=True)
    _advance(head, event.pk, event.hash, 1)
    return event


def record(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    organisation=None,
    detail: dict | None = None,
    coarse: bool = False,
) -> ChainedEvent:
    """Append one event to the chain (in the caller's transaction, if any).

    ``coarse``: the event is known by its date only, for events whose time of day could
    identify someone (a complaint arriving). It goes to the chain of such events, never among
    the timed ones, where its id would tell the time (see ``kuzot.audit.models``)."""
    if organisation is None and target is not None:
        organisation = getattr(target, "organisation", None)
    if organisation is None and actor is not None:
        organisation = getattr(actor, "organisation", None)
    fields = {
        "actor": actor if actor is not None and actor.pk else None,
        "actor_name": getattr(actor, "username", "") or "",
        "organisation": organisation,
        "action": action,
        "object_type": target._meta.label_lower if target is not None else "",
        "object_id": str(target.pk) if target is not None else "",
        "detail": detail or {},
    }
    if coarse:
        model, chain, fields["on"] = DayEvent, Chain.DAILY, timezone.localdate()
    else:
        model, chain, fields["at"] = AuditEvent, Chain.TIMED, timezone.now().replace(microsecond=0)
    with transaction.atomic():
        return _append(model, _locked_head(chain), **fields)


def record_many(
    actor,
    action: str,
    model: type[models.Model],
    ids: list,
    *,
    organisation=None,
    detail: dict | list[dict] | None = None,
) -> int:
    """Append one timed event per record (``model`` with these ``ids``), chained exactly as
    ``record`` chains them, in one locked step and multi-row inserts: for bulk writes such as
    a spreadsheet import, where every created record still gets its own event.

    ``detail`` is one dict for all, or a list with one dict per id."""
    if not ids:
        return 0
    if organisation is None:
        organisation = getattr(actor, "organisation", None)
    details = detail if isinstance(detail, list) else [detail or {}] * len(ids)
    at = timezone.now().replace(microsecond=0)
    actor_id = actor.pk if actor is not None and actor.pk else None
    actor_name = getattr(actor, "username", "") or ""
    organisation_id = organisation.pk if organisation is not None else None
    object_type = model._meta.label_lower
    meta = AuditEvent._meta
    names = [
        "at", "actor", "actor_name", "organisation", "action", "object_type", "object_id",
        "detail", "previous_hash", "hash",
    ]  # fmt: skip
    fields = [meta.get_field(name) for name in names]
    connection = connections[router.db_for_write(AuditEvent)]
    prepared_at = fields[0].get_db_prep_save(at, connection)
    json_field = fields[7]
    with transaction.atomic():
        head = _locked_head(Chain.TIMED)
        previous, rows = head.last_hash, []
        for pk, extra in zip(ids, details, strict=True):
            event = SimpleNamespace(
                at=at,
                actor_id=actor_id,
                actor_name=actor_name,
                organisation_id=organisation_id,
                action=action,
                object_type=object_type,
                object_id=str(pk),
                detail=extra,
                previous_hash=previous,
            )
            digest = keys.digest(canonical(event))
            rows.append(
                [
                    prepared_at, actor_id, actor_name, organisation_id, action, object_type,
                    str(pk), json_field.get_db_prep_save(extra, connection), previous, digest,
                ]
            )  # fmt: skip
            previous = digest
        bulk.insert_rows(AuditEvent, fields, rows, returning=False)
        _advance(head, AuditEvent.objects.get(hash=previous).pk, previous, len(rows))
    return len(rows)


def _in_order(model: type[models.Model]) -> Iterable:
    """Every event of a chain, oldest first, a page at a time (safe to update as it goes)."""
    last = 0
    while page := list(model.objects.filter(id__gt=last).order_by("id")[:2000]):
        yield from page
        last = page[-1].pk


# --- Verifying -----------------------------------------------------------------------------


@dataclass
class Problem:
    chain: str
    event_id: int | None
    message: str

    @property
    def chain_label(self) -> str:
        return Chain(self.chain).label


@dataclass(frozen=True)
class Mark:
    """What a checkpoint says of one chain: its first ``count`` events end with ``hash``."""

    chain: str
    label: str  # names the checkpoint in messages ("the checkpoint of 2026-12-01")
    count: int
    hash: str


def _verify_chain(chain: str, marks: list[Mark]) -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    head = AuditHead.objects.filter(chain=chain).first()
    if head is not None and head.key_id and head.key_id != keys.key_id():
        message = _(
            "written under another audit key (key id %(theirs)s; this installation's is "
            "%(ours)s): set KUZOT_AUDIT_KEY (or the data folder's audit_key) to the key it "
            "was written with"
        ) % {"theirs": head.key_id, "ours": keys.key_id()}
        return 0, [Problem(chain, None, message)]
    at = {}
    for mark in marks:
        at.setdefault(mark.count, []).append(mark)
    previous, checked = GENESIS, 0
    for event in _in_order(CHAIN_MODELS[chain]):
        checked += 1
        if event.previous_hash != previous:
            problems.append(
                Problem(chain, event.pk, _("chain broken: an earlier event was deleted or edited"))
            )
        if keys.digest(canonical(event)) != event.hash:
            problems.append(
                Problem(chain, event.pk, _("contents do not match their hash: event was edited"))
            )
        for mark in at.get(checked, []):
            if mark.hash != event.hash:
                message = _("differs from %(checkpoint)s: the log was rewritten")
                problems.append(Problem(chain, event.pk, message % {"checkpoint": mark.label}))
        previous = event.hash
    for mark in marks:
        if mark.count > checked:
            message = _(
                "%(checkpoint)s counted %(counted)d events, %(remaining)d remain: "
                "the newest were deleted"
            ) % {"checkpoint": mark.label, "counted": mark.count, "remaining": checked}
            problems.append(Problem(chain, None, message))
    if head is None:
        if checked:
            problems.append(Problem(chain, None, _("the chain head is missing")))
        return checked, problems
    if not head_is_authentic(head):
        problems.append(Problem(chain, None, _("the chain head was edited")))
    if head.count != checked:
        message = _("%(written)d events were written, %(remaining)d remain")
        problems.append(
            Problem(chain, None, message % {"written": head.count, "remaining": checked})
        )
    if head.last_hash != previous:
        problems.append(Problem(chain, None, _("the newest events were deleted or edited")))
    return checked, problems


def verify(marks: Iterable[Mark] = ()) -> tuple[int, list[Problem]]:
    """Walk the chains; return (events checked, problems). Any edit or deletion shows up, and
    so does a log that no longer holds what a checkpoint counted (``marks``, per chain)."""
    marks = list(marks)
    checked, problems = 0, []
    for chain in Chain.values:
        count, found = _verify_chain(chain, [m for m in marks if m.chain == chain])
        checked += count
        problems += found
    return checked, problems


# --- Re-keying -----------------------------------------------------------------------------


def rekey(
    previous_key: str,
    *,
    chain_models: dict[str, type[models.Model]] = CHAIN_MODELS,
    head_model: type[models.Model] = AuditHead,
) -> dict[str, int]:
    """Recompute every event's hash and both heads under this installation's audit key, and
    append a key-management event that says so; returns the events re-keyed per chain.

    Two callers. The migration that first keyed the chains (``previous_key`` empty): the
    unkeyed SHA-256 chain is checked first and the problems it had are recorded, not
    laundered. A restore into an installation with another audit key (``previous_key`` is the
    old key's id): that chain cannot be checked without its key, but the backup's own
    authentication vouches that it is the log the backup was made from. The models are
    parameters so that the migration passes its historical ones."""
    counts, problems = {}, 0
    if not any(model.objects.exists() for model in chain_models.values()):
        return counts
    with transaction.atomic():
        for chain, model in chain_models.items():
            head = _locked_head(chain, head_model)
            old_previous = previous = GENESIS
            count, last_id, batch = 0, 0, []
            for event in _in_order(model):
                if not previous_key:
                    intact = hashlib.sha256(canonical(event)).hexdigest() == event.hash
                    problems += event.previous_hash != old_previous or not intact
                    old_previous = event.hash
                event.previous_hash = previous
                event.hash = previous = keys.digest(canonical(event))
                count, last_id = count + 1, event.pk
                batch.append(event)
                if len(batch) == 1000:
                    model.objects.bulk_update(batch, ["previous_hash", "hash"])
                    batch = []
            model.objects.bulk_update(batch, ["previous_hash", "hash"])
            if not previous_key:
                problems += head.count != count or head.last_hash != old_previous
            head.count = 0
            _advance(head, last_id, previous, count)
            counts[chain] = count
        if any(counts.values()):
            detail = {"audit_log": "re-keyed", "previous_key": previous_key or "none", **counts}
            if not previous_key:
                detail["problems_before"] = problems
            _append(
                chain_models[Chain.TIMED],
                _locked_head(Chain.TIMED, head_model),
                at=timezone.now().replace(microsecond=0),
                actor=None,
                actor_name="",
                organisation=None,
                action=Action.KEYS,
                detail=detail,
            )
    return counts
