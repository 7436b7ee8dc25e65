"""The audit log is hash-chained: `kuzot audit verify` catches an edited or deleted row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kuzot.audit.log import Action, record
from kuzot.audit.models import AuditEvent


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
