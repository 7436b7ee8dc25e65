"""Medical evaluations (Istanbul Protocol): recorded by doctors; read by doctors and the
case's own lawyer only — not another lawyer, the coordinator or the analyst."""

from datetime import date

from django.test import Client
from django.urls import reverse

from kuzot.cases.actions import add_allegation
from kuzot.cases.models import ConsistencyFinding, MedicalEvaluation
from tests.cases.case_screens import a_case, second_lawyer, term
from tests.conftest import sign_in


def evaluated_case(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world, assigned_lawyer=lawyer)
    beating = add_allegation(
        lawyer, vault, case, date=date(2024, 1, 5), act_types=[term("act_type", "beating")]
    )
    shock = add_allegation(
        lawyer, vault, case, date=date(2024, 1, 6), act_types=[term("act_type", "electric_shock")]
    )
    doctor = signed_in("a-doctor")
    form = doctor.get(reverse("new_medical", args=[case.pk])).content.decode()
    assert "Beating" in form and "Electric shock" in form and "typical of" in form
    response = doctor.post(
        reverse("new_medical", args=[case.pk]),
        {
            "date": "2024-01-20",
            "overall": "highly_consistent",
            f"finding_{beating.pk}": "typical",
            f"finding_{shock.pk}": "",
            "physical_findings": "Гематомы на спине",
            "conclusion": "Consistent with the account",
        },
    )
    assert response.status_code == 302
    evaluation = MedicalEvaluation.objects.get()
    assert evaluation.overall == "highly_consistent" and evaluation.examiner == world.user(
        "a-doctor"
    )
    assert list(ConsistencyFinding.objects.values_list("allegation_id", "level")) == [
        (beating.pk, "typical")
    ]
    return case


def test_a_doctor_records_an_evaluation_with_a_level_per_act(world, signed_in):
    evaluated_case(world, signed_in)


def test_only_doctors_and_the_cases_lawyer_read_it(world, signed_in):
    case = evaluated_case(world, signed_in)
    url = reverse("case", args=[case.pk])
    for reader in ("a-doctor", "a-lawyer"):
        html = signed_in(reader).get(url).content.decode()
        assert "Гематомы на спине" in html and "highly consistent with" in html, reader
    other = sign_in(Client(), second_lawyer(world))
    for client in (
        other,
        signed_in("a-coordinator"),
        signed_in("a-analyst"),
        signed_in("a-monitor"),
    ):
        html = client.get(url).content.decode()
        assert client.get(url).status_code == 200
        assert "Гематомы" not in html and "Medical evaluations" not in html


def test_only_doctors_open_the_form(world, signed_in):
    case = a_case(world, assigned_lawyer=world.user("a-lawyer"))
    for role in ("lawyer", "coordinator", "analyst", "monitor"):
        response = signed_in(f"a-{role}").post(
            reverse("new_medical", args=[case.pk]), {"date": "2024-01-01", "overall": "consistent"}
        )
        assert response.status_code == 403, role
    assert not MedicalEvaluation.objects.exists()
    foreign = a_case(world, "b", name="Чужой")
    assert signed_in("a-doctor").get(reverse("new_medical", args=[foreign.pk])).status_code == 404


def test_a_finding_for_another_cases_act_is_not_offered(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case, other = a_case(world), a_case(world, name="Другой")
    elsewhere = add_allegation(
        lawyer, vault, other, date=date(2024, 1, 5), act_types=[term("act_type", "beating")]
    )
    response = signed_in("a-doctor").post(
        reverse("new_medical", args=[case.pk]),
        {"date": "2024-01-20", "overall": "consistent", f"finding_{elsewhere.pk}": "typical"},
    )
    assert response.status_code == 302
    assert not ConsistencyFinding.objects.exists()
