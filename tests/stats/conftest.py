import pytest

from tests.stats import fixture


@pytest.fixture
def ninety_acts(world):
    """90 acts in Organisation A: large cells, and some of 1 to 4 people."""
    fixture.ninety(world)
