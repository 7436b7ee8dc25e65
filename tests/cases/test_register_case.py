"""Registering a case in one form: a new or recorded person, the case and consent by scope."""

from datetime import date

import pytest
from django.urls import reverse

from kuzot.accounts.vault import sealed_context
from kuzot.cases.actions import add_allegation, consent_in_force, register_person, update_case
from kuzot.cases.models import Case, CaseParty, Consent, Person
from tests.cases.case_screens import term


def form_data(**overrides) -> dict:
    data = {
        "full_name": "Нурлан Жумабеков",
        "sex": "M",
        "birth_year": "1988",
        "nationality": "KG",
        "groups": ["migrant", "defender"],
        "intake_date": "2024-04-02",
        "source": str(term("source", "relative").pk),
        "confidentiality": "high",
        "reprisal_risk": "medium",
        "summary": "Detained at the border, beaten in the station.",
        "consent_documentation": "yes",
        "consent_documentation_manner": "written",
        "consent_sharing": "yes",
        "consent_sharing_date": "2024-04-03",
        "consent_sharing_manner": "oral",
        "consent_publication": "no",
        "consent_publication_manner": "written",
    }
    data.update(overrides)
    return data


def test_a_lawyer_registers_a_new_person_and_their_case(world, signed_in):
    client = signed_in("a-lawyer")
    lawyer = world.user("a-lawyer")
    response = client.post(reverse("new_case"), form_data(assigned_lawyer=str(lawyer.pk)))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == reverse("case", args=[case.pk])
    assert case.reference == "KG-2024-0001" and case.intake_date == date(2024, 4, 2)
    assert case.assigned_lawyer == lawyer and case.confidentiality == "high"
    assert case.reprisal_risk == "medium" and case.source.code == "relative"
    person = CaseParty.objects.get(case=case, role="victim").person
    assert person.nationality == "KG" and person.birth_year == 1988 and person.sex == "M"
    assert person.migrant and person.defender and not person.minor
    org = world.vault("a")
    assert org.open(person.full_name, sealed_context(Person, "full_name")) == "Нурлан Жумабеков"
    assert b"Detained" not in bytes(case.summary)
    assert consent_in_force(case, Consent.Scope.DOCUMENTATION)
    assert consent_in_force(case, Consent.Scope.SHARING)
    assert not consent_in_force(case, Consent.Scope.PUBLICATION)
    by_scope = {c.scope: c for c in case.consents.all()}
    assert set(by_scope) == {"documentation", "sharing", "publication"}
    assert by_scope["documentation"].date == date(2024, 4, 2)  # the intake date by default
    assert by_scope["sharing"].date == date(2024, 4, 3) and by_scope["sharing"].manner == "oral"
    page = client.get(response.url)
    assert "Нурлан Жумабеков" in page.content.decode()


def test_a_recorded_person_is_picked_by_number(world, signed_in):
    person = register_person(world.user("a-monitor"), world.vault("a"), full_name="Айгуль Исакова")
    response = signed_in("a-monitor").post(
        reverse("new_case"), form_data(full_name="", person=str(person.pk))
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert CaseParty.objects.get().person == person


def test_another_organisations_person_is_refused_in_the_form(world, signed_in):
    foreign = register_person(world.user("b-lawyer"), world.vault("b"), full_name="Чужой")
    response = signed_in("a-lawyer").post(
        reverse("new_case"), form_data(full_name="", person=str(foreign.pk))
    )
    assert response.status_code == 200
    assert "Your organisation has no person with this number." in response.content.decode()
    assert not Case.objects.exists()


def test_a_name_or_a_number_is_needed(world, signed_in):
    response = signed_in("a-lawyer").post(reverse("new_case"), form_data(full_name=""))
    assert response.status_code == 200
    assert "Give the person" in response.content.decode()
    assert not Person.objects.exists() and not Case.objects.exists()


def test_the_lawyer_list_offers_only_the_organisations_lawyers(world, signed_in):
    response = signed_in("a-coordinator").post(
        reverse("new_case"), form_data(assigned_lawyer=str(world.user("b-lawyer").pk))
    )
    assert response.status_code == 200 and not Case.objects.exists()
    page = signed_in("a-coordinator").get(reverse("new_case")).content.decode()
    assert "a-lawyer" in page and "b-lawyer" not in page


def test_with_htmx_success_redirects_the_whole_page(world, signed_in):
    response = signed_in("a-lawyer").post(
        reverse("new_case"), form_data(), headers={"HX-Request": "true"}
    )
    case = Case.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("case", args=[case.pk])


def test_analysts_and_doctors_do_not_register_cases(world, signed_in):
    for role in ("analyst", "doctor"):
        assert signed_in(f"a-{role}").post(reverse("new_case"), form_data()).status_code == 403
    assert not Case.objects.exists()


def test_the_actions_refuse_another_organisations_lawyer_or_victim(world):
    case = Case.objects.create(
        organisation=world.orgs["a"], reference="X", intake_date=date.today()
    )
    with pytest.raises(PermissionError):
        update_case(
            world.user("a-lawyer"), world.vault("a"), case, assigned_lawyer=world.user("b-lawyer")
        )
    foreign = register_person(world.user("b-lawyer"), world.vault("b"), full_name="Чужой")
    with pytest.raises(PermissionError):
        add_allegation(
            world.user("a-lawyer"),
            world.vault("a"),
            case,
            date=date(2024, 1, 1),
            act_types=[term("act_type", "beating")],
            victim=foreign,
        )


def test_the_person_page_opens_a_case_for_them(world, signed_in):
    person = register_person(world.user("a-lawyer"), world.vault("a"), full_name="Улан Эсенов")
    client = signed_in("a-lawyer")
    link = f"/cases/new/?person={person.pk}"
    assert link in client.get(reverse("person", args=[person.pk])).content.decode()
    assert f'value="{person.pk}"' in client.get(link).content.decode()
