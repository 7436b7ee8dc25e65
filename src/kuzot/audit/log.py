"""Writing and verifying the audit log. Every action calls ``record``; nothing else writes it."""

import hashlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connections, models, router, transaction
from django.utils import timezone

from kuzot import bulk
from kuzot.audit.models import GENESIS, AuditEvent, AuditHead

Action = AuditEvent.Action


def record(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    organisation=None,
    detail: dict | None = None,
    coarse: bool = False,
) -> AuditEvent:
    """Append one event to the chain (in the caller's transaction, if any).

    ``coarse`` keeps only the date, for events whose exact time could identify someone
    (a complaint arriving)."""
    if organisation is None and target is not None:
        organisation = getattr(target, "organisation", None)
    if organisation is None and actor is not None:
        organisation = getattr(actor, "organisation", None)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            at=timezone.now().replace(
                microsecond=0, **({"hour": 0, "minute": 0, "second": 0} if coarse else {})
            ),
            actor=actor if actor is not None and actor.pk else None,
            actor_name=getattr(actor, "username", "") or "",
            organisation=organisation,
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            detail=detail or {},
            previous_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_id, head.last_hash, head.count = event.pk, event.hash, head.count + 1
        head.save()
    return event


@dataclass
class Problem:
    event_id: int | None
    message: str


def verify() -> tuple[int, list[Problem]]:
    """Walk the chain; return (events checked, problems). Any edit or deletion shows up."""
    problems: list[Problem] = []
    previous, checked = GENESIS, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.previous_hash != previous:
            problems.append(
                Problem(event.pk, "chain broken: an earlier event was deleted or edited")
            )
        if event.compute_hash() != event.hash:
            problems.append(Problem(event.pk, "contents do not match their hash: event was edited"))
        previous = event.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None:
        if head.count != checked:
            problems.append(Problem(None, f"{head.count} events were written, {checked} remain"))
        if head.last_hash != previous:
            problems.append(Problem(None, "the newest events were deleted or edited"))
    elif checked:
        problems.append(Problem(None, "the chain head is missing"))
    return checked, problems


def record_many(
    actor,
    action: str,
    model: type[models.Model],
    ids: list,
    *,
    organisation=None,
    detail: dict | list[dict] | None = None,
) -> int:
    """Append one event per record (``model`` with these ``ids``), chained exactly as
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
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
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
            digest = hashlib.sha256(AuditEvent.canonical(event)).hexdigest()
            rows.append(
                [
                    prepared_at, actor_id, actor_name, organisation_id, action, object_type,
                    str(pk), json_field.get_db_prep_save(extra, connection), previous, digest,
                ]
            )  # fmt: skip
            previous = digest
        bulk.insert_rows(AuditEvent, fields, rows, returning=False)
        head.last_id = AuditEvent.objects.get(hash=previous).pk
        head.last_hash = previous
        head.count += len(rows)
        head.save()
    return len(rows)
