"""A complaint is encrypted before it is written: the seized server reads nothing of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kuzot.accounts import crypto
from kuzot.accounts.vault import Keyring, VaultLocked, unlock
from kuzot.intake import actions
from kuzot.intake.models import Submission
from tests.conftest import PASSWORD
from tests.intake.conftest import complain, receipt_of
from tests.scanning import database_bytes, folder_bytes

STORY = "Следователь Каримов бил меня дубинкой в кабинете 12"
FILE_BYTES = b"%PDF-1.4 medical certificate of Bakyt uulu Azamat, trauma unit No. 4"


@pytest.mark.django_db(transaction=True)
def test_neither_text_nor_file_nor_receipt_nor_address_is_anywhere(
    world, client, settings, tmp_path
):
    response = complain(
        client,
        what_happened=STORY,
        victim_name="Бакыт уулу Азамат",
        files=[SimpleUploadedFile("справка.pdf", FILE_BYTES)],
        REMOTE_ADDR="203.0.113.77",
    )
    receipt = receipt_of(response)
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("backup pass phrase 2026")
    call_command("backup", str(tmp_path / "kuzot.backup"), passphrase_file=passphrase)

    disk = (
        database_bytes()
        + folder_bytes(settings.MEDIA_ROOT)
        + (tmp_path / "kuzot.backup").read_bytes()
    )
    grouped = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    for needle in [
        STORY,
        "Каримов",
        "дубинкой",
        "Бакыт",
        "Azamat",
        "справка",
        receipt,
        grouped,
        "203.0.113.77",
        "127.0.0.1",
        "Mozilla",
    ]:
        assert needle.encode() not in disk, needle
    assert FILE_BYTES[:24] not in disk and b"trauma unit" not in disk


def test_without_a_logged_in_recipient_the_server_cannot_open_a_complaint(world, client):
    complain(client, what_happened=STORY)
    submission = Submission.objects.get()
    coordinator = world.user("a-coordinator")
    # Everything in the database and media, but no password: every door stays shut.
    with pytest.raises(VaultLocked):
        actions.open_as_recipient(coordinator, Keyring(), submission)
    with pytest.raises(crypto.DecryptionError):
        unlock(coordinator, "not the password")
    stored = [bytes(submission.content), bytes(submission.submitter_sealed_key)] + [
        bytes(k.sealed_key) for k in submission.keys.all()
    ]
    assert not any(STORY.encode() in blob for blob in stored)
    # The recipient's password opens it.
    key = actions.open_as_recipient(coordinator, unlock(coordinator, PASSWORD), submission)
    assert actions.read_content(submission, key)["what_happened"] == STORY
