"""A publication shows no small cell, and nothing withheld can be worked out from everything
published: margins, the other tables, and other periods' publications."""

import pytest

from kuzot.analysis.disclosure import audit
from kuzot.stats.actions import PublicationWouldDisclose, publish
from kuzot.stats.models import Publication
from kuzot.stats.publishing import STANDARD, published_tables

TABLES = [choice.key for choice in STANDARD]


def withheld_ranges(publications):
    tables = [t for p in publications for t in published_tables(p.content)]
    return tables, audit(tables)


def test_no_small_number_is_published_and_none_withheld_can_be_worked_out(world, ninety_acts):
    publication = publish(
        world.user("a-coordinator"),
        title="Torture in Kyrgyzstan 2021-2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=TABLES,
    )
    threshold = publication.threshold
    shown = [value for table in publication.content["tables"] for _, value in table["cells"]]
    assert all(value is None or value == 0 or value >= threshold for value in shown)
    assert any(value is None for value in shown), "the fixture has small cells"
    tables, ranges = withheld_ranges([publication])
    assert ranges
    for cell in ranges:
        assert not cell.recoverable
        assert (
            cell.upper is None
            or cell.upper - cell.lower >= threshold
            or (cell.lower == 0 and cell.upper >= threshold)
        ), cell
    steps = publication.content["funnel"]
    assert all(s["cases"] is None or s["cases"] == 0 or s["cases"] >= threshold for s in steps)


def test_a_later_publication_of_one_year_gives_nothing_away_with_the_first(world, ninety_acts):
    coordinator = world.user("a-coordinator")
    first = publish(
        coordinator,
        title="2021-2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=["year_country", "year_agency", "agency", "region"],
    )
    try:
        second = publish(
            coordinator,
            title="2022",
            coalition_wide=False,
            year_from=2022,
            year_to=2022,
            tables=["agency", "region", "sex_age"],
        )
    except PublicationWouldDisclose:
        return  # refused: nothing was published, nothing can leak
    _, ranges = withheld_ranges([first, second])
    assert not [cell for cell in ranges if cell.recoverable]


def test_a_publication_is_a_frozen_snapshot(world, ninety_acts):
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
