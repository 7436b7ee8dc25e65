"""A coordinator removes a member: their sessions end, their keys and complaint keys go, the
account stays for the audit log. The next rotation grants the new key only to those who
remain, and an old backup with the removed member's password opens nothing new."""

import io

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kuzot.accounts import crypto
from kuzot.accounts.models import KeyGrant, User
from kuzot.audit.models import AuditEvent
from kuzot.intake.actions import submit
from kuzot.intake.models import Channel, RecipientKey
from tests.conftest import PASSWORD, sign_in


def backup_of(user: User) -> dict:
    """The rows of a user's keys as a backup taken now holds them."""
    return (
        User.objects.filter(pk=user.pk)
        .values("id", "wrapped_private_key", "kdf_salt", "kdf_params")
        .get()
    )


def private_key_from(backup: dict, password: str) -> bytes:
    """What the old password opens in the old backup, as an attacker would compute it."""
    wrapping = crypto.password_key(password, bytes(backup["kdf_salt"]), backup["kdf_params"])
    aad = f"user-private-key|user:{backup['id']}".encode()
    return crypto.decrypt(wrapping, bytes(backup["wrapped_private_key"]), aad)


def data_keys_opened(private_key: bytes) -> list[bytes]:
    """Every grant in the database now, tried with the private key."""
    opened = []
    for grant in KeyGrant.objects.select_related("key"):
        aad = f"grant|org:{grant.key.organisation_id}|v:{grant.key.version}|user:{grant.user_id}"
        try:
            opened.append(crypto.open_sealed(private_key, bytes(grant.sealed), aad.encode()))
        except crypto.DecryptionError:
            pass
    return opened


def rotate(tmp_path) -> str:
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    out = io.StringIO()
    call_command(
        "keys", "rotate", "--organisation", "a", "--user", "a-coordinator",
        "--password-file", str(password), stdout=out,
    )  # fmt: skip
    return out.getvalue()


def sessions_of(user: User) -> int:
    return sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def test_a_removed_member_is_cut_off_at_once(world, signed_in):
    lawyer = world.user("a-lawyer")
    channel, _ = Channel.objects.get_or_create(organisation=world.orgs["a"])
    channel.recipients.add(lawyer, world.user("a-coordinator"))
    submit(world.orgs["a"], {"what_happened": "…"}, [])
    session = signed_in("a-lawyer")
    assert session.get(reverse("home")).status_code == 200 and sessions_of(lawyer) == 1

    coordinator = signed_in("a-coordinator")
    page = coordinator.get(reverse("remove_member", args=[lawyer.pk])).content.decode()
    assert "a-lawyer" in page and "rotate" in page
    response = coordinator.post(reverse("remove_member", args=[lawyer.pk]))
    assert response.status_code == 302 and response.url == reverse("team")

    assert sessions_of(lawyer) == 0
    assert session.get(reverse("home")).status_code == 302
    response = Client().post(reverse("login"), {"username": "a-lawyer", "password": PASSWORD})
    assert response.status_code == 200
    assert "The username, password or code is not right." in response.content.decode()
    removed = User.objects.get(pk=lawyer.pk)
    assert not removed.is_active and removed.public_key is None
    assert not KeyGrant.objects.filter(user=lawyer).exists()
    assert not RecipientKey.objects.filter(user=lawyer).exists()
    assert not channel.recipients.filter(pk=lawyer.pk).exists()
    assert RecipientKey.objects.filter(user__username="a-coordinator").exists()
    assert AuditEvent.objects.filter(
        actor=world.user("a-coordinator"), object_id=str(lawyer.pk), detail__account="removed"
    ).exists()
    team = coordinator.get(reverse("team")).content.decode()
    assert "Deactivated members" in team and "a-lawyer" in team
    assert coordinator.get(reverse("remove_member", args=[lawyer.pk])).status_code == 404


def test_only_a_coordinator_of_the_organisation_removes_and_not_themselves(world, signed_in):
    lawyer, coordinator = world.user("a-lawyer"), world.user("a-coordinator")
    remove = reverse("remove_member", args=[lawyer.pk])
    assert signed_in("b-coordinator").post(remove).status_code == 404
    assert signed_in("a-doctor").post(remove).status_code == 403
    signed_in("a-coordinator").post(reverse("remove_member", args=[coordinator.pk]))
    assert User.objects.filter(pk__in=[lawyer.pk, coordinator.pk], is_active=True).count() == 2


def test_an_old_backup_and_a_removed_members_password_open_nothing_after_rotation(
    world, signed_in, tmp_path
):
    lawyer = world.user("a-lawyer")
    old_backup = backup_of(lawyer)
    assert data_keys_opened(private_key_from(old_backup, PASSWORD)), "it opened the old key"

    signed_in("a-coordinator").post(reverse("remove_member", args=[lawyer.pk]))
    output = rotate(tmp_path)
    assert "granted to: a-coordinator, a-doctor, a-monitor" in output
    event = AuditEvent.objects.filter(action=AuditEvent.Action.KEYS).latest("id")
    assert event.detail["granted_to"] == ["a-coordinator", "a-doctor", "a-monitor"]

    assert data_keys_opened(private_key_from(old_backup, PASSWORD)) == []


def test_an_old_backup_and_a_changed_password_open_nothing_after_rotation(
    world, signed_in, tmp_path
):
    doctor = world.user("a-doctor")
    old_backup = backup_of(doctor)
    response = signed_in("a-doctor").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password": "kettle orbit walnut 9"},
    )
    assert response.status_code == 302
    rotate(tmp_path)
    assert data_keys_opened(private_key_from(old_backup, PASSWORD)) == []
    assert sign_in(Client(), User.objects.get(pk=doctor.pk), "kettle orbit walnut 9")
