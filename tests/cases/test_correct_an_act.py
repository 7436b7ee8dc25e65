"""A lawyer corrects an act (its place, its date, its victim), or deletes one entered by
mistake and puts it back: each change is kept with its earlier values and audited."""

from datetime import date

import pytest

from kuzot.accounts.vault import sealed_context
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import (
    add_allegation,
    record_medical_evaluation,
    register_case,
    register_person,
)
from kuzot.cases.corrections import delete_allegation, restore, update_allegation
from kuzot.cases.models import Allegation, ConsistencyFinding, PlaceOfDetention, Revision
from kuzot.cases.places import create_place
from tests.cases.case_screens import term

BEATING = ("act_type", "beating")


@pytest.fixture
def act(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    person = register_person(lawyer, vault, full_name="Нурбек Абдыев", sex="M", birth_year=1990)
    case = register_case(lawyer, vault, intake_date=date(2024, 3, 1), victim=person)
    return add_allegation(
        lawyer,
        vault,
        case,
        date=date(2024, 2, 1),
        act_types=[term(*BEATING)],
        victim=person,
        region=term("region", "kg-osh"),
        unit="ИВС Оша",
    )


def place(world, name: str) -> PlaceOfDetention:
    return create_place(
        world.user("a-coordinator"),
        name_en=name,
        country="KG",
        kind=term("place_type", "temporary_detention"),
    )


def test_correcting_the_place_keeps_the_earlier_one(world, act):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    ivs = place(world, "IVS of Osh")
    revision = update_allegation(
        lawyer,
        vault,
        act,
        act_types=[term(*BEATING), term("act_type", "suffocation")],
        place_of_detention=ivs,
        region=term("region", "kg-osh"),
        unit="ИВС УВД Оша",
    )
    act = Allegation.objects.get(pk=act.pk)
    assert act.place_of_detention == ivs
    assert set(act.act_types.values_list("code", flat=True)) == {"beating", "suffocation"}
    assert vault.open(act.unit, sealed_context(Allegation, "unit")) == "ИВС УВД Оша"
    assert revision.case == act.case and revision.changed_by == lawyer
    assert revision.fields == ["act_types", "place_of_detention", "unit"]
    assert revision.clear == {
        "act_types": [term(*BEATING).pk],
        "place_of_detention": None,
    }
    earlier = revision.sealed.get()
    assert vault.open(earlier.value, sealed_context(Allegation, "unit")) == "ИВС Оша"
    assert AuditEvent.objects.filter(
        action="update", object_type="cases.allegation", object_id=str(act.pk)
    ).get().detail == {"case": act.case_id, "fields": revision.fields, "revision": revision.pk}


def test_a_new_date_gives_the_victim_another_age(world, act):
    update_allegation(
        world.user("a-lawyer"), world.vault("a"), act, act_types=[term(*BEATING)],
        date=date(2021, 6, 1),
    )  # fmt: skip
    assert Allegation.objects.get(pk=act.pk).victim_age == 31


def test_the_victim_must_be_a_party_of_the_case(world, act):
    stranger = register_person(world.user("a-lawyer"), world.vault("a"), full_name="Чужой")
    with pytest.raises(PermissionError):
        update_allegation(
            world.user("a-lawyer"), world.vault("a"), act, act_types=[term(*BEATING)],
            victim=stranger,
        )  # fmt: skip


def test_a_deleted_act_comes_back_as_it_was(world, act):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    evaluation = record_medical_evaluation(
        world.user("a-doctor"), vault, act.case, date=date(2024, 3, 5), overall="consistent",
        findings={act.pk: "highly_consistent"},
    )  # fmt: skip
    act_pk, victim_id = act.pk, act.victim_id
    revision = delete_allegation(lawyer, act)
    assert not Allegation.objects.filter(pk=act_pk).exists()
    assert not ConsistencyFinding.objects.exists()
    assert revision.change == Revision.Change.DELETED

    back = restore(lawyer, revision)

    assert back.pk == act_pk
    back = Allegation.objects.get(pk=act_pk)
    assert back.victim_id == victim_id and back.region == term("region", "kg-osh")
    assert (back.victim_sex, back.victim_age) == ("M", 34)
    assert list(back.act_types.all()) == [term(*BEATING)]
    assert vault.open(back.unit, sealed_context(Allegation, "unit")) == "ИВС Оша"
    assert ConsistencyFinding.objects.get().evaluation == evaluation
    revision.refresh_from_db()
    assert revision.restored_at is not None
    with pytest.raises(ValueError):
        restore(lawyer, revision)
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.allegation", detail__restored=revision.pk
    ).exists()
