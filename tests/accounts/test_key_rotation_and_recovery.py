"""`kuzot keys rotate` gives an organisation a new data key and re-encrypts everything under it;
`kuzot keys recover` lets a coordinator who forgot their password back in with the recovery key."""

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kuzot.accounts import crypto, keys, vault
from kuzot.accounts.models import KeyGrant, Organisation, OrganisationKey, User
from kuzot.cases.actions import register_case, register_person, share_case
from kuzot.cases.evidence import read_evidence, store_evidence
from kuzot.intake.actions import submit
from kuzot.intake.models import Submission
from kuzot.stats.hidden import contribute
from kuzot.stats.models import LinkageContribution
from tests.conftest import PASSWORD, sign_in

NAME = "Азимжан Аскаров"
STATEMENT = b"%PDF-1.4\n% I was taken at night.\n%%EOF\n"
SUMMARY = "Beaten in the temporary detention facility of Bazar-Korgon"
IDENTITY_ROLES = ["coordinator", "lawyer", "doctor", "monitor"]
NEW_PASSWORD = "a recovered pass phrase 2026"
RECOVERY_KEY = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{1,4}){12}\b")


def sealed_values(organisation: Organisation) -> dict[tuple, bytes]:
    """Every sealed value of an organisation, by (model, pk, field)."""
    organisation = Organisation.objects.get(pk=organisation.pk)
    found = {("organisation", organisation.pk): bytes(organisation.sealed_private_key)}
    for model, names in keys.sealed_fields():
        for row in model.objects.filter(organisation=organisation):
            for name in names:
                if (blob := getattr(row, name)) is not None:
                    found[(model._meta.label_lower, row.pk, name)] = bytes(blob)
    return found


def run_keys(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def secret_file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


def printed_recovery_key(output: str) -> str:
    return RECOVERY_KEY.search(output).group(0)


@pytest.fixture
def records(world):
    a = world.vault("a")
    person = register_person(
        world.user("a-lawyer"), a, full_name=NAME, contact="+996 555 123456", id_number="ID 1"
    )
    case = register_case(
        world.user("a-lawyer"), a, intake_date=date(2024, 3, 1), victim=person, summary=SUMMARY
    )
    evidence = store_evidence(
        world.user("a-lawyer"), a, case, filename="statement.pdf", data=STATEMENT
    )
    other = register_person(world.user("b-lawyer"), world.vault("b"), full_name="Қайрат Әлиев")
    return {"person": person, "case": case, "evidence": evidence, "other": other}


def reads_name(client: Client, person) -> bool:
    response = client.get(reverse("person", args=[person.pk]))
    return response.status_code == 200 and NAME in response.content.decode()


def rotate_with_password(tmp_path) -> str:
    password = secret_file(tmp_path, "password", PASSWORD)
    output = run_keys(
        "rotate", "--organisation", "a", "--user", "a-coordinator", "--password-file", str(password)
    )
    return printed_recovery_key(output)


def test_rotation_reencrypts_every_sealed_value_and_every_member_still_reads(
    world, records, tmp_path, settings
):
    a, b = world.orgs["a"], world.orgs["b"]
    before, before_b = sealed_values(a), sealed_values(b)
    assert len(before) == 6  # key pair, name, contact, id number, summary, file name
    stale = sign_in(Client(), world.user("a-lawyer"))

    new_recovery_key = rotate_with_password(tmp_path)
    assert new_recovery_key != world.recovery_keys["a"]

    after = sealed_values(a)
    assert after.keys() == before.keys()
    assert all(after[where] != before[where] for where in before), "every ciphertext changed"
    assert sealed_values(b) == before_b, "another organisation is untouched"
    assert list(
        OrganisationKey.objects.filter(organisation=a).values_list("version", flat=True)
    ) == [2]
    assert set(
        KeyGrant.objects.filter(key__organisation=a).values_list("key__version", flat=True)
    ) == {2}

    # A session unlocked before the rotation holds the old key: it is told to log in again.
    response = stale.get(reverse("person", args=[records["person"].pk]))
    assert response.status_code == 403 and NAME not in response.content.decode()

    for role in IDENTITY_ROLES:
        client = sign_in(Client(), world.user(f"a-{role}"))
        assert reads_name(client, records["person"]), role
        page = client.get(reverse("people"), {"q": "Askarov"}).content.decode()
        assert reverse("person", args=[records["person"].pk]) in page, "blind index rebuilt"
    keyring = vault.unlock(User.objects.get(username="a-doctor"), PASSWORD)
    evidence = records["evidence"]
    evidence.refresh_from_db()
    assert read_evidence(world.user("a-doctor"), keyring, evidence)[1] == STATEMENT


def test_only_the_new_recovery_key_opens_anything(world, records, tmp_path):
    a = world.orgs["a"]
    new_recovery_key = rotate_with_password(tmp_path)
    with pytest.raises(crypto.DecryptionError):
        vault.open_with_recovery_key(a, world.recovery_keys["a"])
    opened = vault.open_with_recovery_key(a, new_recovery_key)
    person = records["person"]
    person.refresh_from_db()
    assert opened.open(person.full_name, vault.sealed_context(type(person), "full_name")) == NAME


def test_rotation_with_the_recovery_key(world, records, tmp_path):
    key_file = secret_file(tmp_path, "recovery", world.recovery_keys["a"])
    output = run_keys("rotate", "--organisation", "a", "--recovery-key-file", str(key_file))
    new_recovery_key = printed_recovery_key(output)
    assert new_recovery_key != world.recovery_keys["a"]
    assert reads_name(sign_in(Client(), world.user("a-monitor")), records["person"])

    # Used once, the old key cannot rotate again.
    with pytest.raises(CommandError, match="did not open"):
        run_keys("rotate", "--organisation", "a", "--recovery-key-file", str(key_file))
    key_file.write_text(new_recovery_key)
    third = printed_recovery_key(
        run_keys("rotate", "--organisation", "a", "--recovery-key-file", str(key_file))
    )
    assert third not in (new_recovery_key, world.recovery_keys["a"])
    assert reads_name(sign_in(Client(), world.user("a-coordinator")), records["person"])


def test_rotation_withdraws_pending_invitations(world, records, tmp_path, signed_in):
    response = signed_in("a-coordinator").post(reverse("invite"), {"role": "lawyer"})
    link = re.search(r'id="invitation-link">http://testserver([^<]+)<', response.content.decode())
    rotate_with_password(tmp_path)
    assert Client().get(link.group(1)).status_code == 404


def test_a_wrong_password_rotates_nothing(world, records, tmp_path):
    before = sealed_values(world.orgs["a"])
    wrong = secret_file(tmp_path, "password", PASSWORD + "x")
    with pytest.raises(CommandError, match="Wrong password"):
        run_keys(
            "rotate",
            "--organisation",
            "a",
            "--user",
            "a-coordinator",
            "--password-file",
            str(wrong),
        )
    assert sealed_values(world.orgs["a"]) == before


def test_a_coordinator_who_forgot_the_password_recovers_with_the_recovery_key(
    world, records, tmp_path
):
    coordinator = world.user("a-coordinator")
    # The coordinator forgot PASSWORD; nobody else can reset a coordinator's password here.

    key_file = secret_file(tmp_path, "recovery", world.recovery_keys["a"])
    password_file = secret_file(tmp_path, "new-password", NEW_PASSWORD)
    output = run_keys(
        "recover",
        "--organisation", "a",
        "--user", "a-coordinator",
        "--recovery-key-file", str(key_file),
        "--new-password-file", str(password_file),
    )  # fmt: skip
    assert "must change" in output
    recovered = User.objects.get(pk=coordinator.pk)
    assert recovered.must_change_password
    assert not recovered.check_password(PASSWORD)

    client = sign_in(Client(), recovered, NEW_PASSWORD)
    response = client.get(reverse("person", args=[records["person"].pk]))
    assert response.status_code == 302 and response.url == reverse("password_change")
    client.post(
        reverse("password_change"),
        {"old_password": NEW_PASSWORD, "new_password": "mine again, long enough"},
    )
    assert reads_name(client, records["person"])


@pytest.mark.parametrize(
    "recovery_text",
    ["another organisation's", "AAAA-BBBB", "not a key at all!"],
)
def test_a_wrong_recovery_key_is_a_clear_error(world, records, tmp_path, recovery_text):
    if recovery_text == "another organisation's":
        recovery_text = world.recovery_keys["b"]
    key_file = secret_file(tmp_path, "recovery", recovery_text)
    password_file = secret_file(tmp_path, "new-password", NEW_PASSWORD)
    before = User.objects.get(username="a-coordinator").password
    with pytest.raises(CommandError, match="The key did not open"):
        run_keys(
            "recover",
            "--organisation", "a",
            "--user", "a-coordinator",
            "--recovery-key-file", str(key_file),
            "--new-password-file", str(password_file),
        )  # fmt: skip
    with pytest.raises(CommandError, match="The key did not open"):
        run_keys("rotate", "--organisation", "a", "--recovery-key-file", str(key_file))
    assert User.objects.get(username="a-coordinator").password == before


def test_unknown_organisation_or_member_is_a_clear_error(world, tmp_path):
    key_file = secret_file(tmp_path, "recovery", world.recovery_keys["a"])
    password_file = secret_file(tmp_path, "new-password", NEW_PASSWORD)
    with pytest.raises(CommandError, match="No organisation"):
        run_keys("rotate", "--organisation", "zz", "--recovery-key-file", str(key_file))
    with pytest.raises(CommandError, match="not a member"):
        run_keys(
            "recover",
            "--organisation", "a",
            "--user", "b-coordinator",
            "--recovery-key-file", str(key_file),
            "--new-password-file", str(password_file),
        )  # fmt: skip


def test_recovery_refuses_a_weak_new_password(world, tmp_path):
    key_file = secret_file(tmp_path, "recovery", world.recovery_keys["a"])
    weak = secret_file(tmp_path, "new-password", "short")
    before = User.objects.get(username="a-coordinator").password
    with pytest.raises(CommandError, match="too short"):
        run_keys(
            "recover",
            "--organisation", "a",
            "--user", "a-coordinator",
            "--recovery-key-file", str(key_file),
            "--new-password-file", str(weak),
        )  # fmt: skip
    assert User.objects.get(username="a-coordinator").password == before


def test_rotation_gives_the_organisation_a_new_key_pair_and_reseals_what_was_sealed_to_it(
    world, records, tmp_path
):
    a = world.orgs["a"]
    b_case = register_case(
        world.user("b-lawyer"), world.vault("b"), intake_date=date(2024, 6, 1),
        consents={"sharing": (True, date(2024, 6, 1), "written")},
    )  # fmt: skip
    share = share_case(world.user("b-lawyer"), world.vault("b"), b_case, a, {"reference": "B-1"})
    b_coordinator = world.user("b-coordinator")
    contribute(b_coordinator, vault.unlock(b_coordinator, PASSWORD), a)
    submit(a, {"what_happened": "…"}, [])
    # What a backup taken before the rotation opens: the old key pair, under the old data key.
    old_private_key = vault.organisation_private_key(a, world.vault("a"))

    rotate_with_password(tmp_path)
    a.refresh_from_db()
    share.refresh_from_db()
    submission = Submission.objects.get()
    sealed_to_a = [
        (share.snapshot, f"share|case:{b_case.pk}|from:{b_case.organisation_id}|to:{a.pk}"),
        (LinkageContribution.objects.get(recipient=a).sealed,
         f"linkage|from:{world.orgs['b'].pk}|to:{a.pk}"),
        (submission.organisation_sealed_key, f"intake|{submission.receipt_digest}|organisation"),
    ]  # fmt: skip
    sealed_to_a = [(bytes(blob), aad.encode()) for blob, aad in sealed_to_a]
    for blob, aad in sealed_to_a:
        with pytest.raises(crypto.DecryptionError):
            crypto.open_sealed(old_private_key, blob, aad)

    # The members still read all of it with the new key pair.
    coordinator = sign_in(Client(), world.user("a-coordinator"))
    page = coordinator.get(reverse("shared_case", args=[share.pk])).content.decode()
    assert "B-1" in page
    new_private_key = vault.organisation_private_key(a, world.vault("a"))
    for blob, aad in sealed_to_a:
        assert crypto.open_sealed(new_private_key, blob, aad)
