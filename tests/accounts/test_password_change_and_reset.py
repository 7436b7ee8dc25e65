"""Changing one's password keeps one's access with a new key pair; a coordinator's reset gives
new keys and a temporary password that must be changed at the next login."""

import pytest
from django.test import Client
from django.urls import reverse

from kuzot.accounts import crypto, vault
from kuzot.accounts.models import User
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import register_person
from tests.conftest import PASSWORD, sign_in

NAME = "Азимжан Аскаров"
NEW_PASSWORD = "another long pass phrase 8"
TEMPORARY = "temporary pass phrase 42"


def fresh(username: str) -> User:
    return User.objects.get(username=username)


def password_refused(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    message = "The username, password or code is not right."
    return response.status_code == 200 and message in response.content.decode()


def reads_name(client: Client, person) -> bool:
    response = client.get(reverse("person", args=[person.pk]))
    return response.status_code == 200 and NAME in response.content.decode()


def test_changing_ones_password_keeps_access_and_retires_the_old_password(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    public_key = bytes(fresh("a-lawyer").public_key)
    client = signed_in("a-lawyer")
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert reads_name(client, person), "the session goes on"

    user = fresh("a-lawyer")
    assert bytes(user.public_key) != public_key, "a new key pair: an old copy opens nothing new"
    with_new = vault.unlock(user, NEW_PASSWORD)
    assert with_new.vault(world.orgs["a"].pk).keys == world.vault("a").keys
    with pytest.raises(crypto.DecryptionError):
        vault.unlock(user, PASSWORD)

    assert password_refused("a-lawyer", PASSWORD)
    assert reads_name(sign_in(Client(), user, NEW_PASSWORD), person)
    assert AuditEvent.objects.filter(actor=user, detail__password="changed").exists()


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(world, signed_in):
    client = signed_in("a-lawyer")
    for old, new in ((PASSWORD + "x", NEW_PASSWORD), (PASSWORD, "short")):
        response = client.post(
            reverse("password_change"), {"old_password": old, "new_password": new}
        )
        assert response.status_code == 200
    assert fresh("a-lawyer").check_password(PASSWORD)
    assert vault.unlock(fresh("a-lawyer"), PASSWORD)


def test_a_coordinators_reset_forces_a_change_and_keeps_access(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    lawyer = world.user("a-lawyer")
    response = signed_in("a-coordinator").post(
        reverse("reset_password", args=[lawyer.pk]), {"new_password": TEMPORARY}
    )
    assert response.status_code == 302 and response.url == reverse("team")
    assert fresh("a-lawyer").must_change_password
    assert password_refused("a-lawyer", PASSWORD)

    client = sign_in(Client(), fresh("a-lawyer"), TEMPORARY)
    for page in (reverse("home"), reverse("person", args=[person.pk]), reverse("people")):
        response = client.get(page)
        assert response.status_code == 302 and response.url == reverse("password_change"), page
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"), {"old_password": TEMPORARY, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not fresh("a-lawyer").must_change_password
    assert reads_name(client, person)
    assert reads_name(sign_in(Client(), fresh("a-lawyer"), NEW_PASSWORD), person)
    assert AuditEvent.objects.filter(
        actor=world.user("a-coordinator"), object_id=str(lawyer.pk), detail__password="reset"
    ).exists()


def test_a_coordinator_of_another_organisation_cannot_reset(world, signed_in):
    lawyer = world.user("a-lawyer")
    client = signed_in("b-coordinator")
    assert client.get(reverse("reset_password", args=[lawyer.pk])).status_code == 404
    response = client.post(reverse("reset_password", args=[lawyer.pk]), {"new_password": TEMPORARY})
    assert response.status_code == 404
    assert fresh("a-lawyer").check_password(PASSWORD)
    assert not fresh("a-lawyer").must_change_password


def test_a_colleague_who_is_not_coordinator_cannot_reset(world, signed_in):
    lawyer = world.user("a-lawyer")
    response = signed_in("a-doctor").post(
        reverse("reset_password", args=[lawyer.pk]), {"new_password": TEMPORARY}
    )
    assert response.status_code == 403
    assert fresh("a-lawyer").check_password(PASSWORD)
