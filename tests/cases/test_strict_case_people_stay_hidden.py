"""A strictly confidential case's people stay hidden with the case: members who get 404 on the
case do not read its victim at /people/<id>/, find them by name, list them, pick them for a new
case or an act, or export them. People follow the cases: whoever sees one of a person's cases
(or the person has none yet) sees the person."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from kuzot.cases.actions import register_case
from kuzot.cases.models import CaseParty
from tests.cases.case_screens import a_case, second_lawyer, term
from tests.cases.test_register_case import form_data
from tests.conftest import sign_in

HIDDEN = "Скрытая Пострадавшая"
OUTSIDERS = ("a-monitor", "a-doctor", "a-analyst", "a-lawyer-2")


@pytest.fixture
def strict(world):
    second_lawyer(world)
    return a_case(
        world,
        name=HIDDEN,
        reference="KG-STRICT",
        confidentiality="strict",
        assigned_lawyer=world.user("a-lawyer"),
    )


def victim(case):
    return CaseParty.objects.get(case=case, role="victim").person


def client_of(world, username: str) -> Client:
    return sign_in(Client(), world.user(username))


def test_the_person_page_of_a_strict_cases_victim_is_404_to_outsiders(world, strict):
    person = victim(strict)
    for username in OUTSIDERS:
        response = client_of(world, username).get(reverse("person", args=[person.pk]))
        assert response.status_code == 404, username
        assert HIDDEN not in response.content.decode()
    for username in ("a-lawyer", "a-coordinator"):
        page = client_of(world, username).get(reverse("person", args=[person.pk]))
        assert page.status_code == 200 and HIDDEN in page.content.decode()


def test_the_name_search_and_the_people_list_do_not_find_them(world, strict):
    person = victim(strict)
    link = reverse("person", args=[person.pk])
    for username in OUTSIDERS:
        client = client_of(world, username)
        assert link not in client.get(reverse("people"), {"q": "Скрытая"}).content.decode()
        assert link not in client.get(reverse("people")).content.decode(), username
    lawyer = client_of(world, "a-lawyer")
    assert link in lawyer.get(reverse("people"), {"q": "Skrytaya"}).content.decode()


def test_they_cannot_be_picked_for_a_new_case_by_number(world, strict):
    """Picking the hidden person for a case of one's own would show their name on its page."""
    person = victim(strict)
    response = client_of(world, "a-monitor").post(
        reverse("new_case"), form_data(full_name="", person=str(person.pk))
    )
    assert response.status_code == 200
    assert "no person with this number" in response.content.decode()
    assert CaseParty.objects.filter(person=person).count() == 1
    with pytest.raises(PermissionError):
        register_case(
            world.user("a-monitor"),
            world.vault("a"),
            intake_date=date(2024, 5, 1),
            victim=person,
        )


def test_they_cannot_be_named_as_the_victim_of_an_act_of_another_case(world, strict):
    normal = a_case(world, name="Обычный Человек", by="monitor")
    response = client_of(world, "a-monitor").post(
        reverse("new_allegation", args=[normal.pk]),
        {
            "date": "2024-02-01",
            "date_precision": "day",
            "act_types": [str(term("act_type", "beating").pk)],
            "victim": str(victim(strict).pk),
        },
    )
    assert response.status_code == 200
    assert not normal.allegations.exists()


def test_an_outsiders_export_has_no_trace_of_them(world, strict):
    a_case(
        world,
        name="Обычный Человек",
        consents={"documentation": (True, date(2024, 3, 1), "written")},
    )
    for username in ("a-monitor", "a-doctor", "a-lawyer-2"):
        response = client_of(world, username).get(reverse("case_export_csv"), {"identities": "1"})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row["full_name"] for row in rows] == ["Обычный Человек"], username
        assert "KG-STRICT" not in response.content.decode()


def test_a_person_with_a_case_the_member_sees_stays_visible(world, strict):
    """Also a party to a normal case: the member sees them through that case anyway."""
    person = victim(strict)
    register_case(
        world.user("a-lawyer"), world.vault("a"), intake_date=date(2024, 4, 1), victim=person
    )
    page = client_of(world, "a-monitor").get(reverse("person", args=[person.pk]))
    assert page.status_code == 200 and HIDDEN in page.content.decode()
