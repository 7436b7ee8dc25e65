"""Acceptance: publish tables with small cells, then try to recover every withheld cell from
everything published — margins, the other tables, the other periods — and fail.

The attacker here is written independently of kuzot.analysis.disclosure: it knows the variables
and their categories, treats every published number as a sum over the hidden table of
non-negative whole-number counts, and asks an integer program for the least and greatest value
of each withheld cell.
"""

import itertools

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from kuzot.analysis.disclosure import Reason, Table, audit, protect

THRESHOLD = 5
YEARS = ("2023", "2024")
REGIONS = ("Chui", "Osh", "Naryn")
AGENCIES = ("police", "gknb", "prison")
SEXES = ("f", "m")
UNIVERSE = {"year": YEARS, "region": REGIONS, "agency": AGENCIES, "sex": SEXES}

# Documented cases: year -> region -> agency -> (women, men). Small cells on purpose.
CASES = {
    "2023": {
        "Chui": {"police": (6, 31), "gknb": (0, 4), "prison": (1, 12)},
        "Osh": {"police": (9, 44), "gknb": (2, 9), "prison": (0, 15)},
        "Naryn": {"police": (1, 7), "gknb": (0, 0), "prison": (0, 3)},
    },
    "2024": {
        "Chui": {"police": (8, 27), "gknb": (1, 6), "prison": (2, 10)},
        "Osh": {"police": (11, 38), "gknb": (0, 13), "prison": (3, 19)},
        "Naryn": {"police": (0, 9), "gknb": (0, 2), "prison": (0, 5)},
    },
}
CUBE = np.array([[[CASES[y][r][a] for a in AGENCIES] for r in REGIONS] for y in YEARS])


def table(year: str | None, by: str) -> Table:
    """Cases by region and agency or sex, in one year or (without a scope) in all years."""
    counts = CUBE[YEARS.index(year)] if year else CUBE.sum(axis=0)  # region, agency, sex
    return Table(
        f"region x {by}, {year or 'all years'}",
        ("region", by),
        (REGIONS, UNIVERSE[by]),
        counts.sum(axis=2 if by == "agency" else 1),
        scope={"year": year} if year else {},
    )


RELEASES = {
    "one table and its margins": [table(None, "agency")],
    "two tables sharing the region margin": [table(None, "agency"), table(None, "sex")],
    "two years and the all-years table": [table(year, "sex") for year in (*YEARS, None)],
    "everything": [table(year, by) for year in (*YEARS, None) for by in ("agency", "sex")],
}


def everything(universe: dict[str, tuple[str, ...]]) -> list[dict[str, str]]:
    return [
        dict(zip(universe, point, strict=True)) for point in itertools.product(*universe.values())
    ]


POINTS = everything(UNIVERSE)


def attack(published, points=POINTS) -> dict[tuple[str, tuple], tuple[int, int | None]]:
    """Least and greatest value of every withheld cell, from the published numbers alone.

    ``points`` are the cells of the hidden table, each a category for every variable."""

    def row(table, labels) -> np.ndarray:
        fixed = {
            **table.scope,
            **{d: c for d, c in zip(table.dims, labels, strict=True) if c is not None},
        }
        return np.array([all(p[v] == c for v, c in fixed.items()) for p in points], dtype=float)

    known = [
        (row(t, labels), c.value)
        for t in published
        for labels, c in t.cells.items()
        if c.value is not None
    ]
    matrix = np.array([r for r, _ in known])
    values = np.array([v for _, v in known])
    whole = np.ones(len(points))

    def solve(objective):
        result = milp(
            objective,
            integrality=whole,
            bounds=Bounds(0, np.inf),
            constraints=LinearConstraint(matrix, values, values),
        )
        assert result.status in (0, 3), result.message
        return None if result.status == 3 else round(result.fun)

    ranges = {}
    for table in published:
        for labels, cell in table.cells.items():
            if cell.value is None:
                objective = row(table, labels)
                upper = solve(-objective)
                ranges[table.name, labels] = (solve(objective), None if upper is None else -upper)
    return ranges


@pytest.fixture(params=RELEASES, scope="module")
def release(request):
    original = RELEASES[request.param]
    return original, protect(original, threshold=THRESHOLD)


def test_no_small_number_is_published(release):
    original, published = release
    for table, protected in zip(original, published, strict=True):
        for labels, cell in protected.cells.items():
            assert cell.value is None or not 0 < cell.value < THRESHOLD
            assert cell.value in (None, table.value(labels))


def test_there_are_small_cells_to_protect(release):
    _, published = release
    reasons = {c.reason for t in published for c in t.cells.values()}
    assert {Reason.PRIMARY, Reason.SECONDARY} <= reasons


def assert_unrecoverable(original, published, ranges):
    for table, protected in zip(original, published, strict=True):
        for labels, cell in protected.cells.items():
            if cell.value is None:
                lower, upper = ranges[table.name, labels]
                value = table.value(labels)
                assert lower <= value and (upper is None or value <= upper)
                if cell.reason is Reason.PRIMARY:  # cannot tell it from 0, nor from 5 or more
                    assert lower == 0 and (upper is None or upper >= THRESHOLD)
                else:  # cannot narrow it down to fewer than 5 values
                    assert upper is None or upper - lower >= THRESHOLD


def test_no_withheld_cell_can_be_recovered_from_everything_published(release):
    original, published = release
    ranges = attack(published)
    assert ranges
    assert_unrecoverable(original, published, ranges)


def test_audit_sees_what_the_attacker_sees(release):
    _, published = release
    assert {(i.table, i.labels): (i.lower, i.upper) for i in audit(published)} == attack(published)
    assert not any(i.recoverable for i in audit(published))


def test_tables_protected_one_by_one_leak_through_the_other_years():
    # 3 women in 2023 is withheld in the 2023 table, but 2024 and all years have no small
    # cell: 13 - 10 gives the 3 away unless the tables are protected together.
    by_sex = [
        Table("2023", ("sex",), (SEXES,), [3, 40], scope={"year": "2023"}),
        Table("2024", ("sex",), (SEXES,), [10, 30], scope={"year": "2024"}),
        Table("all years", ("sex",), (SEXES,), [13, 70]),
    ]
    alone = [protect([table], threshold=THRESHOLD)[0] for table in by_sex]
    assert attack(alone)["2023", ("f",)] == (3, 3)
    together = protect(by_sex, threshold=THRESHOLD)
    lower, upper = attack(together)["2023", ("f",)]
    assert lower == 0 and upper >= THRESHOLD


def test_a_group_of_one_sex_is_not_given_away_by_other_years():
    # In 2024 all 16 victims in Naryn were men. With sex sensitive, the attacker cannot tell
    # from any table or year that at most a few of them were women.
    release = RELEASES["everything"]
    published = protect(release, threshold=THRESHOLD, sensitive={"sex"})
    naryn = next(t for t in published if t.name == "region x sex, 2024")
    assert naryn.cells[("Naryn", "m")].reason is Reason.GROUP
    lower, upper = attack(published)[naryn.name, ("Naryn", "m")]
    assert upper - lower >= THRESHOLD


def test_regions_add_up_to_their_country():
    # 2 women in Chui. Not knowing that Chui and Osh make up Kyrgyzstan, protect hides them
    # behind cheap Sughd; then Kyrgyzstan's 42 women minus Osh's 40 give them away.
    countries = {"Chui": "KG", "Osh": "KG", "Sughd": "TJ", "Khatlon": "TJ"}
    regions = Table(
        "region x sex",
        ("region", "sex"),
        (tuple(countries), SEXES),
        [[2, 30], [40, 90], [8, 12], [20, 60]],
    )
    by_country = Table(
        "country x sex", ("country", "sex"), (("KG", "TJ"), SEXES), [[42, 120], [28, 72]]
    )
    universe = {"country": ("KG", "TJ"), "region": tuple(countries), "sex": SEXES}
    points = [p for p in everything(universe) if countries[p["region"]] == p["country"]]

    unaware = protect([regions, by_country])
    assert attack(unaware, points)["region x sex", ("Chui", "f")] == (2, 2)

    aware = protect([regions, by_country], nested={("region", "country"): countries})
    lower, upper = attack(aware, points)["region x sex", ("Chui", "f")]
    assert lower == 0 and upper >= THRESHOLD
    assert {(i.table, i.labels): (i.lower, i.upper) for i in audit(aware)} == attack(aware, points)


@pytest.mark.parametrize("seed", range(6))
def test_random_sparse_releases_leak_nothing(seed):
    # Mostly small counts: many cells withheld, partners hard to find; sex is sensitive.
    rng = np.random.default_rng(seed)
    cube = rng.poisson(2.5, size=(len(YEARS), len(REGIONS), len(SEXES)))
    release = [
        Table(
            f"region x sex, {year or 'all years'}",
            ("region", "sex"),
            (REGIONS, SEXES),
            cube[YEARS.index(year)] if year else cube.sum(axis=0),
            scope={"year": year} if year else {},
        )
        for year in (*YEARS, None)
    ]
    published = protect(release, threshold=THRESHOLD, sensitive={"sex"})
    universe = {"year": YEARS, "region": REGIONS, "sex": SEXES}
    assert_unrecoverable(release, published, attack(published, everything(universe)))
    for table, protected in zip(release, published, strict=True):
        for labels, cell in protected.cells.items():
            assert cell.value in (None, table.value(labels))
            assert cell.value is None or not 0 < cell.value < THRESHOLD
