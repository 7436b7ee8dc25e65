"""Guessing passwords neither locks the real user out nor tells names apart (issue 10, item 11).

Five wrong passwords used to lock any account for 15 minutes, repeatable forever; an unknown
name was answered in 79 ms and a real one in 2.3 s. Now every failure gets one message and
costs the same, a failing source waits, and a name under attack is guarded: a password alone
proves nothing, and the right password with a valid code always gets in.
"""

import statistics
import threading
import time
from datetime import timedelta

import pyotp
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot.accounts import backoff, crypto, vault
from kuzot.accounts.models import User
from kuzot.audit.models import AuditEvent
from tests.conftest import PASSWORD

ONE_MESSAGE = "The username, password or code is not right."
PRODUCTION_KDF = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 1}


def from_address(address: str) -> Client:
    """A browser at ``address``, behind the reverse proxy (as in docs/deploy.md)."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


def password_step(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def secret_of(user: User) -> str:
    user = User.objects.get(pk=user.pk)
    return vault.open_totp_secret(user, vault.unwrap_private_key(user, PASSWORD))


def code_of(user: User) -> str:
    User.objects.filter(pk=user.pk).update(last_totp_step=0)
    return pyotp.TOTP(secret_of(user)).now()


def wrong_code(user: User) -> str:
    totp, now = pyotp.TOTP(secret_of(user)), timezone.now()
    near = {totp.at(now + timedelta(seconds=30 * offset)) for offset in range(-3, 4)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def logged_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_every_failure_gets_the_same_message(world):
    lawyer = world.user("a-lawyer")
    unknown = password_step(Client(), "no-such-user", "whatever it is")
    wrong = password_step(Client(), lawyer.username, "not the password")
    client = Client()
    password_step(client, lawyer.username, PASSWORD)
    code = client.post(reverse("login_totp"), {"code": wrong_code(lawyer)}, follow=True)
    for response in (unknown, wrong, code):
        assert ONE_MESSAGE in response.content.decode()
    assert not logged_in(client)


def test_the_real_user_gets_in_during_an_attack(world):
    lawyer = world.user("a-lawyer")
    for n in range(40):  # from many addresses, so none of them waits
        password_step(from_address(f"198.51.100.{n}"), lawyer.username, f"guess number {n}")
    real = from_address("203.0.113.10")
    response = password_step(real, lawyer.username, PASSWORD)
    assert response.status_code == 302 and response.url.startswith(reverse("login_totp"))
    real.post(reverse("login_totp"), {"code": code_of(lawyer)})
    assert logged_in(real)


def test_under_attack_a_password_alone_proves_nothing(world):
    lawyer = world.user("a-lawyer")
    for n in range(backoff.ACCOUNT_FREE):
        password_step(from_address(f"198.51.100.{n}"), lawyer.username, f"guess number {n}")
    assert backoff.guarded(lawyer.username)
    wrong, right = from_address("192.0.2.1"), from_address("192.0.2.2")
    answers = [
        password_step(wrong, lawyer.username, "still not it"),
        password_step(right, lawyer.username, PASSWORD),
    ]
    assert [(a.status_code, a.url) for a in answers] == [(302, answers[0].url)] * 2
    assert answers[0].url.startswith(reverse("login_totp"))
    # A valid code does not help a wrong password, and the answer says nothing more.
    refused = wrong.post(reverse("login_totp"), {"code": code_of(lawyer)}, follow=True)
    assert ONE_MESSAGE in refused.content.decode() and not logged_in(wrong)
    right.post(reverse("login_totp"), {"code": code_of(lawyer)})
    assert logged_in(right)


def test_an_unknown_name_is_guarded_like_a_real_one(world):
    for n in range(backoff.ACCOUNT_FREE):
        password_step(from_address(f"198.51.100.{n}"), "nobody-here", f"guess number {n}")
    response = password_step(from_address("192.0.2.9"), "nobody-here", "another guess")
    assert response.status_code == 302 and response.url.startswith(reverse("login_totp"))


def test_a_failing_source_waits_and_no_one_else_does(world):
    attacker = from_address("198.51.100.66")
    for n in range(backoff.SOURCE_FREE):
        password_step(attacker, f"name-{n}", "a guess")
    refused = password_step(attacker, world.user("a-doctor").username, PASSWORD)
    assert "Too many failed attempts from your network" in refused.content.decode()
    other = from_address("203.0.113.10")
    password_step(other, world.user("a-doctor").username, PASSWORD)
    other.post(reverse("login_totp"), {"code": code_of(world.user("a-doctor"))})
    assert logged_in(other)


def test_failures_are_audited(world):
    user = world.user("a-monitor")
    password_step(Client(), user.username, "not the password")
    client = Client()
    password_step(client, user.username, PASSWORD)
    client.post(reverse("login_totp"), {"code": wrong_code(user)})
    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor=user)
    assert [e.detail["reason"] for e in events.order_by("id")] == ["password", "totp"]


def test_an_unknown_name_takes_as_long_as_a_real_one(world, settings):
    """With the production work factors: the median of several interleaved tries each."""
    settings.KUZOT_KDF = PRODUCTION_KDF
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    lawyer = world.user("a-lawyer")
    vault.set_password_keys(lawyer, PASSWORD)
    assert lawyer.password.startswith(Argon2PasswordHasher.algorithm)
    times: dict[str, list[float]] = {"unknown": [], "known": []}
    for n in range(4):
        for kind, name in (("unknown", f"nobody-{n}"), ("known", lawyer.username)):
            client = from_address(f"198.51.100.{len(times['known']) * 2 + len(times[kind])}")
            started = time.perf_counter()
            response = password_step(client, name, f"wrong password {n}")
            times[kind].append(time.perf_counter() - started)
            assert ONE_MESSAGE in response.content.decode()
    unknown, known = statistics.median(times["unknown"]), statistics.median(times["known"])
    assert known > 0.05, "the production work factors were not used"
    assert abs(unknown - known) < 0.25 * known, times


def test_past_the_derivation_bound_a_login_is_told_to_try_again(world, monkeypatch):
    slots = crypto.DerivationSlots(bound=1, wait=0)
    monkeypatch.setattr(crypto, "derivations", slots)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with slots.slot():
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(5)
    try:
        response = password_step(Client(), world.user("a-lawyer").username, PASSWORD)
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503
    assert "The server is busy" in response.content.decode()


def test_under_attack_an_account_without_two_factor_reveals_nothing(world):
    doctor = world.user("a-doctor")
    User.objects.filter(pk=doctor.pk).update(sealed_totp_secret=None, totp_confirmed=False)
    for n in range(backoff.ACCOUNT_FREE):
        password_step(from_address(f"198.51.100.{n}"), doctor.username, f"guess number {n}")
    client = from_address("192.0.2.3")
    response = password_step(client, doctor.username, PASSWORD)
    assert response.url.startswith(reverse("login_totp"))
    assert client.get(reverse("totp_setup")).url == reverse("login")
