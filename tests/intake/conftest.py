import io
import re
import struct
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from kuzot.intake.abuse import guard


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """People take seconds to fill the form; tests do not (one test checks the wait)."""
    monkeypatch.setattr(guard, "min_seconds", 0)


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


def image_bomb(side: int = 7_000) -> bytes:
    """A valid PNG of ``side`` × ``side`` grey pixels that weighs a few kilobytes: decoded it
    takes ``side``² bytes (49 MB by default; the issue's 480 KB bomb declared far more)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    packer = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte and the row's pixels
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks
