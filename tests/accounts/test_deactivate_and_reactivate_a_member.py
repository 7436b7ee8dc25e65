"""A coordinator deactivates a colleague (the removal: sessions end, keys go, the account stays
for the audit log) and can reactivate them later: the same account, a temporary password, new
keys that open the organisation's names again. Only a coordinator of the organisation can."""

import re

from django.test import Client
from django.urls import reverse

from kuzot.accounts.models import User
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import register_person
from tests.conftest import sign_in

NAME = "Гульнара Токтогулова"
TEMPORARY = "temporary pass phrase 42"
NEW_PASSWORD = "another long pass phrase 8"


def fresh(username: str) -> User:
    return User.objects.get(username=username)


def test_a_deactivated_member_is_reactivated_with_new_keys(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    lawyer = world.user("a-lawyer")
    coordinator = signed_in("a-coordinator")
    team = coordinator.get(reverse("team")).content.decode()
    assert f'href="{reverse("remove_member", args=[lawyer.pk])}">Deactivate</a>' in team
    coordinator.post(reverse("remove_member", args=[lawyer.pk]))
    assert not fresh("a-lawyer").is_active

    team = coordinator.get(reverse("team")).content.decode()
    deactivated = team.split("Deactivated members")[1]
    assert "a-lawyer" in deactivated
    assert reverse("reactivate_member", args=[lawyer.pk]) in deactivated
    page = coordinator.get(reverse("reactivate_member", args=[lawyer.pk])).content.decode()
    assert "Reactivate a-lawyer" in page
    response = coordinator.post(
        reverse("reactivate_member", args=[lawyer.pk]), {"new_password": "short"}
    )
    assert response.status_code == 200 and not fresh("a-lawyer").is_active
    response = coordinator.post(
        reverse("reactivate_member", args=[lawyer.pk]), {"new_password": TEMPORARY}
    )
    assert response.status_code == 302 and response.url == reverse("team")
    member = fresh("a-lawyer")
    assert member.is_active and member.must_change_password and not member.totp_confirmed

    client = sign_in(Client(), member, TEMPORARY)  # enrols two-factor again
    client.post(
        reverse("password_change"), {"old_password": TEMPORARY, "new_password": NEW_PASSWORD}
    )
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert NAME in page, "the new keys open the organisation's names"
    assert AuditEvent.objects.filter(
        actor=world.user("a-coordinator"),
        object_id=str(lawyer.pk),
        detail__account="reactivated",
    ).exists()
    assert (
        reverse("reactivate_member", args=[lawyer.pk])
        not in coordinator.get(reverse("team")).content.decode()
    )


def test_only_a_coordinator_of_the_organisation_reactivates(world, signed_in):
    lawyer = world.user("a-lawyer")
    signed_in("a-coordinator").post(reverse("remove_member", args=[lawyer.pk]))
    url = reverse("reactivate_member", args=[lawyer.pk])
    assert signed_in("b-coordinator").post(url, {"new_password": TEMPORARY}).status_code == 404
    assert signed_in("a-doctor").post(url, {"new_password": TEMPORARY}).status_code == 403
    assert not fresh("a-lawyer").is_active
    active = world.user("a-doctor")
    response = signed_in("a-coordinator").get(reverse("reactivate_member", args=[active.pk]))
    assert response.status_code == 404, "an active member is not reactivated"


def test_an_invitation_is_for_the_least_privileged_role_unless_chosen(world, signed_in):
    team = signed_in("a-coordinator").get(reverse("team")).content.decode()
    select = re.search(r'<select name="role".*?</select>', team, re.S).group(0)
    options = re.findall(r'<option value="(\w+)"( selected)?', select)
    assert options[0] == ("analyst", " selected"), options
    assert [value for value, _ in options] == [
        "analyst", "monitor", "doctor", "lawyer", "coordinator",
    ]  # fmt: skip
    assert "Analysts see statistics only" in team
