from datetime import date

import pytest

from kuzot.accounts import actions as accounts
from kuzot.accounts.vault import unlock
from kuzot.analysis.synthetic import generate_people
from kuzot.cases.actions import add_allegation, register_case, register_person
from kuzot.cases.models import Consent
from kuzot.stats.hidden import contribute
from tests.conftest import PASSWORD
from tests.stats import fixture
from tests.stats.fixture import term


@pytest.fixture
def ninety_acts(world):
    """90 acts in Organisation A: large cells, and some of 1 to 4 people."""
    fixture.ninety(world)


def organisation_c(world):
    created = accounts.create_organisation(
        world.admin,
        coalition=world.orgs["a"].coalition,
        name="Organisation C",
        slug="c",
        country="KG",
    )
    user = accounts.accept_invitation(
        created.invitation_token, username="c-coordinator", password=PASSWORD
    ).user
    created.organisation.refresh_from_db()
    world.orgs["c"], world.users["c-coordinator"] = created.organisation, user


def document(world, org: str, people) -> None:
    actor = world.users[f"{org}-coordinator"]
    vault = unlock(actor, PASSWORD).vault(world.orgs[org].pk)
    for person in people:
        victim = register_person(
            actor,
            vault,
            full_name=f"{person.given_name} {person.family_name}",
            sex=person.sex,
            birth_year=person.birth_year,
        )
        case = register_case(
            actor,
            vault,
            intake_date=date(2023, 3, 1),
            victim=victim,
            consents={Consent.Scope.LINKAGE: (True, date(2023, 3, 1), Consent.Manner.WRITTEN)},
        )
        add_allegation(
            actor,
            vault,
            case,
            date=date(2023, 2, 1),
            victim=victim,
            act_types=[term("act_type", "beating")],
        )


@pytest.fixture
def three_lists(world):
    world.orgs["b"].country = "KG"
    world.orgs["b"].save()
    organisation_c(world)
    people = generate_people(60, seed=5, namesakes=0)
    document(world, "a", people[:35])
    document(world, "b", people[15:50])
    document(world, "c", people[:10] + people[30:45])
    for org in ("b", "c"):
        coordinator = world.users[f"{org}-coordinator"]
        contribute(coordinator, unlock(coordinator, PASSWORD), world.orgs["a"])
    return people
