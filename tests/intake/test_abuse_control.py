"""Complaint limits count each sender apart, also behind the reverse proxy; past them a complaint
is still kept, held apart as possible spam, and always counted on the home page and the inbox.

Behind the documented nginx every sender used to be 127.0.0.1: ten junk complaints held the
next genuine one, and held complaints dropped out of the home page's count (issue 10, item 9).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot import clients
from kuzot.intake.abuse import Guard, guard
from kuzot.intake.models import SourceCount, Submission
from tests.intake.conftest import complain
from tests.scanning import database_bytes

PROXY = "127.0.0.1"


def behind_the_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def held() -> list[bool]:
    return list(Submission.objects.order_by("id").values_list("held", flat=True))


def test_one_sender_past_the_limit_does_not_hold_another(world, monkeypatch):
    monkeypatch.setattr(guard, "max_per_day", 2)
    spammer = behind_the_proxy("198.51.100.9")
    for _ in range(4):
        complain(spammer)
    complain(behind_the_proxy("203.0.113.5"))
    assert held() == [False, False, True, True, False]


def test_an_address_forwarded_by_someone_else_than_the_proxy_is_not_believed(world, monkeypatch):
    monkeypatch.setattr(guard, "max_per_day", 2)
    for n in range(3):
        complain(Client(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"))
    assert held() == [False, False, True]


def test_the_proxy_chain_is_read_from_the_right(settings, rf):
    settings.KUZOT_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert clients.address(request) == "198.51.100.7"
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.2.2.2")
    assert clients.address(request) == "198.51.100.7"


def test_a_filled_honeypot_is_held(world):
    complain(Client(), website="http://spam.example")
    assert Submission.objects.get().held


@pytest.mark.django_db(transaction=True)
def test_only_a_daily_keyed_digest_of_the_address_is_stored(world):
    complain(behind_the_proxy("198.51.100.77"))
    row = SourceCount.objects.get()
    assert row.day == timezone.localdate() and row.count == 1
    assert row.source == clients.digest("198.51.100.77")
    assert row.source != clients.digest("198.51.100.77", timezone.localdate() + timedelta(days=1))
    assert b"198.51.100.77" not in database_bytes()


def test_a_token_works_once(db):
    fresh = Guard(min_seconds=0)
    token = fresh.issue_token()
    assert fresh.token_problem(token) is None
    assert fresh.token_problem(token) == "used"
    assert Guard(min_seconds=0).token_problem(token) == "used", "another process refuses it too"
    assert fresh.token_problem("forged") == "expired"


def test_held_complaints_are_always_counted_on_the_home_page_and_the_inbox(
    world, signed_in, monkeypatch
):
    monkeypatch.setattr(guard, "max_per_day", 1)
    spammer = behind_the_proxy("198.51.100.9")
    complain(spammer)
    complain(spammer)
    complain(spammer, website="http://spam.example")
    coordinator = signed_in("a-coordinator")
    expected = "1 new complaint (+2 held as possible spam)"
    assert expected in coordinator.get(reverse("home")).content.decode()
    assert expected in coordinator.get(reverse("inbox")).content.decode()
