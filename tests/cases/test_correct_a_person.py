"""A lawyer corrects a person: the identity stays sealed, earlier values are kept sealed under
the same purpose, the name search follows the new name, and every act keeps the person's new
sex, age and groups."""

from datetime import date

import pytest

from kuzot.accounts import keys
from kuzot.accounts.vault import Keyring, sealed_context
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import add_allegation, register_case, register_person
from kuzot.cases.corrections import update_person
from kuzot.cases.models import Allegation, Person, Revision, RevisionValue
from kuzot.cases.selectors import search_people
from tests.cases.case_screens import term
from tests.conftest import PASSWORD


@pytest.fixture
def victim(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    person = register_person(
        lawyer, vault, full_name="Бакыт Усенов", sex="M", birth_year=1990, contact="+996 555 1"
    )
    case = register_case(lawyer, vault, intake_date=date(2024, 3, 1), victim=person)
    for when in (date(2023, 5, 1), date(2024, 2, 1)):
        add_allegation(
            lawyer, vault, case, date=when, act_types=[term("act_type", "beating")], victim=person
        )
    return person


def test_sex_birth_year_and_groups_reach_every_act(world, victim):
    update_person(
        world.user("a-lawyer"), world.vault("a"), victim, sex="F", birth_year=2008, minor=True
    )
    acts = Allegation.objects.filter(victim=victim).order_by("date")
    assert [(a.victim_sex, a.victim_age, a.victim_minor) for a in acts] == [
        ("F", 15, True),
        ("F", 16, True),
    ]
    for act in acts:
        assert {k: getattr(act, k) for k in Allegation.victim_copies(victim, act.date)} == (
            Allegation.victim_copies(Person.objects.get(pk=victim.pk), act.date)
        )


def test_earlier_values_are_kept_sealed_under_their_own_purpose(world, victim):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    revision = update_person(lawyer, vault, victim, full_name="Бакыт Үсөнов", birth_year=1991)
    assert revision.fields == ["birth_year", "full_name"]
    assert revision.clear == {"birth_year": 1990}
    (earlier,) = RevisionValue.objects.filter(revision=revision)
    assert earlier.field == "full_name"
    assert b"\xd0\x91" not in bytes(earlier.value)  # not the name in UTF-8
    assert vault.open(earlier.value, sealed_context(Person, "full_name")) == "Бакыт Усенов"
    victim.refresh_from_db()
    assert vault.open(victim.full_name, sealed_context(Person, "full_name")) == "Бакыт Үсөнов"
    event = AuditEvent.objects.filter(action="update", object_type="cases.person").get()
    assert event.actor == lawyer and event.detail == {
        "fields": ["birth_year", "full_name"],
        "revision": revision.pk,
    }


def test_the_name_index_follows_the_new_name(world, victim):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    update_person(lawyer, vault, victim, full_name="Айгуль Садыкова")
    keyring = Keyring({world.orgs["a"].pk: vault.keys})
    assert list(search_people(lawyer, keyring, "Садыкова")) == [victim]
    assert not search_people(lawyer, keyring, "Усенов").exists()


def test_nothing_changed_writes_nothing(world, victim):
    before = AuditEvent.objects.count()
    assert update_person(world.user("a-lawyer"), world.vault("a"), victim, sex="M") is None
    assert AuditEvent.objects.count() == before and not Revision.objects.exists()


def test_analysts_and_other_organisations_may_not_correct(world, victim):
    with pytest.raises(PermissionError):
        update_person(world.user("a-analyst"), world.vault("a"), victim, sex="F")
    with pytest.raises(PermissionError):
        update_person(world.user("b-lawyer"), world.vault("b"), victim, sex="F")
    assert Person.objects.get(pk=victim.pk).sex == "M"


def test_a_key_rotation_seals_earlier_values_again_under_their_purpose(world, victim):
    vault = world.vault("a")
    revision = update_person(world.user("a-lawyer"), vault, victim, contact="+996 700 2")
    old_blob = bytes(RevisionValue.objects.get(revision=revision).value)
    keys.rotate(world.user("a-coordinator"), world.orgs["a"], vault)
    new_vault = keys.unlock_with_password(world.user("a-coordinator"), PASSWORD)
    blob = bytes(RevisionValue.objects.get(revision=revision).value)
    assert blob != old_blob
    assert new_vault.open(blob, sealed_context(Person, "contact")) == "+996 555 1"
