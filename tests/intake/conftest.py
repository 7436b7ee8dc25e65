import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from kuzot.intake.abuse import guard


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """People take seconds to fill the form; tests do not (one test checks the wait)."""
    monkeypatch.setattr(guard, "min_seconds", 0)
    monkeypatch.setattr(guard, "_seen", {})


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, format="JPEG")
    return out.getvalue()


def complain(client: Client, slug: str = "a", files=(), **fields):
    """Fill in and send the public form as a person would; returns the response."""
    page = client.get(reverse("organisation_complaint", args=[slug]))
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "about": "me",
        "what_happened": "They beat me at the district police station on 3 March.",
        "contact_how": "none",
        "consent": ["documentation", "statistics"],
        "token": token,
        **fields,
    }
    if files:
        data["files"] = list(files)
    return client.post(reverse("organisation_complaint", args=[slug]), data)


def receipt_of(response) -> str:
    match = re.search(r'id="receipt">([\d ]+)<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1).replace(" ", "")
