"""A seized server or stolen backup reveals no victim's identity, nor what a person said in a
monitoring visit's interview; every look is audited."""

import base64
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from kuzot.accounts.models import KeyGrant, User
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import register_person
from kuzot.cases.models import PlaceOfDetention, Term
from kuzot.monitoring import actions as monitoring
from tests.conftest import PASSWORD
from tests.scanning import database_bytes, folder_bytes

NAME = "Азимжан Аскаров"
SPELLINGS = [
    "Азимжан",
    "Аскаров",
    "Askarov",
    "Azimzhan",
    "Azimjan",
    "Azimjon",
    "Askarow",
    "askarov",
    "azimzhan",
    "АСКАРОВ",
    "аскаров",
]


def forms_of(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b32encode(secret).rstrip(b"="),
    ]


def needles(world) -> list[bytes]:
    found = []
    for spelling in SPELLINGS:
        found += [
            spelling.encode(),
            spelling.encode("utf-16-le"),
            spelling.lower().encode(),
            spelling.upper().encode(),
        ]
    data_key = world.vault("a").keys[1]
    found += forms_of(data_key)
    recovery = world.recovery_keys["a"].replace("-", "").encode()
    found += [recovery, world.recovery_keys["a"].encode()]
    return found


def sizo() -> PlaceOfDetention:
    return PlaceOfDetention.objects.create(
        country="KG",
        kind=Term.objects.get(vocabulary="place_type", code="sizo", organisation=None),
        name_en="SIZO-1",
        name_ru="СИЗО-1",
    )


@pytest.mark.django_db(transaction=True)
def test_name_is_nowhere_on_disk_in_any_spelling_nor_any_key_that_opens_it(
    world, tmp_path, settings
):
    person = register_person(
        world.user("a-lawyer"),
        world.vault("a"),
        full_name=NAME,
        sex="M",
        birth_year=1951,
        contact="+996 555 123456",
    )
    monitor, vault_a = world.user("a-monitor"), world.vault("a")
    visit = monitoring.plan_visit(
        monitor, vault_a, place=sizo(), planned_for=date(2026, 3, 2), objectives=NAME
    )
    interview = monitoring.add_interview(
        monitor, vault_a, visit, interviewee="detainee", private=True, consent_to_record=True,
        name=NAME, notes=f"{NAME} was beaten on arrival.",
    )
    monitoring.add_finding(
        monitor, vault_a, visit, area="treatment", source="detainee", severity="high",
        description=f"{NAME}: no doctor for three days.", interview=interview,
    )
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("backup pass phrase 2026")
    backup = tmp_path / "kuzot.backup"
    call_command("backup", str(backup), passphrase_file=passphrase)

    disk = {
        "database": database_bytes(),
        "media": folder_bytes(settings.MEDIA_ROOT),
        "backup": backup.read_bytes(),
    }
    assert person.full_name is not None
    for where, content in disk.items():
        lowered = content.lower()
        for needle in needles(world):
            assert needle not in content and needle.lower() not in lowered, (where, needle)
    # The wrapped keys are there, and they are not the key.
    assert KeyGrant.objects.filter(user=world.user("a-lawyer")).exists()


def test_lawyer_of_the_organisation_sees_the_name_and_the_look_is_audited(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    response = signed_in("a-lawyer").get(reverse("person", args=[person.pk]))
    assert response.status_code == 200
    assert NAME in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action="view_identity", actor=world.user("a-lawyer"), object_id=str(person.pk)
        ).count()
        == 1
    )


def test_lawyer_of_another_organisation_gets_404_and_the_attempt_is_audited(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    response = signed_in("b-lawyer").get(reverse("person", args=[person.pk]))
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action="view_denied", actor=world.user("b-lawyer"), object_id=str(person.pk)
        ).count()
        == 1
    )


def test_analyst_of_the_organisation_sees_no_identity_and_the_view_is_audited(world, signed_in):
    person = register_person(
        world.user("a-lawyer"), world.vault("a"), full_name=NAME, sex="M", birth_year=1951
    )
    response = signed_in("a-analyst").get(reverse("person", args=[person.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Аскаров" not in page and "1951" in page
    assert (
        AuditEvent.objects.filter(
            action="view", actor=world.user("a-analyst"), object_id=str(person.pk)
        ).count()
        == 1
    )


def test_system_administrator_reads_no_person(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    assert signed_in("admin").get(reverse("person", args=[person.pk])).status_code in (403, 404)


def test_a_password_does_not_open_another_users_keys(world):
    from kuzot.accounts import crypto, vault

    with pytest.raises(crypto.DecryptionError):
        vault.unlock(User.objects.get(username="a-lawyer"), PASSWORD + "x")


def test_search_finds_the_person_in_another_spelling(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name=NAME)
    client = signed_in("a-lawyer")
    page = client.get(reverse("people"), {"q": "Azimjon ASKAROV"}).content.decode()
    assert reverse("person", args=[person.pk]) in page
