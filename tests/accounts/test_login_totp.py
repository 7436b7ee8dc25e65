"""Logging in takes a password, then a code from an authenticator app, never the same code twice."""

import re
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot.accounts import vault
from kuzot.accounts.models import User
from tests.conftest import PASSWORD, totp_code


def password_step(client: Client, user: User, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def current_code(user: User) -> str:
    return totp_code(user)


def secret_of(user: User) -> str:
    user = fresh(user)
    return vault.open_totp_secret(user, vault.unwrap_private_key(user, PASSWORD))


def wrong_code(secret: str) -> str:
    """A six-digit code that no time step near now accepts."""
    totp, now = pyotp.TOTP(secret), timezone.now()
    near = {totp.at(now + timedelta(seconds=30 * offset)) for offset in range(-3, 4)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def logged_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_password_then_code_logs_in(world):
    user, client = world.user("a-lawyer"), Client()
    response = password_step(client, user)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login_totp"))
    assert not logged_in(client), "the password alone is not enough"

    response = client.post(reverse("login_totp"), {"code": current_code(user)})
    assert response.status_code == 302
    assert logged_in(client)


def test_a_wrong_code_is_refused(world):
    user, client = world.user("a-lawyer"), Client()
    password_step(client, user)
    response = client.post(
        reverse("login_totp"), {"code": wrong_code(secret_of(user))}, follow=True
    )
    assert "The username, password or code is not right." in response.content.decode()
    assert not logged_in(client)


def test_the_same_code_is_refused_a_second_time(world):
    user = world.user("a-lawyer")
    first = Client()
    password_step(first, user)
    code = current_code(user)
    assert first.post(reverse("login_totp"), {"code": code}).status_code == 302
    assert logged_in(first)

    # Someone who watched the code being typed tries it at once, with the password.
    second = Client()
    password_step(second, user)
    response = second.post(reverse("login_totp"), {"code": code}, follow=True)
    assert "The username, password or code is not right." in response.content.decode()
    assert not logged_in(second)


def test_a_user_without_two_factor_is_enrolled_before_the_login_completes(world):
    user = world.user("a-doctor")
    User.objects.filter(pk=user.pk).update(sealed_totp_secret=None, totp_confirmed=False)
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302
    assert response.url.startswith(reverse("totp_setup"))
    assert not logged_in(client)

    page = client.get(reverse("totp_setup")).content.decode()
    assert "<svg" in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert client.get(reverse("totp_setup")).content.decode().count(secret) == 1, (
        "the same secret on every view of the page until it is confirmed"
    )

    response = client.post(reverse("totp_setup"), {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert not fresh(user).totp_confirmed

    response = client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert logged_in(client)
    enrolled = fresh(user)
    assert enrolled.totp_confirmed and secret_of(enrolled) == secret


def test_a_confirmed_user_cannot_be_enrolled_again_by_visiting_the_setup_page(world):
    user, client = world.user("a-lawyer"), Client()
    password_step(client, user)
    response = client.get(reverse("totp_setup"))
    assert response.status_code == 302 and response.url == reverse("login")


@pytest.mark.parametrize("confirmed", [True, False])
def test_demo_exempt_users_skip_two_factor_only_in_demo_mode(world, settings, confirmed):
    user = world.user("a-monitor")
    User.objects.filter(pk=user.pk).update(totp_exempt=True, totp_confirmed=confirmed)

    settings.DEMO = True
    client = Client()
    response = password_step(client, user)
    assert response.status_code == 302 and response.url == reverse("home")
    assert logged_in(client)

    settings.DEMO = False
    client = Client()
    response = password_step(client, user)
    expected = "login_totp" if confirmed else "totp_setup"
    assert response.url.startswith(reverse(expected))
    assert not logged_in(client)


def test_demo_mode_does_not_exempt_users_who_are_not_marked_exempt(world, settings):
    settings.DEMO = True
    client = Client()
    response = password_step(client, world.user("a-lawyer"))
    assert response.url.startswith(reverse("login_totp"))
    assert not logged_in(client)
