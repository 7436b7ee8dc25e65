"""A monitor plans a visit to a SIZO, carries it out, interviews people in private and records
findings; an allegation the person agreed to transmit becomes a case in one step."""

from datetime import date

import pytest
from django.urls import reverse

from kuzot.accounts.vault import sealed_context, unlock
from kuzot.audit.models import AuditEvent
from kuzot.cases.models import Allegation, Case, PlaceOfDetention, Term
from kuzot.monitoring import actions, selectors
from kuzot.monitoring.models import Finding, Interview, Visit
from tests.conftest import PASSWORD


def sizo() -> PlaceOfDetention:
    return PlaceOfDetention.objects.create(
        country="KG",
        kind=Term.objects.get(vocabulary="place_type", code="sizo", organisation=None),
        region=Term.objects.get(vocabulary="region", code="kg-chuy", organisation=None),
        name_en="SIZO-1, Bishkek",
        name_ru="СИЗО-1, Бишкек",
    )


def visited(world) -> Visit:
    monitor, vault = world.user("a-monitor"), world.vault("a")
    visit = actions.plan_visit(
        monitor,
        vault,
        place=sizo(),
        planned_for=date(2026, 3, 2),
        objectives="Overcrowding and medical care after the January complaints",
        team=[(monitor, "lead"), (world.user("a-doctor"), "doctor")],
    )
    return actions.record_visit(
        monitor,
        vault,
        visit,
        started_on=date(2026, 3, 3),
        access="partial",
        access_notes="The punishment cells were not opened.",
        registers_checked="Admission register 2025–2026",
    )


def test_a_monitor_records_a_visit_with_a_private_interview_and_five_findings(world):
    monitor, vault = world.user("a-monitor"), world.vault("a")
    visit = visited(world)
    interview = actions.add_interview(
        monitor,
        vault,
        visit,
        interviewee="detainee",
        private=True,
        consent_to_record=True,
        consent_to_transmit=True,
        check_on_next_visit=True,
        name="Бакыт Осмонов",
        notes="Beaten on arrival by two officers; no doctor for three days.",
    )
    beating = Term.objects.get(vocabulary="act_type", code="beating", organisation=None)
    for area, severity in (
        ("accommodation", "high"),
        ("health", "urgent"),
        ("food", "medium"),
        ("registers", "low"),
    ):
        actions.add_finding(
            monitor, vault, visit, area=area, source="observation", severity=severity
        )
    allegation = actions.add_finding(
        monitor,
        vault,
        visit,
        area="treatment",
        source="detainee",
        severity="urgent",
        rule="Mandela 1",
        description="Beaten on arrival by two officers.",
        interview=interview,
        act_types=[beating],
    )
    case = actions.open_case(monitor, vault, allegation)
    act = Allegation.objects.get(case=case)
    assert act.place_of_detention == visit.place and list(act.act_types.all()) == [beating]
    assert case.consents.get(scope="documentation").given
    assert actions.open_case(monitor, vault, allegation) == case  # one step, once

    page = selectors.read_visit(monitor, unlock(monitor, PASSWORD), visit)
    assert [f.area for f, _ in page["findings"]] == [
        "accommodation",
        "health",
        "food",
        "registers",
        "treatment",
    ]
    assert page["interviews"][0][1]["name"] == "Бакыт Осмонов"
    assert page["text"]["access_notes"] == "The punishment cells were not opened."
    assert AuditEvent.objects.filter(
        action="view_identity", object_type="monitoring.visit", object_id=str(visit.pk)
    ).exists()
    assert list(selectors.to_check_on(monitor, visit.place_id)) == [interview]


def test_without_consent_no_notes_are_kept_and_nothing_becomes_a_case(world):
    monitor, vault = world.user("a-monitor"), world.vault("a")
    visit = visited(world)
    with pytest.raises(ValueError, match="consent"):
        actions.add_interview(
            monitor,
            vault,
            visit,
            interviewee="detainee",
            private=True,
            consent_to_record=False,
            notes="what was said",
        )
    interview = actions.add_interview(
        monitor, vault, visit, interviewee="detainee", private=True, consent_to_record=True
    )
    finding = actions.add_finding(
        monitor,
        vault,
        visit,
        area="treatment",
        source="detainee",
        severity="high",
        interview=interview,
    )
    with pytest.raises(PermissionError):
        actions.open_case(monitor, vault, finding)
    assert not Case.objects.exists()


def test_analysts_and_other_organisations_see_no_visit(world):
    visit = visited(world)
    assert not selectors.visible_visits(world.user("a-analyst")).exists()
    assert not selectors.visible_visits(world.user("b-monitor")).exists()
    with pytest.raises(PermissionError):
        actions.add_finding(
            world.user("b-monitor"),
            world.vault("b"),
            visit,
            area="food",
            source="staff",
            severity="low",
        )


def test_what_was_said_is_sealed_in_the_database(world):
    visit = visited(world)
    actions.add_interview(
        world.user("a-monitor"),
        world.vault("a"),
        visit,
        interviewee="staff",
        private=True,
        consent_to_record=True,
        notes="The deputy head keeps a second register.",
    )
    stored = Interview.objects.get()
    assert b"second register" not in bytes(stored.notes)
    assert (
        world.vault("a").open(stored.notes, sealed_context(Interview, "notes"))
        == "The deputy head keeps a second register."
    )
    assert Finding.objects.count() == 0


def test_a_monitor_does_it_all_on_the_screens(world, signed_in):
    client = signed_in("a-monitor")
    place = sizo()
    response = client.post(
        reverse("plan_visit"),
        {
            "place": place.pk,
            "planned_for": "2026-03-02",
            "team": [world.user("a-doctor").pk],
            "objectives": "Medical care",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visit", args=[visit.pk])
    assert {(m.user.username, m.role) for m in visit.team.all()} == {
        ("a-monitor", "lead"),
        ("a-doctor", "doctor"),
    }
    refused = client.post(
        reverse("record_visit", args=[visit.pk]),
        {"started_on": "2026-03-03", "ended_on": "2026-03-01", "access": "granted"},
    )
    assert "The last day is before the first." in refused.content.decode()
    client.post(
        reverse("record_visit", args=[visit.pk]), {"started_on": "2026-03-03", "access": "granted"}
    )
    kept = client.post(
        reverse("new_interview", args=[visit.pk]),
        {"interviewee": "detainee", "private": "on", "notes": "He was beaten."},
    )
    assert (
        "Without the person" in kept.content.decode() and "He was beaten." in kept.content.decode()
    )
    client.post(
        reverse("new_interview", args=[visit.pk]),
        {
            "interviewee": "detainee",
            "private": "on",
            "consent_to_record": "on",
            "consent_to_transmit": "on",
            "name": "Бакыт Осмонов",
            "notes": "He was beaten.",
        },
    )
    interview = Interview.objects.get()
    beating = Term.objects.get(vocabulary="act_type", code="beating", organisation=None)
    client.post(
        reverse("new_finding", args=[visit.pk]),
        {
            "area": "treatment",
            "source": "detainee",
            "severity": "urgent",
            "description": "Beaten on arrival.",
            "interview": interview.pk,
            "act_types": [beating.pk],
        },
    )
    finding = Finding.objects.get()
    page = client.get(reverse("visit", args=[visit.pk])).content.decode()
    assert "Бакыт Осмонов" in page and "Beaten on arrival." in page
    assert "Open a case from this allegation" in page
    opened = client.post(reverse("finding_case", args=[finding.pk]))
    case = Case.objects.get()
    assert opened["Location"] == reverse("case", args=[case.pk])
    assert (
        "The case opened from it" in client.get(reverse("visit", args=[visit.pk])).content.decode()
    )


def test_the_report_recommends_and_the_follow_up_visit_assesses(world, signed_in):
    client = signed_in("a-coordinator")
    visit = visited(world)
    for text in ("Open the punishment cells' register.", "Hire a doctor.", "Repair the showers."):
        client.post(
            reverse("visit_recommend", args=[visit.pk]), {"text": text, "deadline": "2026-09-01"}
        )
    visit.refresh_from_db()
    texts = [r.text for r in visit.report.recommendations.order_by("pk")]
    assert texts[1] == "Hire a doctor." and len(texts) == 3
    follow_up = actions.plan_visit(
        world.user("a-monitor"),
        world.vault("a"),
        place=visit.place,
        planned_for=date(2026, 10, 1),
        follow_up_of=visit,
    )
    doctor = visit.report.recommendations.get(text="Hire a doctor.")
    client.post(
        reverse("visit_assess", args=[follow_up.pk, doctor.pk]), {"status": "not_implemented"}
    )
    page = client.get(reverse("visit", args=[visit.pk])).content.decode()
    assert "Hire a doctor." in page and "not implemented" in page
    assert "what was done?" in client.get(reverse("visit", args=[follow_up.pk])).content.decode()
