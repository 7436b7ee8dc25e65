"""Malformed and hostile input gets a clear message in the submitter's language, never a 500."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kuzot.intake import forms
from kuzot.intake.abuse import guard
from kuzot.intake.models import Submission
from tests.intake.conftest import complain, photo


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00\x03", "is not a photo"),
        ("bomb.zip", zip_bomb(), "is not a photo"),
        ("fake.jpg", b"<?php system($_GET['c']); ?>", "is not a photo"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_files_of_the_wrong_kind_are_refused_with_a_reason(world, client, name, content,
                                                           message):
    response = complain(client, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_an_oversize_file_is_refused(world, client, monkeypatch):
    monkeypatch.setattr(forms, "COMPLAINT_FILE_BYTES", 100)
    response = complain(client, files=[SimpleUploadedFile("big.jpg", photo() + b"\0" * 200)])
    assert "“big.jpg” is larger than 0 MB" in response.content.decode()


def test_too_many_files_are_refused(world, client):
    files = [SimpleUploadedFile(f"{i}.jpg", photo()) for i in range(6)]
    assert "at most 5 files" in complain(client, files=files).content.decode()


def test_refusals_speak_the_submitters_language(world, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tg"
    response = complain(client, what_happened="")
    html = response.content.decode()
    assert '<html lang="tg">' in html
    assert "This field is required." not in html


def test_broken_utf8_and_garbage_never_answer_500(world, client):
    page = client.get(reverse("organisation_complaint", args=["a"]))
    assert page.status_code == 200
    body = b"what_happened=\xff\xfe\xc3\x28&about=me&contact_how=none&token=x"
    response = client.post(reverse("organisation_complaint", args=["a"]), body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    response = client.post(reverse("organisation_complaint", args=["a"]), b"\x00\xff" * 50,
                           content_type="multipart/form-data; boundary=nothing")
    assert response.status_code in (200, 400)
    assert client.post(reverse("complaint_follow_up"), b"receipt=%ff%fe%00",
                       content_type="application/x-www-form-urlencoded").status_code == 200
    assert client.post(reverse("organisation_complaint", args=["no-such-org"])).status_code \
        == 404


def test_missing_fields_are_named(world, client):
    html = complain(client, what_happened="", contact_how="phone").content.decode()
    assert "This field is required." in html
    assert "Write how we can reach you" in html


def test_a_form_sent_at_once_or_twice_is_asked_again_and_keeps_the_text(world, monkeypatch):
    monkeypatch.setattr(guard, "min_seconds", 60)
    html = complain(Client(), what_happened="Меня избили.").content.decode()
    assert "send the form again" in html and "Меня избили." in html
    assert not Submission.objects.exists()
