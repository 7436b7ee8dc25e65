"""A case's stage and step dates follow from its legal path; nobody types them."""

from datetime import date

from kuzot.cases.actions import delete_legal_event, record_legal_event, register_case
from kuzot.cases.models import LegalEvent, Stage

Kind = LegalEvent.Kind
PATH = [
    (Kind.COMPLAINT_LODGED, date(2023, 1, 10)),
    (Kind.COMPLAINT_REFUSED, date(2023, 2, 1)),
    (Kind.APPEAL, date(2023, 2, 20)),
    (Kind.CRIMINAL_CASE_OPENED, date(2023, 4, 5)),
    (Kind.CONVICTION_TORTURE, date(2024, 3, 1)),
    (Kind.COMPENSATION_AWARDED, date(2024, 9, 9)),
]


def test_the_path_to_compensation_sets_stage_and_step_dates(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = register_case(lawyer, vault, intake_date=date(2023, 1, 5))
    assert case.stage == Stage.DOCUMENTED
    seen = []
    for kind, when in PATH:
        record_legal_event(lawyer, vault, case, kind=kind, date=when)
        case.refresh_from_db()
        seen.append(case.stage)
    assert seen == [
        Stage.COMPLAINT_LODGED,
        Stage.COMPLAINT_REFUSED,
        Stage.COMPLAINT_REFUSED,
        Stage.CRIMINAL_CASE,
        Stage.CONVICTION,
        Stage.COMPENSATION_AWARDED,
    ]
    assert case.complaint_on == date(2023, 1, 10)
    assert case.registered_on == case.criminal_case_on == date(2023, 4, 5)
    assert case.court_on == case.conviction_on == case.torture_conviction_on == date(2024, 3, 1)
    assert case.compensation_awarded_on == date(2024, 9, 9)
    assert case.compensation_paid_on is None


def test_an_event_entered_late_takes_its_place_by_date(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = register_case(lawyer, vault, intake_date=date(2023, 1, 5))
    record_legal_event(lawyer, vault, case, kind=Kind.CRIMINAL_CASE_OPENED, date=date(2023, 5, 1))
    record_legal_event(lawyer, vault, case, kind=Kind.COMPLAINT_REFUSED, date=date(2023, 2, 1))
    case.refresh_from_db()
    assert case.stage == Stage.CRIMINAL_CASE


def test_deleting_an_event_restages_the_case(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = register_case(lawyer, vault, intake_date=date(2023, 1, 5))
    record_legal_event(lawyer, vault, case, kind=Kind.COMPLAINT_LODGED, date=date(2023, 1, 9))
    verdict = record_legal_event(lawyer, vault, case, kind=Kind.ACQUITTAL, date=date(2024, 1, 9))
    delete_legal_event(lawyer, verdict)
    case.refresh_from_db()
    assert case.stage == Stage.COMPLAINT_LODGED and case.court_on is None
