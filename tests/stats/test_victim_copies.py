"""Statistics count acts by the victim's sex, age and vulnerable groups from the act's own
copies of them: every way an act is written keeps those copies equal to the person's."""

import importlib
from datetime import date

from django.apps import apps

from kuzot.cases.actions import NewCase, add_allegation, register_cases
from kuzot.cases.models import Allegation, Person
from kuzot.ops.demo_cases import generate_cases
from kuzot.stats.queries import Scope, count
from tests.stats.fixture import term

backfill = importlib.import_module("kuzot.cases.migrations.0009_allegation_victim_copies")


COPIES = ["victim_sex", "victim_age", *(f"victim_{g}" for g in Person.VULNERABLE_GROUPS)]
NO_VICTIM = dict.fromkeys(COPIES, False) | {"victim_sex": "", "victim_age": None}


def copies() -> list[dict]:
    return list(Allegation.objects.order_by("pk").values(*COPIES))


def copies_equal_the_victims() -> bool:
    acts = Allegation.objects.select_related("victim")
    return all(
        {name: getattr(act, name) for name in COPIES}
        == (Allegation.victim_copies(act.victim, act.date) if act.victim else NO_VICTIM)
        for act in acts
    )


def test_acts_registered_in_bulk_count_by_their_victims_sex_and_age(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    act = {"date": date(2020, 5, 1), "act_types": [term("act_type", "beating")]}
    register_cases(
        lawyer,
        vault,
        [
            NewCase(
                case={"intake_date": date(2020, 6, 1)},
                victim={
                    "full_name": "Aibek Asanov",
                    "sex": "M",
                    "birth_year": 2004,
                    "minor": True,
                },
                allegations=[act],
            ),
            NewCase(
                case={"intake_date": date(2020, 6, 2)},
                victim={"full_name": "Gulnara Sadykova", "sex": "F", "birth_year": 1980},
                allegations=[act],
            ),
            NewCase(
                case={"intake_date": date(2020, 6, 3)}, allegations=[act]
            ),  # no victim recorded
        ],
    )
    scope = Scope((lawyer.organisation_id,))
    assert count(scope, "sex", "age_group") == {
        ("M", "0-17"): 1,
        ("F", "30-44"): 1,
        ("unknown", "unknown"): 1,
    }
    assert count(scope, "minor", "sex") == {("yes", "M"): 1, ("no", "F"): 1, ("no", "unknown"): 1}
    assert copies_equal_the_victims()


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
    assert copies_equal_the_victims()


def test_the_migration_fills_the_copies_of_acts_recorded_before(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    generate_cases(lawyer.organisation, vault, lawyer, 5, seed=4)
    before = copies()
    Allegation.objects.update(**NO_VICTIM)
    backfill.copy_from_victims(apps, None)
    assert copies() == before
