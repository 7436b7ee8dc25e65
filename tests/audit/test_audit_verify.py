"""The audit log is hash-chained under a key the database does not hold: `kuzot audit verify`
catches an edited or deleted row, even when every hash and the head were recomputed."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kuzot.audit.log import Action, record
from kuzot.audit.models import GENESIS, AuditEvent, canonical


@pytest.fixture
def events(world):
    for i in range(5):
        record(world.user("a-lawyer"), Action.EXPORT, detail={"n": i})
    return list(AuditEvent.objects.order_by("id"))


def test_an_untouched_log_verifies(events, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_a_row_edited_in_sql_is_reported_and_the_command_fails(events, capsys):
    victim = events[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["someone-else", victim.pk]
        )
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    assert f"event {victim.pk}: contents do not match" in capsys.readouterr().err


def test_a_row_deleted_in_sql_is_reported(events, capsys):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert "chain broken" in capsys.readouterr().err


def test_the_newest_row_deleted_in_sql_is_reported(events, capsys):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert "remain" in capsys.readouterr().err


def test_events_refuse_to_be_changed_through_the_orm(events):
    with pytest.raises(RuntimeError):
        events[0].save()
    with pytest.raises(RuntimeError):
        events[0].delete()


def test_coordinator_reads_and_exports_only_their_organisations_log(world, signed_in):
    record(world.user("b-lawyer"), Action.EXPORT, detail={"what": "b's secret export"})
    client = signed_in("a-coordinator")
    page = client.get("/audit/").content.decode()
    assert "a-coordinator" in page and "b-lawyer" not in page
    export = client.get("/audit/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    body = export.content.decode()
    assert "b&#x27;s secret" not in body and "b's secret" not in body
    assert AuditEvent.objects.filter(action="export", actor=world.user("a-coordinator")).exists()


def rewrite_chain_without_the_key(start_id: int) -> None:
    """What someone who can write the database but lacks the audit key does to hide an edit:
    recompute every hash from the edited event on with plain SHA-256, and fix the head."""
    previous = AuditEvent.objects.filter(id__lt=start_id).order_by("-id").first()
    previous_hash = previous.hash if previous else GENESIS
    with connection.cursor() as cursor:
        for event in AuditEvent.objects.filter(id__gte=start_id).order_by("id"):
            event.previous_hash = previous_hash
            previous_hash = hashlib.sha256(canonical(event)).hexdigest()
            cursor.execute(
                "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
                [event.previous_hash, previous_hash, event.pk],
            )
        cursor.execute(
            "UPDATE audit_audithead SET last_hash = %s WHERE chain = 'timed'", [previous_hash]
        )


def test_an_edited_row_with_every_hash_recomputed_without_the_key_is_caught(events, capsys):
    victim = events[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["someone-else", victim.pk]
        )
    rewrite_chain_without_the_key(victim.pk)
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert f"event {victim.pk}: contents do not match" in capsys.readouterr().err


def test_a_deleted_tail_with_the_head_fixed_up_is_caught(events, capsys):
    """The head is moved back to the newest remaining event, as the attack on an unkeyed head
    did: its MAC no longer matches."""
    kept = events[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [kept.pk])
        cursor.execute(
            "UPDATE audit_audithead SET last_id = %s, last_hash = %s, count = %s "
            "WHERE chain = 'timed'",
            [kept.pk, kept.hash, AuditEvent.objects.count()],
        )
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    assert "the chain head was edited" in capsys.readouterr().err


def test_a_log_under_another_audit_key_says_so(events, settings, capsys):
    settings.KUZOT_AUDIT_KEY = "another installation's audit key, not this one"
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    err = capsys.readouterr().err
    assert "written under another audit key" in err
    assert "contents do not match" not in err, "one clear message, not one per event"
