"""One search box on the case list finds a case by its reference, by a person's name in any
spelling (through the blind index) and by words of its summary — names and summaries only for
the roles that see identities; "my cases" are those assigned to me; the people list shows
names to those roles."""

from datetime import date

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import register_case, register_person
from tests.cases.case_screens import a_case, second_lawyer


def refs(response) -> list[str]:
    return [case.reference for case, _names in response.context["rows"]]


def build(world):
    lawyer = world.user("a-lawyer")
    a_case(
        world,
        name="Бакыт Сыдыков",
        reference="KG-A",
        intake_date=date(2023, 5, 1),
        summary="Beaten at the Osh city police station.",
        assigned_lawyer=lawyer,
    )
    a_case(
        world,
        name="Эрлан Касымов",
        reference="KG-B",
        intake_date=date(2024, 2, 1),
        summary="Electric shocks in the SIZO of Bishkek.",
    )
    other = second_lawyer(world)
    a_case(
        world,
        name="Тимур Алиев",
        reference="KG-C",
        intake_date=date(2024, 6, 1),
        summary="Beaten in a temporary detention facility.",
        assigned_lawyer=other,
        confidentiality="strict",
    )


def test_one_box_finds_reference_name_and_summary(world, signed_in):
    build(world)
    client = signed_in("a-coordinator")
    url = reverse("cases")
    expectations = {
        "KG-B": ["KG-B"],
        "Sydykov": ["KG-A"],  # Latin spelling of a name kept in Cyrillic
        "Kasymov Erlan": ["KG-B"],
        "Тимур": ["KG-C"],
        "police station": ["KG-A"],
        "beaten": ["KG-C", "KG-A"],
        "sizo": ["KG-B"],
        "nothing like this": [],
    }
    for query, expected in expectations.items():
        assert refs(client.get(url, {"q": query})) == expected, query
    # It combines with the other filters.
    assert refs(client.get(url, {"q": "beaten", "year": "2024"})) == ["KG-C"]
    # Summaries were opened to search them: audited, with the cases found.
    looked = AuditEvent.objects.filter(actor=world.user("a-coordinator"), action="view_identity")
    assert any("summary_search" in (e.detail or {}) for e in looked)


def test_a_strict_case_of_another_lawyer_is_not_found_by_its_name_or_summary(world, signed_in):
    build(world)
    client = signed_in("a-lawyer")
    for query in ("Тимур", "detention facility", "KG-C"):
        assert refs(client.get(reverse("cases"), {"q": query})) == [], query


def test_roles_without_identities_find_by_reference_only(world, signed_in):
    build(world)
    client = signed_in("a-analyst")
    assert refs(client.get(reverse("cases"), {"q": "KG-A"})) == ["KG-A"]
    assert refs(client.get(reverse("cases"), {"q": "Sydykov"})) == []
    assert refs(client.get(reverse("cases"), {"q": "police"})) == []


def test_my_cases_are_the_cases_assigned_to_me(world, signed_in):
    build(world)
    client = signed_in("a-lawyer")
    page = client.get(reverse("cases"))
    assert f"{reverse('cases')}?mine=on" in page.content.decode()
    assert refs(client.get(reverse("cases"), {"mine": "on"})) == ["KG-A"]
    coordinator = signed_in("a-coordinator")
    assert refs(coordinator.get(reverse("cases"), {"mine": "on"})) == []


def test_people_search_and_list_show_names_to_identity_roles(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    person = register_person(lawyer, vault, full_name="Азимжан Аскаров")
    register_case(lawyer, vault, intake_date=date(2024, 1, 1), victim=person)
    client = signed_in("a-lawyer")
    for query in ({}, {"q": "Askarov"}):
        page = client.get(reverse("people"), query).content.decode()
        assert "Азимжан Аскаров" in page, query
    looked = AuditEvent.objects.filter(actor=lawyer, action="view_identity")
    assert [e.detail["people"] for e in looked if "people" in (e.detail or {})] == [[person.pk]] * 2
    analyst = signed_in("a-analyst").get(reverse("people")).content.decode()
    assert "Азимжан" not in analyst and f"P-{person.pk}" in analyst
