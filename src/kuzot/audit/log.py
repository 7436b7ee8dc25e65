"""Writing and verifying the audit log. Every action calls ``record``; nothing else writes it."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

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
