"""Rate limits in memory only; past them a complaint is still kept, held apart as possible spam."""

from django.test import Client

from kuzot.intake.abuse import Guard, guard
from kuzot.intake.models import Submission
from tests.intake.conftest import complain


def test_past_the_limit_complaints_are_kept_but_held_apart(world, monkeypatch):
    monkeypatch.setattr(guard, "max_per_window", 2)
    monkeypatch.setattr(guard, "_seen", {})
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(4):
        complain(client)
    assert Submission.objects.count() == 4
    assert list(Submission.objects.order_by("id").values_list("held", flat=True)) == [
        False, False, True, True]


def test_a_filled_honeypot_is_held(world):
    complain(Client(), website="http://spam.example")
    assert Submission.objects.get().held


def test_the_guard_keeps_only_salted_hashes_in_memory():
    fresh = Guard(max_per_window=1)
    fresh.over_limit("192.0.2.1")
    assert "192.0.2.1" not in repr(fresh._seen) and len(fresh._seen) == 1


def test_a_token_works_once():
    fresh = Guard(min_seconds=0)
    token = fresh.issue_token()
    assert fresh.token_problem(token) is None
    assert fresh.token_problem(token) == "used"
    assert fresh.token_problem("forged") == "expired"
