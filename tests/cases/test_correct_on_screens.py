"""The correction screens: a person's and an act's forms come filled with what is recorded,
and saving keeps the earlier values; a merge is asked by record number."""

from datetime import date

from django.urls import reverse

from kuzot.cases.actions import add_allegation, register_person
from kuzot.cases.models import Allegation, Person, Revision
from tests.cases.case_screens import a_case, term


def test_the_person_form_comes_filled_and_saves_a_correction(world, signed_in):
    case = a_case(world, name="Азамат Осмонов")
    person = case.parties.get().person
    client = signed_in("a-lawyer")
    page = client.get(reverse("edit_person", args=[person.pk])).content.decode()
    assert 'value="Азамат Осмонов"' in page and 'value="1990"' in page
    response = client.post(
        reverse("edit_person", args=[person.pk]),
        {"full_name": "Азамат Осмонов", "sex": "M", "birth_year": "1992", "groups": ["migrant"]},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert (person.birth_year, person.migrant) == (1992, True)
    assert Revision.objects.get().clear == {"birth_year": 1990, "migrant": False}
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "changed by a-lawyer" in page


def test_the_act_form_comes_filled_and_a_wrong_act_is_deleted_after_asking(world, signed_in):
    case = a_case(world)
    act = add_allegation(
        world.user("a-lawyer"), world.vault("a"), case, date=date(2024, 2, 1),
        act_types=[term("act_type", "beating")], unit="ИВС",
    )  # fmt: skip
    client = signed_in("a-lawyer")
    url = reverse("edit_allegation", args=[case.pk, act.pk])
    page = client.get(url).content.decode()
    assert 'value="2024-02-01"' in page and 'value="ИВС"' in page
    response = client.post(
        url,
        {"date": "2024-02-02", "date_precision": "day",
         "act_types": [term("act_type", "beating").pk], "unit": "ИВС"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Allegation.objects.get(pk=act.pk).date == date(2024, 2, 2)
    delete = reverse("delete_allegation", args=[case.pk, act.pk])
    assert "Delete this act?" in client.get(delete).content.decode()
    assert Allegation.objects.exists()
    client.post(delete)
    assert not Allegation.objects.exists()
    page = client.get(reverse("case", args=[case.pk])).content.decode()
    assert "act of 2024-02-02" in page and "Put it back" in page


def test_a_merge_names_the_other_record_by_number(world, signed_in):
    case = a_case(world)
    kept = case.parties.get().person
    stranger = register_person(world.user("b-lawyer"), world.vault("b"), full_name="Чужой")
    client = signed_in("a-lawyer")
    url = reverse("merge_person", args=[kept.pk])
    page = client.post(url, {"other": stranger.pk}).content.decode()
    assert "Your organisation has no person with this number." in page
    page = client.post(url, {"other": kept.pk}).content.decode()
    assert "This is the record you are merging into." in page
    other = register_person(world.user("a-lawyer"), world.vault("a"), full_name="Osmonov")
    assert client.post(url, {"other": other.pk}).status_code == 302
    assert not Person.objects.filter(pk=other.pk).exists()
