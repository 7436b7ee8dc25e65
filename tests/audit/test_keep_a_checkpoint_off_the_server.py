"""A coordinator keeps signed checkpoints of the audit log off the server; `kuzot audit verify
--checkpoint FILE` then proves the log still holds every event a checkpoint counted, even after
an attacker deleted the newest events and put back a head that was genuine once."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from kuzot.audit.log import Action, record, verify
from kuzot.audit.models import AuditEvent, AuditHead, DayEvent


@pytest.fixture
def events(world):
    for i in range(5):
        record(world.user("a-lawyer"), Action.EXPORT, detail={"n": i})


def checkpoint(path):
    call_command("audit", "checkpoint", "--out", str(path))
    return path


def verify_against(*paths):
    args = [arg for path in paths for arg in ("--checkpoint", str(path))]
    call_command("audit", "verify", *args)


def test_a_checkpoint_of_an_untouched_log_verifies(events, tmp_path, capsys):
    kept = checkpoint(tmp_path / "c.json")
    record(None, Action.EXPORT, detail={"later": True})
    verify_against(kept)
    assert "intact" in capsys.readouterr().out


def test_deleting_the_newest_events_and_restoring_an_old_head_is_caught(
    events, tmp_path, capsys
):
    """The attacker saved the head as it was (from a backup, say), lets the lawyer's exports
    happen, then deletes them and writes the old head back: the chain and its head are all
    genuine, so only the checkpoint kept elsewhere shows what is missing."""
    old_head = AuditHead.objects.values("last_id", "last_hash", "count", "key_id", "mac").get(
        chain="timed"
    )
    cut = old_head["last_id"]
    for i in range(3):
        record(None, Action.VIEW_IDENTITY, detail={"hidden": i})
    kept = checkpoint(tmp_path / "c.json")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [cut])
        cursor.execute(
            "UPDATE audit_audithead SET last_id = %s, last_hash = %s, count = %s, key_id = %s, "
            "mac = %s WHERE chain = 'timed'",
            [old_head[k] for k in ("last_id", "last_hash", "count", "key_id", "mac")],
        )
    assert verify()[1] == [], "without a checkpoint the rolled-back log looks intact"
    with pytest.raises(CommandError) as failure:
        verify_against(kept)
    assert failure.value.returncode == 1
    assert "the newest were deleted" in capsys.readouterr().err


def test_a_log_rewritten_under_the_key_is_caught_by_the_checkpoint(events, tmp_path, capsys):
    """Even with the key, a rewritten history no longer ends where the checkpoint says."""
    kept = checkpoint(tmp_path / "c.json")
    written = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_audithead")
    for i in range(written + 2):  # a new history, every event genuinely keyed
        record(None, Action.EXPORT, detail={"forged": i})
    with pytest.raises(CommandError):
        verify_against(kept)
    assert "the log was rewritten" in capsys.readouterr().err


def test_an_altered_or_foreign_checkpoint_is_refused(events, tmp_path, settings):
    kept = checkpoint(tmp_path / "c.json")
    altered = json.loads(kept.read_text())
    altered["chains"]["timed"]["count"] -= 2
    (tmp_path / "altered.json").write_text(json.dumps(altered))
    with pytest.raises(CommandError, match="signature does not match"):
        verify_against(tmp_path / "altered.json")
    (tmp_path / "junk.json").write_text("not a checkpoint")
    with pytest.raises(CommandError, match="not a Kuzot audit checkpoint"):
        verify_against(tmp_path / "junk.json")
    settings.KUZOT_AUDIT_KEY = "another installation's audit key, not this one"
    with pytest.raises(CommandError, match="signed with another audit key"):
        verify_against(kept)


def test_todays_complaints_are_left_out_of_a_checkpoint(world, tmp_path):
    """How many complaints had arrived when a checkpoint was downloaded would bound their time
    of day: the date-only chain is counted up to yesterday."""
    record(None, Action.CREATE, organisation=world.orgs["a"], coarse=True)
    before = json.loads(checkpoint(tmp_path / "1.json").read_text())["chains"]["daily"]
    record(None, Action.CREATE, organisation=world.orgs["a"], coarse=True)
    after = json.loads(checkpoint(tmp_path / "2.json").read_text())["chains"]["daily"]
    assert before == after == {"count": 0, "hash": "0" * 64}
    DayEvent.objects.update(on=DayEvent.objects.first().on - timedelta(days=1))
    # (re-dated in SQL for the test: their hashes no longer verify, the count is what matters)
    assert json.loads(checkpoint(tmp_path / "3.json").read_text())["chains"]["daily"][
        "count"
    ] == 2


def test_coordinator_downloads_a_checkpoint_and_checks_it_on_the_audit_page(world, signed_in):
    client = signed_in("a-coordinator")
    page = client.get(reverse("audit_log")).content.decode()
    assert "Download a checkpoint" in page
    response = client.post(reverse("audit_checkpoint"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kuzot-audit-')
    kept = response.content
    assert AuditEvent.objects.filter(
        actor=world.user("a-coordinator"), detail={"what": "audit checkpoint"}
    ).exists()

    def check(data: bytes, name: str = "c.json") -> str:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(name, data, content_type="application/json")
        response = client.post(reverse("audit_check"), {"checkpoint": upload})
        assert response.status_code == 200
        return response.content.decode()

    assert "still holds every event" in check(kept)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audit_auditevent WHERE id = (SELECT MAX(id) FROM audit_auditevent)"
        )
    assert "does not match the checkpoint" in check(kept)
    assert "not a Kuzot audit checkpoint" in check(b"{}")
