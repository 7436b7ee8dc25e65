"""A coordinator invites a colleague with a link shown once; accepting it creates the account and
hands over the organisation's key. The system administrator creates organisations the same way."""

import io
import re
from datetime import timedelta

import pyotp
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kuzot.accounts import crypto, vault
from kuzot.accounts.models import (
    Coalition,
    Invitation,
    KeyGrant,
    Organisation,
    OrganisationKey,
    Role,
    User,
)
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


RECOVERY_KEY = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{1,4}){12}\b")


def create_organisation_c(admin: Client):
    fields = {"name": "Organisation C", "slug": "c", "country": "TJ"}
    return admin.post(reverse("organisations"), {"coalition": Coalition.objects.get().pk, **fields})


def data_keys_from(pages: list[str], token: str, invitation_rows: list[dict], organisation):
    """What an administrator can derive from what they saw: every recovery key printed on
    their pages, and the invitation link's token against the invitation rows they copied."""
    found = []
    for text in RECOVERY_KEY.findall(" ".join(pages)):
        try:
            found.append(vault.open_with_recovery_key(organisation, text).keys)
        except (crypto.DecryptionError, vault.VaultLocked):
            pass
    token_key = crypto.derive_subkey(token.encode(), "invitation")
    for row in invitation_rows:
        if row["wrapped_key"] is not None:
            aad = f"invitation|org:{organisation.pk}|v:{row['key__version']}".encode()
            found.append({row["key__version"]: crypto.decrypt(token_key, row["wrapped_key"], aad)})
    return found


def test_the_administrator_who_creates_an_organisation_never_holds_its_key(world, signed_in):
    admin = signed_in("admin")
    response = create_organisation_c(admin)
    assert response.status_code == 200
    pages = [response.content.decode(), admin.get(reverse("organisations")).content.decode()]
    link = link_on(pages[0])
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    organisation = Organisation.objects.get(slug="c")
    # The administrator may also copy every row the database holds about the organisation.
    rows = Invitation.objects.filter(organisation=organisation)
    copied = list(rows.values("key__version", "wrapped_key"))
    assert data_keys_from(pages, token, copied, organisation) == []
    assert not OrganisationKey.objects.filter(organisation=organisation).exists()
    assert organisation.public_key is None and organisation.sealed_private_key is None

    # The coordinator accepts in their own browser; the keys are made in that request.
    browser = Client()
    response = browser.post(path_of(link), {"username": "c-coordinator", "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("recovery_key")
    recovery_key = RECOVERY_KEY.search(browser.get(reverse("recovery_key")).content.decode()).group(
        0
    )
    coordinator = User.objects.get(username="c-coordinator")
    data_key = vault.unlock(coordinator, NEW_PASSWORD).vault(organisation.pk).keys
    assert vault.open_with_recovery_key(organisation, recovery_key).keys == data_key

    for page in ("organisations", "recovery_key"):
        pages.append(admin.get(reverse(page)).content.decode())
    assert recovery_key not in " ".join(pages)
    assert data_keys_from(pages, token, copied, organisation) == []
    assert accept(link, "c-intruder").status_code == 404, "the link worked once"


def test_the_first_coordinator_must_confirm_the_recovery_key_is_written_down(world, signed_in):
    link = link_on(create_organisation_c(signed_in("admin")).content.decode())
    browser = Client()
    browser.post(path_of(link), {"username": "c-coordinator", "password": NEW_PASSWORD})
    response = browser.post(reverse("recovery_key"), {})
    page = response.content.decode()
    assert response.status_code == 200 and "not shown again" in page
    recovery_key = RECOVERY_KEY.search(page).group(0)
    response = browser.post(reverse("recovery_key"), {"written_down": "on"})
    assert response.status_code == 302 and response.url == reverse("login")
    assert browser.get(reverse("recovery_key")).status_code == 302, "shown no more"

    client = first_login("c-coordinator")
    assert client.get(reverse("team")).status_code == 200
    organisation = Organisation.objects.get(slug="c")
    person = register_person(
        User.objects.get(username="c-coordinator"),
        vault.open_with_recovery_key(organisation, recovery_key),
        full_name=NAME,
    )
    assert NAME in client.get(reverse("person", args=[person.pk])).content.decode()
    created_keys = AuditEvent.objects.filter(
        action=AuditEvent.Action.KEYS, actor__username="c-coordinator"
    )
    assert created_keys.filter(object_id=str(organisation.pk)).exists()


def test_the_administrator_withdraws_a_first_coordinators_link_and_makes_a_new_one(
    world, signed_in
):
    admin = signed_in("admin")
    first = link_on(create_organisation_c(admin).content.decode())
    organisation = Organisation.objects.get(slug="c")
    invitation = Invitation.objects.get(organisation=organisation)
    response = admin.post(reverse("withdraw_invitation", args=[invitation.pk]))
    assert response.status_code == 302 and response.url == reverse("organisations")
    assert accept(first, "c-coordinator").status_code == 404

    response = admin.post(reverse("invite_first_coordinator", args=[organisation.pk]))
    second = link_on(response.content.decode())
    response = admin.post(reverse("invite_first_coordinator", args=[organisation.pk]))
    again = link_on(response.content.decode())
    assert accept(second, "c-coordinator").status_code == 404, "a new link replaces the last"
    assert accept(again, "c-coordinator").status_code == 302

    # From now on the organisation's coordinators invite, and the administrator cannot.
    response = admin.post(reverse("invite_first_coordinator", args=[organisation.pk]))
    assert response.status_code == 302
    assert not Invitation.objects.filter(organisation=organisation).exists()


def test_a_coordinator_withdraws_an_invitation_and_its_link_fails(world, signed_in):
    coordinator = signed_in("a-coordinator")
    link = invite(coordinator, Role.LAWYER)
    invitation = Invitation.objects.filter(organisation=world.orgs["a"]).latest("pk")
    withdraw = reverse("withdraw_invitation", args=[invitation.pk])
    assert withdraw in coordinator.get(reverse("team")).content.decode()
    for outsider in ("b-coordinator", "admin", "a-lawyer"):
        response = signed_in(outsider).post(reverse("withdraw_invitation", args=[invitation.pk]))
        assert response.status_code in (403, 404), outsider
    assert Client().get(path_of(link)).status_code == 200

    response = coordinator.post(reverse("withdraw_invitation", args=[invitation.pk]))
    assert response.status_code == 302 and response.url == reverse("team")
    assert Client().get(path_of(link)).status_code == 404
    assert accept(link, "a-withdrawn").status_code == 404
    assert not User.objects.filter(username="a-withdrawn").exists()
    assert AuditEvent.objects.filter(detail__invitation="withdrawn").exists()


def test_expired_invitations_are_purged_with_the_keys_they_carried(world, signed_in):
    coordinator = signed_in("a-coordinator")
    invite(coordinator, Role.LAWYER)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("expire_invitations", stdout=out)
    assert "1 expired invitations deleted" in out.getvalue()
    assert not Invitation.objects.exists()

    # A new invitation purges expired ones on the way, even without the daily command.
    invite(coordinator, Role.LAWYER)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    invite(coordinator, Role.DOCTOR)
    assert list(Invitation.objects.values_list("role", flat=True)) == [Role.DOCTOR]
    assert AuditEvent.objects.filter(detail__invitation="expired").count() == 2


def test_only_the_administrator_creates_organisations(world, signed_in):
    response = signed_in("a-coordinator").post(
        reverse("organisations"),
        {"coalition": Coalition.objects.get().pk, "name": "X", "slug": "x", "country": "KG"},
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="x").exists()
