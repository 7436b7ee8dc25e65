"""Statistics count acts by the victim's sex and age from the act's own copies of them: every
way an act is written keeps those copies equal to the person's."""

import importlib
from datetime import date

from django.apps import apps

from kuzot.cases.actions import NewCase, add_allegation, register_cases
from kuzot.cases.models import Allegation
from kuzot.ops.demo_cases import generate_cases
from kuzot.stats.queries import Scope, count
from tests.stats.fixture import term

backfill = importlib.import_module("kuzot.cases.migrations.0009_allegation_victim_copies")


def copies() -> set[tuple]:
    return set(
        Allegation.objects.values_list(
            "victim_sex", "victim_birth_year", "victim__sex", "victim__birth_year"
        )
    )


def test_acts_registered_in_bulk_count_by_their_victims_sex_and_age(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    act = {"date": date(2020, 5, 1), "act_types": [term("act_type", "beating")]}
    register_cases(
        lawyer,
        vault,
        [
            NewCase(
                intake_date=date(2020, 6, 1),
                victim={"full_name": "Aibek Asanov", "sex": "M", "birth_year": 2004},
                allegation=act,
            ),
            NewCase(
                intake_date=date(2020, 6, 2),
                victim={"full_name": "Gulnara Sadykova", "sex": "F", "birth_year": 1980},
                allegation=act,
            ),
            NewCase(intake_date=date(2020, 6, 3), allegation=act),  # no victim recorded
        ],
    )
    scope = Scope((lawyer.organisation_id,))
    assert count(scope, "sex", "age_group") == {
        ("M", "0-17"): 1,
        ("F", "30-44"): 1,
        ("unknown", "unknown"): 1,
    }
    assert copies() == {("M", 2004, "M", 2004), ("F", 1980, "F", 1980), ("", None, None, None)}


def test_acts_added_one_by_one_and_invented_by_the_demo_keep_the_copies(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    generate_cases(lawyer.organisation, vault, lawyer, 5, seed=3)
    case = Allegation.objects.first().case
    add_allegation(
        lawyer,
        vault,
        case,
        date=date(2021, 1, 1),
        victim=Allegation.objects.first().victim,
        act_types=[term("act_type", "threats_to_relatives")],
    )
    assert Allegation.objects.count() >= 6
    assert all(
        sex == person_sex and year == person_year for sex, year, person_sex, person_year in copies()
    )


def test_the_migration_fills_the_copies_of_acts_recorded_before(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    generate_cases(lawyer.organisation, vault, lawyer, 5, seed=4)
    before = copies()
    Allegation.objects.update(victim_sex="", victim_birth_year=None)
    backfill.copy_from_victims(apps, None)
    assert copies() == before
