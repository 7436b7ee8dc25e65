"""A receipt keeps opening its complaint after the key-derivation settings are raised, and no
two complaints share a salt (issue 10, item 8 and the receipt's global salt)."""

from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from kuzot.intake import actions
from kuzot.intake.models import Submission
from tests.intake.conftest import complain, receipt_of

STORY = "Меня избили в ИВС Октябрьского РОВД."


def open_with_receipt(receipt: str) -> str:
    response = Client().post(reverse("complaint_follow_up"), {"receipt": receipt}, follow=True)
    return response.content.decode()


def test_raising_the_work_factors_keeps_earlier_receipts_working(world, client, settings):
    receipt = receipt_of(complain(client, what_happened=STORY))
    settings.KUZOT_KDF = {"time_cost": 2, "memory_cost": 2048, "parallelism": 1}
    assert STORY in open_with_receipt(receipt)
    later = receipt_of(complain(Client(), what_happened="Второй раз."))
    assert "Второй раз." in open_with_receipt(later)
    assert list(Submission.objects.order_by("id").values_list("receipt_kdf", flat=True)) == [
        {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        settings.KUZOT_KDF,
    ]


def test_every_complaint_has_its_own_salt(world, client):
    for _ in range(3):
        complain(Client())
    salts = {bytes(s) for s in Submission.objects.values_list("receipt_salt", flat=True)}
    assert len(salts) == 3 and all(len(salt) == 16 for salt in salts)


def test_a_wrong_receipt_in_a_busy_tag_opens_nothing(world, client):
    receipt = receipt_of(complain(client, what_happened=STORY))
    same_tag = next(
        candidate
        for n in range(10**6)
        if (candidate := f"{n:016d}") != receipt
        and actions.receipt_tag(candidate) == actions.receipt_tag(receipt)
    )
    assert "No complaint has this receipt" in open_with_receipt(same_tag)
    assert STORY in open_with_receipt(receipt)


def test_a_complaint_from_before_per_complaint_salts_still_opens(world, client, monkeypatch):
    """Rows from before the migration: the one global salt, no tag."""
    monkeypatch.setattr(actions, "receipt_tag", lambda receipt: "")
    global_salt = b"kuzot complaint receipt v1"
    monkeypatch.setattr(actions, "os", SimpleNamespace(urandom=lambda n: global_salt))
    receipt = receipt_of(complain(client, what_happened=STORY))
    monkeypatch.undo()
    assert Submission.objects.get().receipt_tag == ""
    assert STORY in open_with_receipt(receipt)
