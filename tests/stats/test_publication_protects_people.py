"""A publication shows no small cell, nothing withheld can be worked out from everything
published, and it is frozen and recorded in the ledger. (Attacks that combine publications are in
test_publishing_again_exposes_nobody.py.)"""

import pytest

from kuzot.stats.actions import publish
from kuzot.stats.models import Publication, Release
from kuzot.stats.publishing import STANDARD
from tests.stats.attacker import Attacker, numbers_of, truth

TABLES = [choice.key for choice in STANDARD]


def test_no_small_number_is_published_and_none_withheld_can_be_worked_out(world, ninety_acts):
    publication = publish(
        world.user("a-coordinator"),
        title="Torture in Kyrgyzstan 2021-2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=["year_country", "agency", "region", "context", "sex_age", "act_type"],
    )
    threshold = publication.threshold
    shown = [value for table in publication.content["tables"] for _, value in table["cells"]]
    assert all(value is None or value == 0 or value >= threshold for value in shown)
    assert any(value is None for value in shown), "the fixture has small cells"
    steps = publication.content["funnel"]
    assert all(s["cases"] is None or s["cases"] == 0 or s["cases"] >= threshold for s in steps)
    organisations = (world.orgs["a"].pk, world.orgs["b"].pk)
    attacker = Attacker(numbers_of(publication), [truth(organisations, range(2021, 2024))])
    assert not attacker.recovered(insiders=organisations)


def test_every_standard_table_can_be_published_at_once(world, ninety_acts):
    publication = publish(
        world.user("a-coordinator"),
        title="Everything",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=TABLES,
    )
    assert [t["name"] for t in publication.content["tables"]] == TABLES


def test_a_publication_is_a_frozen_snapshot_recorded_in_the_ledger(world, ninety_acts):
    publication = publish(
        world.user("a-coordinator"),
        title="2021",
        coalition_wide=False,
        year_from=2021,
        year_to=2021,
        tables=["agency"],
    )
    with pytest.raises(RuntimeError):
        publication.save()
    with pytest.raises(RuntimeError):
        publication.delete()
    assert Publication.objects.count() == 1
    entry = Release.objects.get(publication=publication)
    assert entry.kind == Release.Kind.PUBLICATION and entry.cells
    with pytest.raises(RuntimeError):
        entry.delete()


def test_only_coordinators_publish(world, ninety_acts):
    with pytest.raises(PermissionError):
        publish(
            world.user("a-analyst"),
            title="x",
            coalition_wide=False,
            year_from=2021,
            year_to=2021,
            tables=["agency"],
        )
