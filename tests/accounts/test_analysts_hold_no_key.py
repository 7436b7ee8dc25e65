"""Analysts compute statistics, which need no key: an analyst's password and a copy of the
database open no name, whatever happened to the account (invitation, reset, recovery,
rotation), and every analyst page works without a key."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from kuzot.accounts import actions, keys, vault
from kuzot.accounts.models import KeyGrant, User
from kuzot.cases.actions import register_person
from kuzot.cases.models import Person
from tests.conftest import PASSWORD, sign_in

NAME = "Азимжан Аскаров"
TEMPORARY = "temporary pass phrase 42"


def names_opened_with(user: User, password: str, person: Person) -> list[str]:
    """The names a password and the database rows open."""
    keyring = vault.unlock(User.objects.get(pk=user.pk), password)
    opened = []
    try:
        org_vault = keyring.vault(person.organisation_id)
    except vault.VaultLocked:
        return opened
    person.refresh_from_db()
    opened.append(org_vault.open(person.full_name, vault.sealed_context(Person, "full_name")))
    return opened


@pytest.fixture
def person(world):
    return register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)


def test_an_invited_analyst_holds_no_key(world, person):
    analyst = world.user("a-analyst")
    assert not KeyGrant.objects.filter(user=analyst).exists()
    assert names_opened_with(analyst, PASSWORD, person) == []


def test_a_reset_recovery_or_rotation_gives_an_analyst_no_key(world, person, tmp_path):
    analyst, coordinator = world.user("a-analyst"), world.user("a-coordinator")
    actions.reset_password(coordinator, vault.unlock(coordinator, PASSWORD), analyst, TEMPORARY)
    assert names_opened_with(analyst, TEMPORARY, person) == []

    keys.recover(world.orgs["a"], world.recovery_keys["a"], analyst, PASSWORD)
    assert names_opened_with(analyst, PASSWORD, person) == []

    keys.rotate(coordinator, world.orgs["a"], world.vault("a"))
    assert names_opened_with(analyst, PASSWORD, person) == []
    assert not KeyGrant.objects.filter(user__role="analyst").exists()


def test_the_migration_takes_the_keys_analysts_held_before(world, person, signed_in):
    analyst = world.user("a-analyst")
    key = vault.current_key(world.orgs["a"].pk)
    vault.grant(analyst, key, world.vault("a").keys[key.version])  # as before this release
    coordinator = world.user("a-coordinator")
    _, token = actions.invite(coordinator, vault.unlock(coordinator, PASSWORD), role="lawyer")
    assert names_opened_with(analyst, PASSWORD, person) == [NAME]

    migration = importlib.import_module("kuzot.accounts.migrations.0004_analysts_hold_no_key")
    migration.forget_analysts_keys(apps, None)
    assert names_opened_with(analyst, PASSWORD, person) == []
    assert KeyGrant.objects.filter(user__role="lawyer").exists(), "other roles keep theirs"
    assert actions.find_invitation(token).wrapped_key is not None


def test_an_analyst_works_without_a_key(world, person):
    client = sign_in(Client(), world.user("a-analyst"))
    for page in ("home", "statistics", "cases", "people"):
        response = client.get(reverse(page))
        assert response.status_code == 200, page
    response = client.get(reverse("person", args=[person.pk]))
    assert response.status_code == 200 and NAME not in response.content.decode()
