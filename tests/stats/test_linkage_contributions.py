"""Members contribute the records consented for matching, sealed to the analysing organisation."""

from datetime import date

import pytest

from kuzot.accounts.vault import unlock
from kuzot.cases.actions import add_allegation, register_case, register_person
from kuzot.cases.models import Consent
from kuzot.stats.hidden import contribute, decide, gather
from kuzot.stats.models import LinkageContribution, ReviewDecision
from tests.conftest import PASSWORD
from tests.stats.fixture import term


def victim_case(world, org: str, name: str, *, consent: bool) -> None:
    lawyer, vault = world.user(f"{org}-lawyer"), world.vault(org)
    person = register_person(lawyer, vault, full_name=name, sex="M", birth_year=1980)
    case = register_case(
        lawyer,
        vault,
        intake_date=date(2022, 3, 1),
        victim=person,
        consents={Consent.Scope.LINKAGE: (consent, date(2022, 3, 1), Consent.Manner.WRITTEN)},
    )
    add_allegation(
        lawyer,
        vault,
        case,
        date=date(2022, 2, 20),
        victim=person,
        act_types=[term("act_type", "beating")],
        region=term("region", "kz-astana"),
    )
    return case


def test_only_consented_records_travel_sealed_and_open_for_the_recipient(world):
    victim_case(world, "b", "Ерлан Қасымов", consent=True)
    victim_case(world, "b", "Айгерим Сейткали", consent=False)
    victim_case(world, "a", "Азимжан Аскаров", consent=True)
    b_coordinator, a_coordinator = world.user("b-coordinator"), world.user("a-coordinator")

    contribution = contribute(b_coordinator, unlock(b_coordinator, PASSWORD), world.orgs["a"])
    assert contribution.records == 1
    assert "Қасымов".encode() not in bytes(contribution.sealed)
    own = gather(b_coordinator, unlock(b_coordinator, PASSWORD))  # b sees only its own
    assert [r["full_name"] for r in own] == ["Ерлан Қасымов"]

    rows = gather(a_coordinator, unlock(a_coordinator, PASSWORD))
    by_source = {(r["source"], r["full_name"]) for r in rows}
    assert by_source == {("b", "Ерлан Қасымов"), ("a", "Азимжан Аскаров")}
    kasymov = next(r for r in rows if r["source"] == "b")
    assert kasymov["country"] == "KZ" and kasymov["region"] == "kz-astana"
    assert kasymov["incident_date"] == "2022-02-20" and kasymov["birth_year"] == 1980


def test_a_second_contribution_replaces_the_first(world):
    victim_case(world, "b", "Ерлан Қасымов", consent=True)
    coordinator = world.user("b-coordinator")
    contribute(coordinator, unlock(coordinator, PASSWORD), world.orgs["a"])
    victim_case(world, "b", "Нурсултан Жаксыбеков", consent=True)
    contribute(coordinator, unlock(coordinator, PASSWORD), world.orgs["a"])
    assert LinkageContribution.objects.get().records == 2


def test_only_coordinators_contribute_and_decide(world):
    lawyer = world.user("b-lawyer")
    with pytest.raises(PermissionError):
        contribute(lawyer, unlock(lawyer, PASSWORD), world.orgs["a"])
    with pytest.raises(PermissionError):
        decide(lawyer, "a:1-1", "b:2-2", True)


def test_a_review_decision_is_kept_once_per_pair(world):
    coordinator = world.user("a-coordinator")
    decide(coordinator, "b:2-2", "a:1-1", True)
    decide(coordinator, "a:1-1", "b:2-2", False)
    decision = ReviewDecision.objects.get()
    assert (decision.left, decision.right, decision.same) == ("a:1-1", "b:2-2", False)
