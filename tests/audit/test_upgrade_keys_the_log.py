"""Upgrading an installation whose audit log was chained with plain SHA-256: the migration
checks that chain, re-keys every event under the audit key, and says in the log what it found."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kuzot.audit.log import verify
from kuzot.audit.models import GENESIS, AuditEvent, canonical

BEFORE, AFTER = [("audit", "0001_initial")], [("audit", "0002_keyed_chains_and_day_events")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def unkeyed_log(transactional_db):
    """Three events written as the previous version wrote them; migrated back afterwards."""
    old = migrate(BEFORE)
    Event, Head = old.get_model("audit", "AuditEvent"), old.get_model("audit", "AuditHead")
    previous = GENESIS
    for n in range(3):
        event = Event(
            at=timezone.now().replace(microsecond=0),
            actor_name="a-lawyer",
            action="export",
            detail={"n": n},
            previous_hash=previous,
        )
        event.hash = previous = hashlib.sha256(canonical(event)).hexdigest()
        event.save()
    Head.objects.create(pk=1, last_id=event.pk, last_hash=previous, count=3)
    yield Event
    migrate(AFTER)


def keyed_note():
    return AuditEvent.objects.get(action="keys").detail


def test_an_intact_unkeyed_log_is_keyed_and_verifies(unkeyed_log):
    migrate(AFTER)
    assert verify() == (4, [])
    assert keyed_note() == {
        "audit_log": "re-keyed", "previous_key": "none", "timed": 3, "daily": 0,
        "problems_before": 0,
    }  # fmt: skip


def test_a_log_edited_before_the_upgrade_is_not_laundered(unkeyed_log):
    unkeyed_log.objects.filter(detail={"n": 1}).update(actor_name="someone-else")
    migrate(AFTER)
    assert verify()[1] == []
    assert keyed_note()["problems_before"] == 1, "the log records that it was broken before"
