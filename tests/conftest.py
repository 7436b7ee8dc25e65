"""Shared fixtures: two organisations with a user of every role, logged in for real."""

import re
from dataclasses import dataclass, field

import pyotp
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kuzot.accounts import actions, vault
from kuzot.accounts.models import Coalition, Organisation, Role, User
from kuzot.cases import translations, vocabularies
from kuzot.cases.models import Term

PASSWORD = "a long pass phrase 7"
STAFF_ROLES = [Role.COORDINATOR, Role.LAWYER, Role.DOCTOR, Role.MONITOR, Role.ANALYST]


@pytest.fixture(autouse=True)
def _fast_keys(settings, tmp_path):
    """Cheap Argon2 for tests (production work factors are in settings), media in tmp."""
    settings.KUZOT_KDF = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    admin: User
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # "a-lawyer", "b-analyst", …
    recovery_keys: dict[str, str] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]

    def vault(self, org: str) -> vault.Vault:
        coordinator = self.users[f"{org}-coordinator"]
        return vault.unlock(coordinator, PASSWORD).vault(self.orgs[org].pk)


def enrol_two_factor(user: User, password: str = PASSWORD) -> None:
    """As a first login does: a new authenticator secret, sealed under the user's keys."""
    vault.seal_totp_secret(user, vault.unwrap_private_key(user, password), pyotp.random_base32())
    user.totp_confirmed = True
    user.save()


def totp_code(user: User, password: str = PASSWORD) -> str:
    """The code the user's authenticator app shows now (its secret opens with the password)."""
    user = User.objects.get(pk=user.pk)
    secret = vault.open_totp_secret(user, vault.unwrap_private_key(user, password))
    return pyotp.TOTP(secret).now()


def make_user(username: str, role: str, organisation=None, *, totp: bool = True) -> User:
    user = User.objects.create(username=username, role=role, organisation=organisation)
    vault.set_password_keys(user, PASSWORD)
    if totp:
        enrol_two_factor(user)
    return user


def build_world() -> World:
    if (
        not Term.objects.exists()
    ):  # a transactional test before this one flushed the migration's data
        vocabularies.load(Term)
        translations.load_shipped(Term)
    admin = make_user("admin", Role.ADMIN)
    world = World(admin=admin)
    coalition = Coalition.objects.create(name="Test coalition")
    for slug, country in (("a", "KG"), ("b", "KZ")):
        created = actions.create_organisation(
            admin,
            coalition=coalition,
            name=f"Organisation {slug.upper()}",
            slug=slug,
            country=country,
        )
        world.orgs[slug] = created.organisation
        joined = actions.accept_invitation(
            created.invitation_token, username=f"{slug}-coordinator", password=PASSWORD
        )
        coordinator, world.recovery_keys[slug] = joined.user, joined.recovery_key
        created.organisation.refresh_from_db()  # the coordinator's acceptance gave it its keys
        keyring = vault.unlock(coordinator, PASSWORD)
        for role in STAFF_ROLES[1:]:
            _, token = actions.invite(coordinator, keyring, role=role)
            actions.accept_invitation(token, username=f"{slug}-{role}", password=PASSWORD)
        for user in User.objects.filter(organisation=created.organisation):
            enrol_two_factor(user)
            world.users[user.username] = user
    world.users["admin"] = admin
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


def sign_in(client: Client, user: User, password: str = PASSWORD) -> Client:
    """Log in through the real two steps: password, then a current TOTP code."""
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    if response.url.startswith(reverse("login_totp")):
        User.objects.filter(pk=user.pk).update(last_totp_step=0)
        response = client.post(reverse("login_totp"), {"code": totp_code(user, password)})
        assert response.status_code == 302, response.content[:500]
    elif response.url.startswith(reverse("totp_setup")):  # after a reset: enrol again
        page = client.get(reverse("totp_setup")).content.decode()
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
        response = client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def signed_in(world):
    """``signed_in("a-lawyer")`` → a Django test client logged in as that user."""

    def make(username: str) -> Client:
        return sign_in(Client(), world.users[username])

    return make


def planner_statistics(table: str) -> int:
    """How many statistics the database's query planner holds on ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0]
