"""Counts of acts by one or two dimensions, against the hand-built register."""

import pytest

from kuzot.stats.queries import Scope, count, time_series
from tests.stats import fixture


@pytest.fixture
def scope(world):
    fixture.build(world)
    return Scope((world.orgs["a"].pk,))


def test_counts_by_agency_act_type_sex_and_region(scope):
    assert count(scope, "agency") == {("police",): 3, ("national_security",): 1}
    assert count(scope, "act_type") == {
        ("beating",): 3,
        ("forced_confession",): 1,
        ("suffocation",): 1,
    }
    assert count(scope, "sex") == {("M",): 3, ("F",): 1}
    assert count(scope, "region") == {("kg-bishkek",): 2, ("kg-osh",): 1, ("kg-chuy",): 1}
    assert count(scope, "place_type") == {("temporary_detention",): 1, ("unknown",): 3}


def test_age_at_the_time_of_the_act(scope):
    assert count(scope, "age_group") == {("30-44",): 1, ("0-17",): 1, ("60+",): 1, ("unknown",): 1}


def test_a_vulnerable_group_is_a_yes_no_dimension(scope):
    assert count(scope, "minor") == {("yes",): 1, ("no",): 3}
    assert count(scope, "minor", "agency") == {
        ("yes", "police"): 1,
        ("no", "police"): 2,
        ("no", "national_security"): 1,
    }


def test_any_two_dimensions_crossed(scope):
    assert count(scope, "year", "agency") == {
        ("2020", "police"): 1,
        ("2021", "police"): 1,
        ("2021", "national_security"): 1,
        ("2022", "police"): 1,
    }
    assert count(scope, "sex", "act_type") == {
        ("M", "beating"): 2,
        ("M", "forced_confession"): 1,
        ("M", "suffocation"): 1,
        ("F", "beating"): 1,
    }


def test_the_time_series_and_the_coalition_view(world, scope):
    assert time_series(scope) == {("2020",): 1, ("2021",): 2, ("2022",): 1}
    coalition = Scope(tuple(o.pk for o in world.orgs.values()))
    assert count(coalition, "country") == {("KG",): 4, ("KZ",): 1}
