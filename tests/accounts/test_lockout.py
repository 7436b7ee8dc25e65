"""Repeated failed logins lock an account, even against the right password, until a coordinator
unlocks it; every failure is in the audit log."""

from datetime import timedelta

import pyotp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot.accounts import vault
from kuzot.accounts.models import User
from kuzot.audit.models import AuditEvent
from tests.conftest import PASSWORD, sign_in


def try_password(user: User, password: str):
    return Client().post(reverse("login"), {"username": user.username, "password": password})


def fail(user: User, times: int) -> None:
    for _ in range(times):
        response = try_password(user, "not the password at all")
        assert response.status_code == 200
        assert "Wrong username or password" in response.content.decode()


def failures_audited(user: User) -> list[dict]:
    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor=user)
    return [event.detail for event in events.order_by("id")]


def test_failures_below_the_limit_do_not_lock(world):
    user = world.user("a-lawyer")
    fail(user, settings.KUZOT_LOCKOUT_FAILURES - 1)
    assert not User.objects.get(pk=user.pk).is_locked()
    sign_in(Client(), user)
    assert User.objects.get(pk=user.pk).failed_logins == 0, "a login clears the count"


def test_too_many_failures_lock_the_account_even_for_the_right_password(world):
    user = world.user("a-lawyer")
    fail(user, settings.KUZOT_LOCKOUT_FAILURES)
    assert User.objects.get(pk=user.pk).is_locked()

    response = try_password(user, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert Client().get(reverse("home")).status_code == 302


def test_failures_are_audited(world):
    user = world.user("a-lawyer")
    fail(user, settings.KUZOT_LOCKOUT_FAILURES)
    try_password(user, PASSWORD)
    reasons = [detail["reason"] for detail in failures_audited(user)]
    assert reasons == ["password"] * settings.KUZOT_LOCKOUT_FAILURES + ["locked"]


def wrong_code(secret: str) -> str:
    totp, now = pyotp.TOTP(secret), timezone.now()
    near = {totp.at(now + timedelta(seconds=30 * offset)) for offset in range(-3, 4)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def test_wrong_codes_count_towards_the_lockout(world):
    user = world.user("a-monitor")
    secret = vault.open_totp_secret(user, vault.unwrap_private_key(user, PASSWORD))
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    for _ in range(settings.KUZOT_LOCKOUT_FAILURES):
        response = client.post(reverse("login_totp"), {"code": wrong_code(secret)})
        assert response.status_code == 200
    assert [d["reason"] for d in failures_audited(user)] == [
        "totp"
    ] * settings.KUZOT_LOCKOUT_FAILURES
    assert User.objects.get(pk=user.pk).is_locked()

    # Even the right code no longer completes this login.
    code = pyotp.TOTP(secret).now()
    response = client.post(reverse("login_totp"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_a_coordinator_unlocks_and_the_user_logs_in(world, signed_in):
    user = world.user("a-lawyer")
    fail(user, settings.KUZOT_LOCKOUT_FAILURES)
    coordinator = signed_in("a-coordinator")
    response = coordinator.post(reverse("unlock", args=[user.pk]))
    assert response.status_code == 302 and response.url == reverse("team")
    assert not User.objects.get(pk=user.pk).is_locked()
    assert AuditEvent.objects.filter(
        actor=world.user("a-coordinator"),
        action=AuditEvent.Action.UPDATE,
        object_id=str(user.pk),
        detail__account="unlocked",
    ).exists()

    client = sign_in(Client(), user)
    assert client.get(reverse("home")).status_code == 200


def test_only_a_coordinator_of_the_same_organisation_unlocks(world, signed_in):
    user = world.user("a-lawyer")
    fail(user, settings.KUZOT_LOCKOUT_FAILURES)
    assert signed_in("b-coordinator").post(reverse("unlock", args=[user.pk])).status_code == 404
    assert signed_in("a-doctor").post(reverse("unlock", args=[user.pk])).status_code == 403
    assert User.objects.get(pk=user.pk).is_locked()
