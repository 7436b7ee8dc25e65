"""The accountability funnel, against a hand-built register with its answers written out."""

import pytest

from kuzot.stats.queries import Scope, funnel
from tests.stats import fixture


@pytest.fixture
def register(world):
    return fixture.build(world)


def test_the_funnel_of_one_organisation(world, register):
    steps = {s.key: s for s in funnel(Scope((world.orgs["a"].pk,)))}
    assert {k: s.cases for k, s in steps.items()} == {
        "documented": 4,
        "complaint": 3,
        "registered": 2,
        "criminal_case": 1,
        "court": 1,
        "conviction": 1,
        "torture_conviction": 1,
        "compensation_awarded": 1,
        "compensation_paid": 1,
    }
    assert steps["complaint"].share_of_previous == pytest.approx(3 / 4)
    assert steps["registered"].share_of_previous == pytest.approx(2 / 3)
    assert steps["criminal_case"].share_of_documented == pytest.approx(1 / 4)
    # Days from the previous step, median over the cases that reached both.
    assert steps["complaint"].median_days == 12  # 12, 12, 7 days after intake
    assert steps["registered"].median_days == 15  # 10 and 20 days
    assert steps["criminal_case"].median_days == 20
    assert steps["court"].median_days == 92
    assert steps["conviction"].median_days == 92
    assert steps["compensation_awarded"].median_days == 151  # from the conviction
    assert steps["compensation_paid"].median_days == 183
    assert steps["documented"].median_days is None
    # Still open: c1, c3, c4 are open; c2 closed with redress.
    assert [
        steps[k].still_open for k in ("documented", "complaint", "registered", "criminal_case")
    ] == [3, 2, 1, 0]


def test_the_coalition_funnel_adds_the_organisations(world, register):
    steps = {s.key: s.cases for s in funnel(Scope(tuple(o.pk for o in world.orgs.values())))}
    assert steps["documented"] == 5 and steps["complaint"] == 4


def test_a_period_and_a_filter_narrow_the_funnel(world, register):
    org = (world.orgs["a"].pk,)
    assert funnel(Scope(org, year_from=2021, year_to=2021))[0].cases == 2
    by_agency = funnel(Scope(org, filters=(("agency", "national_security"),)))
    assert [s.cases for s in by_agency[:4]] == [1, 1, 1, 0]


def test_still_open_counts_only_the_open_files_of_demo_data(world):
    """Demo cases used to be all open, so "still open" equalled "cases" at every step."""
    from kuzot.ops.demo_cases import generate_cases

    org = world.orgs["a"]
    generate_cases(org, world.vault("a"), world.user("a-coordinator"), 80, last_year=2023)
    steps = {s.key: s for s in funnel(Scope((org.pk,)))}
    for key in ("documented", "complaint", "registered"):
        assert 0 < steps[key].still_open < steps[key].cases
    assert steps["compensation_paid"].still_open == 0
