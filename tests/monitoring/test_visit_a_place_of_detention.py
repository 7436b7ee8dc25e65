"""A monitor plans a visit to a SIZO, carries it out, interviews people in private and records
findings; an allegation the person agreed to transmit becomes a case in one step."""

from datetime import date

import pytest

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
        "accommodation", "health", "food", "registers", "treatment"
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
            monitor, vault, visit, interviewee="detainee", private=True,
            consent_to_record=False, notes="what was said",
        )
    interview = actions.add_interview(
        monitor, vault, visit, interviewee="detainee", private=True, consent_to_record=True
    )
    finding = actions.add_finding(
        monitor, vault, visit, area="treatment", source="detainee", severity="high",
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
            world.user("b-monitor"), world.vault("b"), visit, area="food",
            source="staff", severity="low",
        )


def test_what_was_said_is_sealed_in_the_database(world):
    visit = visited(world)
    actions.add_interview(
        world.user("a-monitor"), world.vault("a"), visit, interviewee="staff", private=True,
        consent_to_record=True, notes="The deputy head keeps a second register.",
    )
    stored = Interview.objects.get()
    assert b"second register" not in bytes(stored.notes)
    assert world.vault("a").open(
        stored.notes, sealed_context(Interview, "notes")
    ) == "The deputy head keeps a second register."
    assert Finding.objects.count() == 0
