"""A victim sends a complaint and gets a receipt; it reaches the organisation's recipients."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kuzot.intake.models import RecipientKey, Submission
from tests.intake.conftest import complain, photo, receipt_of


def test_a_complaint_with_a_photo_gets_a_16_digit_receipt(world, client):
    response = complain(client, files=[SimpleUploadedFile("bruise.jpg", photo())])
    assert response.status_code == 200
    receipt = receipt_of(response)
    assert re.fullmatch(r"\d{16}", receipt)
    submission = Submission.objects.get()
    assert submission.organisation == world.orgs["a"]
    assert submission.attachments.count() == 1
    recipients = set(RecipientKey.objects.values_list("user__username", flat=True))
    assert recipients == {"a-coordinator"}
    assert submission.received_on is not None and submission.expires_on is not None


def test_the_coalition_form_lets_the_person_choose_the_organisation(world, client):
    page = client.get(reverse("complaint")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("complaint"),
        {
            "organisation": world.orgs["b"].pk,
            "about": "other",
            "contact_how": "none",
            "what_happened": "My brother was taken to the SIZO.",
            "token": token,
        },
    )
    assert response.status_code == 200 and receipt_of(response)
    assert Submission.objects.get().organisation == world.orgs["b"]


@pytest.mark.parametrize("language", ["en", "ru", "ky", "kk", "tg", "uz", "tk"])
def test_the_form_speaks_seven_languages_and_stays_small(world, client, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("organisation_complaint", args=["a"]))
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    css = Path(finders.find("kuzot/kuzot.css")).stat().st_size
    weight = len(response.content) + css
    assert weight < 100 * 1024


def test_a_missing_story_is_explained_and_nothing_typed_is_lost(world, client):
    response = complain(client, what_happened="", where="ИВС Октябрьского РОВД")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="receipt"' not in html
    assert "This field is required." in html
    assert "ИВС Октябрьского РОВД" in html
    assert not Submission.objects.exists()
