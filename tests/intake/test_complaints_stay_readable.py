"""No complaint is accepted that nobody could read, and its recipients keep reading it through
a password reset, a recovery, a password change, and the removal of a colleague."""

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kuzot.accounts import actions, vault
from kuzot.accounts.models import Coalition, User
from kuzot.intake.models import Channel, RecipientKey, Submission
from tests.conftest import PASSWORD, sign_in
from tests.intake.conftest import complain, receipt_of

STORY = "They beat me at the district police station on 3 March."
TEMPORARY = "temporary pass phrase 42"
NEW_PASSWORD = "kettle orbit walnut 9"


def reads_complaint(client: Client, submission: Submission) -> bool:
    response = client.get(reverse("submission", args=[submission.pk]))
    return response.status_code == 200 and STORY in response.content.decode()


def change_password(client: Client, old: str, new: str = NEW_PASSWORD) -> None:
    response = client.post(reverse("password_change"), {"old_password": old, "new_password": new})
    assert response.status_code == 302, response.content.decode()[:300]


def test_a_complaint_nobody_could_read_is_refused_with_a_clear_message(world):
    fields = {"name": "Organisation C", "slug": "c", "country": "TJ"}
    actions.create_organisation(world.admin, coalition=Coalition.objects.get(), **fields)
    page = Client().get(reverse("organisation_complaint", args=["c"])).content.decode()
    assert "nobody there could read" in page, "said before the person writes their story"
    response = complain(Client(), "c")
    assert response.status_code == 200
    assert "nobody there could read" in response.content.decode()
    assert STORY in response.content.decode(), "what they wrote is still in the form"
    assert not Submission.objects.exists()

    with_language = Client(HTTP_ACCEPT_LANGUAGE="ru")
    response = complain(with_language, "c")
    assert "никто не смог бы прочитать" in response.content.decode()


def test_a_coordinator_reads_earlier_complaints_after_keys_recover(world, tmp_path):
    receipt_of(complain(Client()))
    submission = Submission.objects.get()
    key_file, password_file = tmp_path / "recovery", tmp_path / "password"
    key_file.write_text(world.recovery_keys["a"])
    password_file.write_text(TEMPORARY)
    call_command(
        "keys", "recover", "--organisation", "a", "--user", "a-coordinator",
        "--recovery-key-file", str(key_file), "--new-password-file", str(password_file),
        stdout=io.StringIO(),
    )  # fmt: skip
    client = sign_in(Client(), User.objects.get(username="a-coordinator"), TEMPORARY)
    change_password(client, TEMPORARY)
    assert reads_complaint(client, submission)
    assert reads_complaint(sign_in(Client(), world.user("a-coordinator"), NEW_PASSWORD), submission)


def test_a_recipient_reads_earlier_complaints_after_a_reset(world, signed_in):
    channel, _ = Channel.objects.get_or_create(organisation=world.orgs["a"])
    channel.recipients.add(world.user("a-lawyer"))
    complain(Client())
    submission = Submission.objects.get()
    lawyer = world.user("a-lawyer")
    signed_in("a-coordinator").post(
        reverse("reset_password", args=[lawyer.pk]), {"new_password": TEMPORARY}
    )
    client = sign_in(Client(), User.objects.get(pk=lawyer.pk), TEMPORARY)
    change_password(client, TEMPORARY)
    assert reads_complaint(client, submission)


def test_a_recipients_own_password_change_reseals_their_complaint_keys(world, signed_in):
    complain(Client())
    submission = Submission.objects.get()
    client = signed_in("a-coordinator")
    change_password(client, PASSWORD)
    coordinator = User.objects.get(username="a-coordinator")
    access = RecipientKey.objects.get(user=coordinator)
    aad = f"intake|{submission.receipt_digest}|recipient:{coordinator.pk}".encode()
    assert vault.unlock(coordinator, NEW_PASSWORD).open_sealed(bytes(access.sealed_key), aad)
    assert reads_complaint(client, submission), "the session goes on with the new key pair"


def test_removing_the_only_recipient_hands_their_complaints_to_the_coordinators(world, signed_in):
    channel, _ = Channel.objects.get_or_create(organisation=world.orgs["a"])
    channel.recipients.add(world.user("a-lawyer"))
    complain(Client())
    submission = Submission.objects.get()
    assert list(RecipientKey.objects.values_list("user__username", flat=True)) == ["a-lawyer"]

    coordinator = signed_in("a-coordinator")
    coordinator.post(reverse("remove_member", args=[world.user("a-lawyer").pk]))
    assert list(RecipientKey.objects.values_list("user__username", flat=True)) == ["a-coordinator"]
    assert reads_complaint(coordinator, submission)
    complain(Client())
    assert RecipientKey.objects.filter(user__username="a-lawyer").count() == 0
