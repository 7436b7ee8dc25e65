"""A session dies after SESSION_COOKIE_AGE without a request, and with it the unlocked keys;
logging out deletes the session and the cookie that held the key to the keyring."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kuzot.accounts.vault import KEYRING_COOKIE, KEYRING_SESSION_KEY
from kuzot.cases.actions import register_person

NAME = "Гульнара Токтогулова"


def session_of(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_lives_session_cookie_age_past_its_last_request(world, signed_in):
    client = signed_in("a-lawyer")
    assert client.get(reverse("home")).status_code == 200
    expires = session_of(client).expire_date
    assert expires <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE // 2)
    assert settings.SESSION_SAVE_EVERY_REQUEST, "activity keeps the session alive"


def test_activity_pushes_the_expiry_forward(world, signed_in):
    client = signed_in("a-lawyer")
    soon = timezone.now() + timedelta(seconds=60)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)
    assert client.get(reverse("home")).status_code == 200
    assert session_of(client).expire_date > soon


def test_an_idle_session_is_sent_to_login_and_its_keys_are_gone(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    client = signed_in("a-lawyer")
    page = reverse("person", args=[person.pk])
    assert NAME in client.get(page).content.decode()

    idle_since = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=idle_since + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    response = client.get(page)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert NAME not in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not response.wsgi_request.keyring, "no data key is unlocked any more"
    assert not any(KEYRING_SESSION_KEY in key for key in response.wsgi_request.session.keys()), (
        "the sealed keyring went with the session"
    )


def test_logout_deletes_the_session_and_the_keyring_cookie(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    client = signed_in("a-lawyer")
    assert client.cookies[KEYRING_COOKIE].value
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()

    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert not Session.objects.filter(session_key=session_key).exists()
    deleted = response.cookies[KEYRING_COOKIE]
    assert deleted.value == "" and deleted["max-age"] == 0

    response = client.get(reverse("person", args=[person.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not response.wsgi_request.keyring


def test_logout_only_by_post(world, signed_in):
    client = signed_in("a-lawyer")
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
