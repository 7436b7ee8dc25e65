"""A coordinator invites a colleague with a link shown once; accepting it creates the account and
hands over the organisation's key. The system administrator creates organisations the same way."""

import re
from datetime import timedelta

import pyotp
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot.accounts import vault
from kuzot.accounts.models import Coalition, Invitation, KeyGrant, Organisation, Role, User
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import register_person

NAME = "Бакыт уулу Азамат"
NEW_PASSWORD = "a fresh long pass phrase 11"


def link_on(page: str) -> str:
    return re.search(r'id="invitation-link">([^<]+)<', page).group(1)


def path_of(link: str) -> str:
    return link.removeprefix("http://testserver")


def invite(client: Client, role: str = Role.DOCTOR) -> str:
    response = client.post(reverse("invite"), {"role": role})
    assert response.status_code == 200
    return link_on(response.content.decode())


def accept(link: str, username: str, password: str = NEW_PASSWORD):
    return Client().post(path_of(link), {"username": username, "password": password})


def first_login(username: str, password: str = NEW_PASSWORD) -> Client:
    """Password, then enrolment of the authenticator app, as a new colleague does."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302 and response.url.startswith(reverse("totp_setup"))
    page = client.get(reverse("totp_setup")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return client


def test_an_invited_colleague_joins_and_reads_the_organisations_identities(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    coordinator = signed_in("a-coordinator")
    link = invite(coordinator, Role.DOCTOR)
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    assert path_of(link) == reverse("accept_invitation", args=[token])
    assert token not in coordinator.get(reverse("team")).content.decode(), "shown only once"
    assert not Invitation.objects.filter(token_digest=token).exists(), "only a digest is stored"
    pending = Invitation.objects.filter(organisation=world.orgs["a"]).count()

    page = Client().get(path_of(link))
    assert page.status_code == 200 and "Organisation A" in page.content.decode()
    response = accept(link, "a-new-doctor")
    assert response.status_code == 302 and response.url == reverse("login")
    assert Invitation.objects.filter(organisation=world.orgs["a"]).count() == pending - 1

    newcomer = User.objects.get(username="a-new-doctor")
    assert newcomer.organisation == world.orgs["a"] and newcomer.role == Role.DOCTOR
    assert KeyGrant.objects.filter(user=newcomer).count() == 1
    assert not newcomer.totp_confirmed

    client = first_login("a-new-doctor")
    response = client.get(reverse("person", args=[person.pk]))
    assert response.status_code == 200 and NAME in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, actor=newcomer, object_id=str(newcomer.pk)
    ).exists()


def test_a_used_link_is_refused(world, signed_in):
    link = invite(signed_in("a-coordinator"))
    assert accept(link, "a-first").status_code == 302
    assert Client().get(path_of(link)).status_code == 404
    response = accept(link, "a-second")
    assert response.status_code == 404
    assert not User.objects.filter(username="a-second").exists()


def test_an_expired_link_is_refused(world, signed_in):
    link = invite(signed_in("a-coordinator"))
    Invitation.objects.filter(organisation=world.orgs["a"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(path_of(link)).status_code == 404
    assert accept(link, "a-late").status_code == 404
    assert not User.objects.filter(username="a-late").exists()


def test_a_made_up_link_is_refused(world):
    response = Client().get(reverse("accept_invitation", args=["not-a-real-token"]))
    assert response.status_code == 404


def test_a_taken_username_or_a_weak_password_is_refused_and_the_link_still_works(world, signed_in):
    link = invite(signed_in("a-coordinator"))
    response = accept(link, "A-Lawyer")
    assert response.status_code == 200 and "taken" in response.content.decode()
    response = accept(link, "a-someone", "short")
    assert response.status_code == 200
    assert not User.objects.filter(username="a-someone").exists()
    assert accept(link, "a-someone").status_code == 302


def test_who_may_not_invite(world, signed_in):
    before = Invitation.objects.count()
    for username in ("a-lawyer", "a-doctor", "a-monitor", "a-analyst", "admin"):
        response = signed_in(username).post(reverse("invite"), {"role": Role.LAWYER})
        assert response.status_code == 403, username
    response = signed_in("a-coordinator").post(reverse("invite"), {"role": Role.ADMIN})
    assert response.status_code == 302
    assert Invitation.objects.count() == before
    assert Client().post(reverse("invite"), {"role": Role.LAWYER}).status_code == 302


def test_the_administrator_creates_an_organisation_and_sees_its_secrets_once(world, signed_in):
    admin = signed_in("admin")
    coalition = Coalition.objects.get()
    response = admin.post(
        reverse("organisations"),
        {"coalition": coalition.pk, "name": "Organisation C", "slug": "c", "country": "TJ"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    recovery_key = re.search(r'id="recovery-key">([A-Z2-7-]+)<', page).group(1)
    link = link_on(page)
    organisation = Organisation.objects.get(slug="c")
    assert vault.open_with_recovery_key(organisation, recovery_key).organisation_id == (
        organisation.pk
    )

    listing = admin.get(reverse("organisations")).content.decode()
    assert "Organisation C" in listing
    assert recovery_key not in listing and path_of(link) not in listing
    assert path_of(link) not in admin.get(reverse("organisations")).content.decode()

    assert accept(link, "c-coordinator").status_code == 302
    coordinator = User.objects.get(username="c-coordinator")
    assert coordinator.role == Role.COORDINATOR and coordinator.organisation == organisation
    client = first_login("c-coordinator")
    assert client.get(reverse("team")).status_code == 200
    person = register_person(
        coordinator, vault.open_with_recovery_key(organisation, recovery_key), full_name=NAME
    )
    assert NAME in client.get(reverse("person", args=[person.pk])).content.decode()


def test_only_the_administrator_creates_organisations(world, signed_in):
    response = signed_in("a-coordinator").post(
        reverse("organisations"),
        {"coalition": Coalition.objects.get().pk, "name": "X", "slug": "x", "country": "KG"},
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="x").exists()
