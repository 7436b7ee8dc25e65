"""Invented monitoring visits for the demo: a year of visits to each country's places, with
interviews and findings, written through the monitoring actions like any visit."""

import random
from datetime import date, timedelta

from kuzot.accounts.models import Organisation, User
from kuzot.accounts.vault import Vault
from kuzot.cases.models import PlaceOfDetention
from kuzot.monitoring import actions
from kuzot.monitoring.models import Finding, Interview, TeamMember, Visit

YEAR = 2025
AREAS = {
    "accommodation": 20,
    "health": 18,
    "hygiene": 10,
    "food": 8,
    "registers": 10,
    "contact": 8,
    "discipline": 8,
    "safeguards": 10,
    "treatment": 8,
}
WORDS = {
    "accommodation": "Cell {n}: {m} people for {k} beds; no natural light.",
    "health": "No doctor on site for {n} days; medical register incomplete.",
    "hygiene": "Showers once in {n} days; no hot water.",
    "food": "Drinking water only at meal times; portions below the norm.",
    "registers": "{n} people held without an entry in the admission register.",
    "contact": "Families not told of the detention for {n} days.",
    "discipline": "Punishment cell used for {n} days without a written decision.",
    "safeguards": "Lawyers admitted only after the first interrogation in {n} files.",
    "treatment": "A detainee reports beatings during the first night in custody.",
}


def _member(organisation: Organisation, role: str) -> User:
    return User.objects.get(username=f"{organisation.slug}-{role}")


def add_visits(organisation: Organisation, vault: Vault, places: list[PlaceOfDetention]) -> None:
    """Two visits a year to each place of the organisation's country, the second a follow-up."""
    if Visit.objects.filter(organisation=organisation).exists():
        return
    rng = random.Random(f"visits-{organisation.slug}")
    monitor, doctor = _member(organisation, "monitor"), _member(organisation, "doctor")
    team = [(monitor, TeamMember.Role.LEAD), (doctor, TeamMember.Role.DOCTOR)]
    for place in places:
        earlier = None
        for half in (0, 1):
            day = date(YEAR, 1 + 6 * half + rng.randrange(5), 1 + rng.randrange(27))
            visit = actions.plan_visit(
                monitor,
                vault,
                place=place,
                planned_for=day - timedelta(days=14),
                announced=rng.random() < 0.3,
                team=team,
                follow_up_of=earlier,
                objectives="Conditions and treatment; follow-up of earlier findings"
                if earlier
                else "Conditions and treatment of people held",
            )
            actions.record_visit(
                monitor,
                vault,
                visit,
                started_on=day,
                access=rng.choices(["granted", "partial", "refused"], [70, 25, 5])[0],
                registers_checked="Admission register; medical register",
            )
            interview = actions.add_interview(
                monitor,
                vault,
                visit,
                interviewee=Interview.Interviewee.DETAINEE,
                private=True,
                consent_to_record=True,
                check_on_next_visit=rng.random() < 0.3,
                notes="Describes conditions in the cell and the first night in custody.",
            )
            for area in rng.sample(list(AREAS), k=rng.randint(3, 5), counts=list(AREAS.values())):
                actions.add_finding(
                    monitor,
                    vault,
                    visit,
                    area=area,
                    source=rng.choice(Finding.Source.values),
                    severity=rng.choices(Finding.Severity.values, [20, 40, 30, 10])[0],
                    description=WORDS[area].format(
                        n=rng.randint(2, 14), m=rng.randint(9, 24), k=rng.randint(4, 8)
                    ),
                    interview=interview if area == "treatment" else None,
                )
            earlier = visit
