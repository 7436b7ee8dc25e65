"""Two records of one organisation that turn out to be one person are merged: every case and
act passes to the kept record, the acts take its values, the other is kept in the history."""

from datetime import date

import pytest

from kuzot.accounts.vault import sealed_context
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import add_allegation, register_case, register_person
from kuzot.cases.corrections import current_person, merge_people
from kuzot.cases.models import Allegation, CaseParty, NameToken, Person, RevisionValue
from tests.cases.case_screens import term


def test_every_case_link_passes_to_the_kept_record(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    kept = register_person(lawyer, vault, full_name="Азиз Каримов", sex="M", birth_year=1985)
    other = register_person(lawyer, vault, full_name="Aziz Karimov", migrant=True)
    first = register_case(lawyer, vault, intake_date=date(2023, 1, 5), victim=kept)
    second = register_case(lawyer, vault, intake_date=date(2024, 1, 5), victim=other)
    both = register_case(lawyer, vault, intake_date=date(2024, 6, 5), victim=kept)
    CaseParty.objects.create(case=both, person=other, role="victim")
    CaseParty.objects.create(case=both, person=other, role="witness")
    act = add_allegation(
        lawyer, vault, second, date=date(2023, 12, 1), act_types=[term("act_type", "beating")],
        victim=other,
    )  # fmt: skip
    assert act.victim_migrant and act.victim_age is None

    other_pk = other.pk
    revision = merge_people(lawyer, kept, other)

    assert not Person.objects.filter(pk=other_pk).exists()
    assert not NameToken.objects.filter(person_id=other_pk).exists()
    assert set(CaseParty.objects.filter(person=kept).values_list("case_id", "role")) == {
        (first.pk, "victim"),
        (second.pk, "victim"),
        (both.pk, "victim"),
        (both.pk, "witness"),
    }
    act = Allegation.objects.get(pk=act.pk)
    assert act.victim == kept and (act.victim_sex, act.victim_age, act.victim_migrant) == (
        "M",
        38,
        False,
    )
    name = RevisionValue.objects.get(revision=revision, field="full_name")
    assert vault.open(name.value, sealed_context(Person, "full_name")) == "Aziz Karimov"
    assert revision.clear["migrant"] is True and revision.clear["merged_into"] == kept.pk
    assert current_person(other_pk) == kept
    assert AuditEvent.objects.filter(
        action="delete", object_type="cases.person", object_id=str(other_pk)
    ).exists()


def test_only_records_of_one_organisation_merge(world):
    a = register_person(world.user("a-lawyer"), world.vault("a"), full_name="Один")
    b = register_person(world.user("b-lawyer"), world.vault("b"), full_name="Один")
    with pytest.raises(PermissionError):
        merge_people(world.user("a-lawyer"), a, b)
    with pytest.raises(ValueError):
        merge_people(world.user("a-lawyer"), a, a)
    with pytest.raises(PermissionError):
        merge_people(world.user("a-analyst"), a, a)
