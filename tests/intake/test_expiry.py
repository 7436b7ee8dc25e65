"""Unaccepted complaints are deleted after the retention period, with their files and keys."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot.intake import actions
from kuzot.intake.models import Attachment, Message, RecipientKey, Submission
from tests.intake.conftest import complain, photo


def send(n: int = 1) -> list[Submission]:
    for _ in range(n):
        complain(Client(), files=[SimpleUploadedFile("a.jpg", photo())])
    return list(Submission.objects.order_by("id"))


def test_expiry_deletes_what_it_must_and_nothing_else(world, signed_in, settings):
    old, accepted, postponed, fresh = send(4)
    recipient = signed_in("a-coordinator")
    recipient.post(reverse("submission_ask", args=[old.pk]), {"body": "?"})
    recipient.post(reverse("submission_accept", args=[accepted.pk]))
    recipient.post(reverse("submission_postpone", args=[postponed.pk]))
    today = timezone.localdate()
    Submission.objects.filter(pk=fresh.pk).update(expires_on=today + timedelta(days=200))
    old_files = [settings.MEDIA_ROOT / "intake" / a.stored_as
                 for a in Attachment.objects.filter(submission=old)]

    # The clock moves 91 days on (the default retention is 90 days).
    deleted = actions.expire(today=today + timedelta(days=91))

    assert deleted == 1
    assert set(Submission.objects.values_list("pk", flat=True)) == {
        accepted.pk, postponed.pk, fresh.pk}
    assert not RecipientKey.objects.filter(submission_id=old.pk).exists()
    assert not Message.objects.filter(submission_id=old.pk).exists()
    assert not any(path.exists() for path in old_files)
    assert actions.expire(today=today + timedelta(days=91)) == 0


def test_postponing_adds_a_whole_retention_period(world, signed_in):
    (submission,) = send()
    before = submission.expires_on
    signed_in("a-coordinator").post(reverse("submission_postpone", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.expires_on == before + timedelta(days=90)


def test_the_expiry_command_runs(world, capsys):
    from django.core.management import call_command

    send()
    call_command("expire_complaints")
    assert "0 expired complaints deleted" in capsys.readouterr().out
