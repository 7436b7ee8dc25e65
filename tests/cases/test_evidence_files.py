"""Evidence files: hashed, stored only encrypted, metadata-stripped copies, chain of custody."""

import hashlib
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from kuzot.accounts.vault import Keyring, unlock
from kuzot.cases import evidence as evidence_module
from kuzot.cases.actions import register_case, register_person
from kuzot.cases.evidence import EvidenceRefused, read_evidence, store_evidence
from kuzot.cases.models import CustodyEntry
from kuzot.uploads import MAX_UPLOAD_BYTES
from tests.conftest import PASSWORD
from tests.intake.conftest import image_bomb

GPS_MARKER = "Osh, IVS No. 1"


def photo_with_exif() -> bytes:
    image = Image.new("RGB", (32, 16), "navy")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker-SERIAL-12345"  # Make
    exif[0x010E] = GPS_MARKER  # ImageDescription
    exif[0x0112] = 1  # Orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def case(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    victim = register_person(lawyer, vault, full_name="Азимжан Аскаров")
    return register_case(lawyer, vault, intake_date=date(2024, 3, 1), victim=victim)


def keyring_of(user) -> Keyring:
    return unlock(user, PASSWORD)


def media_bytes(settings) -> bytes:
    return b"".join(p.read_bytes() for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def test_upload_keeps_the_hash_and_stores_nothing_readable(world, case, settings):
    data = photo_with_exif()
    stored = store_evidence(
        world.user("a-lawyer"),
        world.vault("a"),
        case,
        filename="беседа-в-ИВС.jpg",
        data=data,
        description=GPS_MARKER,
    )
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "image/jpeg" and stored.size == len(data)
    on_disk = media_bytes(settings)
    for secret in (data[:64], data[-64:], b"CameraMaker", GPS_MARKER.encode(), "беседа".encode()):
        assert secret not in on_disk
    assert [c.action for c in stored.custody.all()] == [CustodyEntry.Action.UPLOADED]


def test_the_copy_for_sharing_has_no_metadata_and_the_original_is_untouched(world, case):
    data = photo_with_exif()
    lawyer = world.user("a-lawyer")
    stored = store_evidence(lawyer, world.vault("a"), case, filename="photo.jpg", data=data)
    name, original = read_evidence(lawyer, keyring_of(lawyer), stored)
    _, copy = read_evidence(lawyer, keyring_of(lawyer), stored, stripped=True)
    assert name == "photo.jpg" and original == data
    assert b"CameraMaker" in original and b"CameraMaker" not in copy
    assert GPS_MARKER.encode() not in copy
    assert not dict(Image.open(io.BytesIO(copy)).getexif())
    assert Image.open(io.BytesIO(copy)).size == (32, 16)
    assert [c.action for c in stored.custody.all()] == [
        CustodyEntry.Action.UPLOADED,
        CustodyEntry.Action.DOWNLOADED,
        CustodyEntry.Action.DOWNLOADED_STRIPPED,
    ]


def test_a_file_of_an_unaccepted_kind_is_refused_with_a_reason(world, case, settings):
    with pytest.raises(EvidenceRefused, match="not accepted"):
        store_evidence(
            world.user("a-lawyer"),
            world.vault("a"),
            case,
            filename="x.exe",
            data=b"MZ\x90\x00 executable",
        )
    assert not media_bytes(settings)


def test_an_oversize_file_is_refused(world, case, monkeypatch):
    monkeypatch.setattr(evidence_module, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(EvidenceRefused, match="larger"):
        store_evidence(
            world.user("a-lawyer"),
            world.vault("a"),
            case,
            filename="a.pdf",
            data=b"%PDF-1.4 more than ten bytes",
        )


def test_a_broken_image_is_refused(world, case):
    with pytest.raises(EvidenceRefused, match="could not be read"):
        store_evidence(
            world.user("a-lawyer"),
            world.vault("a"),
            case,
            filename="a.jpg",
            data=b"\xff\xd8\xff\xe0 not really a jpeg",
        )


def test_a_tampered_file_is_detected_on_download(world, case, settings):
    lawyer = world.user("a-lawyer")
    stored = store_evidence(
        lawyer, world.vault("a"), case, filename="a.pdf", data=b"%PDF-1.4 original"
    )
    path = settings.MEDIA_ROOT / "evidence" / stored.stored_as
    # Swap in another ciphertext of the same organisation: it opens, but the hash differs.
    other = store_evidence(
        lawyer, world.vault("a"), case, filename="b.pdf", data=b"%PDF-1.4 forged"
    )
    path.write_bytes((settings.MEDIA_ROOT / "evidence" / other.stored_as).read_bytes())
    with pytest.raises(EvidenceRefused, match="fingerprint"):
        read_evidence(lawyer, keyring_of(lawyer), stored)


def test_download_through_the_web_is_logged_and_another_organisation_gets_404(
    world, case, signed_in
):
    stored = store_evidence(
        world.user("a-lawyer"), world.vault("a"), case, filename="a.pdf", data=b"%PDF-1.4 evidence"
    )
    response = signed_in("a-lawyer").get(reverse("evidence_original", args=[stored.pk]))
    assert response.status_code == 200 and response.content == b"%PDF-1.4 evidence"
    assert "a.pdf" in response["Content-Disposition"]
    assert (
        signed_in("b-lawyer").get(reverse("evidence_original", args=[stored.pk])).status_code == 404
    )
    assert (
        signed_in("a-analyst").get(reverse("evidence_original", args=[stored.pk])).status_code
        == 403
    )


def test_rotation_re_encrypts_every_file_and_removes_the_old_ciphertext(
    world, case, settings, tmp_path, django_capture_on_commit_callbacks
):
    lawyer = world.user("a-lawyer")
    stored = store_evidence(
        lawyer, world.vault("a"), case, filename="p.jpg", data=photo_with_exif()
    )
    old_files = {stored.stored_as, stored.stripped_as}
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "keys", "rotate", organisation="a", user="a-coordinator", password_file=password
        )
    stored.refresh_from_db()
    assert not old_files & {stored.stored_as, stored.stripped_as}
    assert not any((settings.MEDIA_ROOT / "evidence" / name).exists() for name in old_files)
    _, data = read_evidence(lawyer, keyring_of(lawyer), stored)
    assert hashlib.sha256(data).hexdigest() == stored.sha256


def test_a_file_of_the_stated_maximum_is_stored_through_the_upload_form(world, case, signed_in):
    """52,428,800 bytes was accepted by the code and dropped by the upload handler."""
    data = b"%PDF-1.4 " + b"\0" * (MAX_UPLOAD_BYTES - 9)
    response = signed_in("a-lawyer").post(
        reverse("upload_evidence", args=[case.pk]),
        {"file": SimpleUploadedFile("scan.pdf", data), "description": ""},
        follow=True,
    )
    assert "The file is stored, encrypted." in response.content.decode()
    assert case.evidence.get().size == MAX_UPLOAD_BYTES


def test_a_file_over_the_maximum_is_refused_by_name(world, case, signed_in):
    data = b"%PDF-1.4 " + b"\0" * (MAX_UPLOAD_BYTES - 8)
    response = signed_in("a-lawyer").post(
        reverse("upload_evidence", args=[case.pk]),
        {"file": SimpleUploadedFile("scan.pdf", data), "description": ""},
        follow=True,
    )
    assert "“scan.pdf” is larger than 50 MB." in response.content.decode()
    assert not case.evidence.exists()


def test_an_image_bomb_is_refused_before_it_is_decoded(world, case):
    with pytest.raises(EvidenceRefused, match="too large: at most 40 million pixels"):
        store_evidence(
            world.user("a-lawyer"), world.vault("a"), case, filename="a.png", data=image_bomb()
        )
