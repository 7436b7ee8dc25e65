"""Releases checked against everything released before (the ledger), attacked by an integer
program written independently of kuzot.analysis.disclosure.

The attacker here knows the organisations, their countries, the years and the revision steps of
each organisation's year, and every variable's categories; it treats the hidden data as the full
cross-classification of all of them (no decomposition into groups), with non-negative whole
counts, and asks for the least and greatest value of every withheld cell and of every count of one
organisation, year and revision step inside any released number. An insider also knows its own
organisation's counts exactly.
"""

import itertools
from collections import Counter

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from kuzot.analysis.disclosure import (
    Box,
    DisclosureCheckFailed,
    DisclosureCheckTimeout,
    Reason,
    Released,
    Space,
    Table,
    protect,
    protect_release,
    table_boxes,
)

THRESHOLD = 5
COUNTRIES = {"a": "KG", "b": "KZ"}
REGIONS = {"KG": ("chui", "osh", "kg-unknown"), "KZ": ("almaty", "kz-unknown")}
SPACE = Space(
    "acts",
    {
        "region": tuple(r for rs in REGIONS.values() for r in rs),
        "sex": ("F", "M"),
        "agency": ("police", "security"),
    },
    allowed={
        "region": {
            r: frozenset(o for o, c in COUNTRIES.items() if c == country)
            for country, rs in REGIONS.items()
            for r in rs
        }
    },
)
SPACES = {"acts": SPACE}
VARIABLES = list(SPACE.frames)


def combos(organisation: str) -> list[tuple[str, ...]]:
    return list(
        itertools.product(REGIONS[COUNTRIES[organisation]], *list(SPACE.frames.values())[1:])
    )


def random_counts(rng, organisation, mean=1.2) -> dict[tuple[str, ...], int]:
    return {c: int(n) for c in combos(organisation) if (n := rng.poisson(mean))}


# --- The attacker --------------------------------------------------------------------------


def slices_of(history, organisation, year, revision):
    """(revision, +1/-1) steps up to ``revision``: what was there, then additions, removals."""
    steps = [(0, 1)]
    for r in range(1, revision + 1):
        now, before = (
            Counter(history[organisation, year, r]["acts"]),
            Counter(history[organisation, year, r - 1]["acts"]),
        )
        steps += [(r, 1)] if +(now - before) else []
        steps += [(r, -1)] if +(before - now) else []
    return steps


class Attacker:
    def __init__(self, history, released: list[tuple[Box, int | None]]):
        self.history = history
        latest = Counter()
        for box, _value in released:
            for o, y, r in box.strata:
                latest[o, y] = max(latest[o, y], r)
        self.points = []  # (organisation, year, step, combination)
        for (o, y), r in sorted(latest.items()):
            for step in slices_of(history, o, y, r):
                self.points += [(o, y, step, c) for c in combos(o)]
        self.index = {p: i for i, p in enumerate(self.points)}
        known = [(self.row(box), value) for box, value in released if value is not None]
        self.matrix = np.array([row for row, _ in known]).reshape(len(known), len(self.points))
        self.values = np.array([value for _, value in known], dtype=float)
        self.latest = latest

    def row(self, box: Box) -> np.ndarray:
        fixed = dict(box.where)
        row = np.zeros(len(self.points))
        for i, (o, y, (r, sign), c) in enumerate(self.points):
            chosen = dict(zip(VARIABLES, c, strict=True))
            if any((o, y, k) in box.strata and r <= k for k in range(r, 10)) and all(
                chosen[v] == x for v, x in fixed.items()
            ):
                row[i] = sign
        return row

    def truth(self) -> np.ndarray:
        x = np.zeros(len(self.points))
        for i, (o, y, (r, sign), c) in enumerate(self.points):
            now = self.history[o, y, r]["acts"].get(c, 0)
            before = self.history[o, y, r - 1]["acts"].get(c, 0) if r else 0
            x[i] = max(now - before, 0) if sign > 0 else max(before - now, 0)
        return x

    def bounds(self, objective: np.ndarray, insider: str | None = None):
        lower = np.zeros(len(self.points))
        upper = np.full(len(self.points), np.inf)
        if insider:
            own = np.array([p[0] == insider for p in self.points])
            lower[own] = upper[own] = self.truth()[own]
        constraints = [LinearConstraint(self.matrix, self.values, self.values)]
        # Nothing removed that was not there.
        for o, y, (r, sign), c in self.points:
            if sign < 0:
                row = np.zeros(len(self.points))
                for s in slices_of(self.history, o, y, r):
                    row[self.index[o, y, s, c]] = s[1]
                constraints.append(LinearConstraint(row, 0, np.inf))
        found = []
        for direction in (1, -1):
            result = milp(
                direction * objective,
                integrality=np.ones(len(self.points)),
                bounds=Bounds(lower, upper),
                constraints=constraints,
            )
            assert result.status in (0, 3, 4), result.message  # 3, 4: unbounded
            found.append(None if result.status else direction * round(result.fun))
        return found[0], found[1]

    def pieces(self, box: Box):
        """Each organisation-year-step count inside ``box``."""
        for o, y, k in sorted(box.strata):
            for step in slices_of(self.history, o, y, k):
                row = np.zeros(len(self.points))
                for c in combos(o):
                    chosen = dict(zip(VARIABLES, c, strict=True))
                    if all(chosen[v] == x for v, x in box.where):
                        row[self.index[o, y, step, c]] = 1
                yield (o, y, step), row


def exposures(history, released: list[Released], insiders=("a", "b")) -> list[str]:
    """What the attacker learns that the rule forbids."""
    attacker = Attacker(history, [(r.box, r.value) for r in released])
    truth = attacker.truth()
    found = []
    for r in released:
        row = attacker.row(r.box)
        value = round(row @ truth)
        if r.value is None and r.reason is not None:
            lower, upper = attacker.bounds(row)
            if r.reason is Reason.PRIMARY and (lower > 0 or (upper is not None and upper < 5)):
                found.append(f"{r.box} in [{lower}, {upper}]")
            if r.reason is Reason.SECONDARY and upper is not None and upper - lower < 5:
                found.append(f"{r.box} in [{lower}, {upper}] ({value})")
        for where, piece in attacker.pieces(r.box):
            value = round(piece @ truth)
            if 0 < value < THRESHOLD:
                for insider in (None, *insiders):
                    if insider == where[0]:
                        continue
                    lower, upper = attacker.bounds(piece, insider)
                    if lower > 0 or (upper is not None and upper < THRESHOLD):
                        found.append(f"{r.box.where} {where} = {value} in [{lower}, {upper}]")
    return found


# --- Releasing -----------------------------------------------------------------------------


def release(
    history, earlier, organisations, years, dims, categories=None, insiders=("a", "b"), **options
):
    """Publish one table for ``organisations`` over ``years`` at their latest revisions."""
    latest = {}
    for o, y, r in history:
        latest[o, y] = max(latest.get((o, y), 0), r)
    strata = [(o, y, latest[o, y]) for o in organisations for y in years]
    if categories is None:
        covered = {COUNTRIES[o] for o in organisations}
        frames = {
            "region": tuple(r for c in sorted(covered) for r in REGIONS[c]),
            "year": tuple(years),
            "country": tuple(sorted(covered)),
        }
        categories = [frames.get(d) or SPACE.frames[d] for d in dims]
    entries = [
        ("t", labels, box)
        for labels, box in table_boxes(SPACE, dims, categories, strata, COUNTRIES)
    ]
    result = protect_release(
        entries,
        spaces=SPACES,
        history=history,
        earlier=earlier,
        threshold=THRESHOLD,
        insiders=insiders,
        **options,
    )
    return [
        Released(box, cell.value, cell.reason, THRESHOLD)
        for (_t, labels, box), cell in (
            (entry, result.cells[entry[0], entry[1]]) for entry in entries
        )
    ]


def history_of(counts: dict) -> dict:
    return {key: {"acts": value} for key, value in counts.items()}


@pytest.fixture
def two_organisations():
    rng = np.random.default_rng(3)
    return history_of(
        {(o, y, 0): random_counts(rng, o, mean=1.5) for o in COUNTRIES for y in ("2023", "2024")}
    )


def test_an_organisation_and_the_coalition_published_together_give_nothing_away(
    two_organisations,
):
    released = []
    for organisations in (["a"], ["b"], ["a", "b"]):
        released += release(two_organisations, released, organisations, ["2024"], ["agency", "sex"])
    assert not exposures(two_organisations, released)


def test_each_one_protected_alone_gives_cells_away(two_organisations):
    # The same three releases, each protected within itself only (as before the ledger): the
    # coalition's numbers less one member's give the other's withheld cells.
    released = []
    for organisations in (["a"], ["b"], ["a", "b"]):
        released += release(
            two_organisations, [], organisations, ["2024"], ["agency", "sex"], insiders=()
        )
    assert exposures(two_organisations, released, insiders=())


def test_overlapping_periods_give_nothing_away(two_organisations):
    released = []
    for years in (["2023", "2024"], ["2024"], ["2023"]):
        released += release(two_organisations, released, ["a"], years, ["region"])
    assert not exposures(two_organisations, released)


def test_a_revision_does_not_give_the_added_case_away(two_organisations):
    history = dict(two_organisations)
    released = release(history, [], ["a"], ["2024"], ["region", "sex"])
    added = Counter(history["a", "2024", 0]["acts"])
    added[("osh", "F", "security")] += 1  # one more case, documented late
    history["a", "2024", 1] = {"acts": dict(added)}
    released += release(history, released, ["a"], ["2024"], ["region", "sex"])
    assert not exposures(history, released)
    # The difference of the two totals is that one case: the second total is withheld.
    totals = [r for r in released if r.box.where == frozenset()]
    assert totals[0].value is not None and totals[1].value is None


def test_a_correction_is_a_removal_and_an_addition_and_gives_neither_away(two_organisations):
    history = dict(two_organisations)
    released = release(history, [], ["a"], ["2024"], ["region"])
    corrected = Counter(history["a", "2024", 0]["acts"])
    moved = next(c for c in corrected if c[0] == "chui")
    corrected[moved] -= 1
    corrected[("osh", *moved[1:])] += 1
    history["a", "2024", 1] = {"acts": dict(+corrected)}
    released += release(history, released, ["a"], ["2024"], ["region"])
    assert not exposures(history, released)


def test_a_member_cannot_subtract_its_own_numbers_from_the_coalitions(two_organisations):
    coalition = ["a", "b"], ["2023", "2024"], ["year", "agency"]
    released = release(two_organisations, [], *coalition)
    assert not exposures(two_organisations, released)
    # Checked against the public only, member a would learn b's small numbers.
    careless = release(two_organisations, [], *coalition, insiders=())
    assert not exposures(two_organisations, careless, insiders=())
    assert exposures(two_organisations, careless, insiders=("a",))


@pytest.mark.parametrize("seed", range(4))
def test_random_sequences_of_releases_give_nothing_away(seed):
    rng = np.random.default_rng(100 + seed)
    years = ["2022", "2023", "2024"]
    history = history_of(
        {(o, y, 0): random_counts(rng, o, mean=0.9) for o in COUNTRIES for y in years}
    )
    released: list[Released] = []
    for _ in range(4):
        if rng.random() < 0.4:  # a late case, or a correction
            o, y = rng.choice(list(COUNTRIES)), rng.choice(years)
            revision = max(r for oo, yy, r in history if (oo, yy) == (o, y))
            counts = Counter(history[o, y, revision]["acts"])
            counts[combos(o)[rng.integers(len(combos(o)))]] += 1
            if rng.random() < 0.3 and counts:
                counts[next(iter(+counts))] -= 1
            history[o, y, revision + 1] = {"acts": dict(+counts)}
        organisations = [["a"], ["b"], ["a", "b"]][rng.integers(3)]
        start = rng.integers(len(years))
        period = years[start : start + 1 + rng.integers(len(years) - start)]
        dims = [["region"], ["sex", "agency"], ["year", "sex"], ["agency"]][rng.integers(4)]
        released += release(history, released, organisations, period, dims)
    assert not exposures(history, released)


def test_numbers_that_do_not_fit_the_stored_counts_are_refused(two_organisations):
    box = Box("acts", frozenset(), frozenset({("a", "2024", 0)}))
    wrong = Released(box, 1000, None, THRESHOLD)
    with pytest.raises(DisclosureCheckFailed, match="do not match"):
        release(two_organisations, [wrong], ["a"], ["2024"], ["sex"])


def test_the_check_refuses_when_it_runs_out_of_time(two_organisations):
    with pytest.raises(DisclosureCheckTimeout):
        release(two_organisations, [], ["a", "b"], ["2023", "2024"], ["region"], seconds=0)


def test_a_category_missing_from_a_later_table_is_still_in_the_model(two_organisations):
    # The first table lists a region the second does not: the model keeps every category.
    released = release(two_organisations, [], ["a"], ["2024"], ["region"])
    released += release(
        two_organisations, released, ["a"], ["2024"], ["region"], categories=[("chui", "osh")]
    )
    assert not exposures(two_organisations, released)


def test_one_release_alone_is_protected_as_before():
    table = Table("sex", ("sex",), (("f", "m"),), {"f": 3, "m": 40})
    [protected] = protect([table])
    assert protected.cells[("f",)].reason is Reason.PRIMARY
