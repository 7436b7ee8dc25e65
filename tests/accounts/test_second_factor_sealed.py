"""The authenticator app's secret is sealed under the user's private key: a copy of the
database (or of the session table during enrolment) holds no secret that makes codes."""

import re

import pyotp
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kuzot.accounts import vault
from kuzot.accounts.models import User
from tests.conftest import PASSWORD, sign_in

NEW_PASSWORD = "kettle orbit walnut 9"


def copied_rows(user: User) -> str:
    """The user's row and every session row, as a copy of the database shows them."""
    row = User.objects.filter(pk=user.pk).values().get()
    values = [repr(bytes(v)) if isinstance(v, memoryview | bytes) else str(v) for v in row.values()]
    sessions = [str(s.get_decoded()) + s.session_data for s in Session.objects.all()]
    return " ".join(values + sessions)


def secret_of(user: User, password: str = PASSWORD) -> str:
    user = User.objects.get(pk=user.pk)
    return vault.open_totp_secret(user, vault.unwrap_private_key(user, password))


def enrol(client: Client, user: User, password: str = PASSWORD) -> str:
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.url.startswith(reverse("totp_setup"))
    page = client.get(reverse("totp_setup")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert secret not in copied_rows(user), "waiting for its first code, it is sealed too"
    response = client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get(reverse("password_change")).status_code == 200, "logged in"
    return secret


def test_an_enrolled_secret_is_nowhere_in_a_copy_of_the_database(world, signed_in):
    doctor = world.user("a-doctor")
    signed_in("a-coordinator").post(reverse("reset_two_factor", args=[doctor.pk]))
    secret = enrol(Client(), doctor)
    assert secret not in copied_rows(doctor)
    assert secret_of(doctor) == secret, "the password opens it, for the second login step"


def test_a_password_change_keeps_the_same_authenticator_app(world, signed_in):
    lawyer = world.user("a-lawyer")
    secret = secret_of(lawyer)
    signed_in("a-lawyer").post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert secret_of(lawyer, NEW_PASSWORD) == secret
    User.objects.filter(pk=lawyer.pk).update(last_totp_step=0)
    client = Client()
    client.post(reverse("login"), {"username": "a-lawyer", "password": NEW_PASSWORD})
    response = client.post(reverse("login_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and client.get(reverse("home")).status_code == 200


def test_after_a_reset_the_user_enrols_again(world, signed_in):
    lawyer = world.user("a-lawyer")
    signed_in("a-coordinator").post(
        reverse("reset_password", args=[lawyer.pk]), {"new_password": NEW_PASSWORD}
    )
    assert not User.objects.get(pk=lawyer.pk).totp_confirmed
    enrol(Client(), lawyer, NEW_PASSWORD)


def test_a_secret_enrolled_before_sealing_is_sealed_at_the_next_login(world):
    monitor = world.user("a-monitor")
    secret = pyotp.random_base32()
    User.objects.filter(pk=monitor.pk).update(legacy_totp_secret=secret, sealed_totp_secret=None)
    client = Client()
    client.post(reverse("login"), {"username": "a-monitor", "password": PASSWORD})
    response = client.post(reverse("login_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert secret not in copied_rows(monitor)
    assert secret_of(monitor) == secret
    assert sign_in(Client(), monitor).get(reverse("home")).status_code == 200
