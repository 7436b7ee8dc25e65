"""The suppression and rounding rules of kuzot.analysis.disclosure, on tables small enough to
check by hand. The recovery attack on a whole release is in test_disclosure_attack.py."""

import itertools

import numpy as np
import pytest

from kuzot.analysis.disclosure import MARKER, Cell, ProtectedTable, Reason, Table, audit, protect

P, S, G = Reason.PRIMARY, Reason.SECONDARY, Reason.GROUP


def withheld(table):
    return {labels: cell.reason for labels, cell in table.cells.items() if cell.value is None}


def shown(table):
    return {labels: cell.value for labels, cell in table.cells.items() if cell.value is not None}


REGION_SEX = Table(
    "region x sex",
    ("region", "sex"),
    (("Chui", "Osh", "Naryn"), ("f", "m")),
    [[2, 30], [12, 25], [9, 40]],
)


def test_a_small_cell_is_withheld_with_the_cheapest_cells_that_hide_it():
    # Chui/f = 2 is small. Withholding it alone, the row total 32 gives it away, so a cell in
    # the same row, one in the same column and the fourth corner go too. Osh (12, 25) costs
    # less to hide than Naryn (9, 40): 12 + 25 < 9 + 40.
    [table] = protect([REGION_SEX])
    assert withheld(table) == {
        ("Chui", "f"): P,
        ("Chui", "m"): S,
        ("Osh", "f"): S,
        ("Osh", "m"): S,
    }
    assert shown(table) == {
        ("Naryn", "f"): 9,
        ("Naryn", "m"): 40,
        ("Chui", None): 32,
        ("Osh", None): 37,
        ("Naryn", None): 49,
        (None, "f"): 23,
        (None, "m"): 95,
        (None, None): 118,
    }


def test_brute_force_finds_the_small_cell_anywhere_between_0_and_14():
    [table] = protect([REGION_SEX])
    values = shown(table)
    grid = np.arange(0, 38)
    cf, cm, of, om = np.meshgrid(grid, grid, grid, grid, indexing="ij", sparse=True)
    fits = (
        (cf + cm == values[("Chui", None)])
        & (of + om == values[("Osh", None)])
        & (cf + of + values[("Naryn", "f")] == values[(None, "f")])
        & (cm + om + values[("Naryn", "m")] == values[(None, "m")])
    )
    chui_f = np.broadcast_to(cf, fits.shape)[fits]
    assert (chui_f.min(), chui_f.max()) == (0, 14)
    intervals = {i.labels: (i.lower, i.upper) for i in audit([table])}
    assert intervals[("Chui", "f")] == (0, 14)


def test_a_one_way_table_withholds_a_partner_and_keeps_the_total():
    [table] = protect([Table("sex", ("sex",), (("f", "m"),), {"f": 3, "m": 40})])
    assert withheld(table) == {("f",): P, ("m",): S}
    assert shown(table) == {(None,): 43}
    assert [(i.lower, i.upper) for i in audit([table])] == [(0, 43), (0, 43)]


def test_a_table_of_small_cells_is_withheld_whole_except_its_zeros():
    tiny = Table("tiny", ("region", "sex"), (("Chui", "Osh"), ("f", "m")), [[1, 2], [1, 0]])
    [table] = protect([tiny])
    assert shown(table) == {("Osh", "m"): 0}
    assert set(withheld(table).values()) == {P}
    assert all(i.lower == 0 and i.upper is None for i in audit([table]))


def test_zeros_are_published_unless_needed_as_partners():
    # Naryn has no women; the 0 is not sensitive on its own and is published.
    table = Table(
        "z", ("region", "sex"), (("Chui", "Osh", "Naryn"), ("f", "m")), [[2, 30], [12, 25], [0, 40]]
    )
    [protected] = protect([table])
    assert protected.cells[("Naryn", "f")].value == 0
    assert withheld(protected)[("Chui", "f")] is P


def test_zero_is_withheld_when_the_small_cell_has_no_other_partner_in_its_row():
    # Chui: 3 women, 0 men, so Chui's total (3) is withheld too. With the 0 published, Chui's
    # women would be its total, and that is the grand total minus Osh and Naryn: the 0 goes,
    # and with it Osh's row, total included.
    table = Table(
        "z", ("region", "sex"), (("Chui", "Osh", "Naryn"), ("f", "m")), [[3, 0], [12, 25], [9, 40]]
    )
    [protected] = protect([table])
    hidden = withheld(protected)
    assert hidden[("Chui", "f")] is P and hidden[("Chui", None)] is P
    assert hidden[("Chui", "m")] is S and hidden[("Osh", None)] is S
    [chui_f] = [i for i in audit([protected]) if i.labels == ("Chui", "f")]
    assert chui_f.lower == 0 and chui_f.upper >= 5


GROUP = Table(
    "group", ("region", "sex"), (("Chui", "Osh", "Naryn"), ("f", "m")), [[0, 12], [10, 25], [9, 40]]
)


def test_a_whole_group_of_one_sex_is_published_by_default():
    [table] = protect([GROUP])
    assert withheld(table) == {}


def test_a_whole_group_sharing_a_sensitive_attribute_is_withheld():
    # All 12 victims in Chui were men: with "sex" sensitive, that may not be published, and
    # the attacker must not be able to tell that fewer than 5 Chui victims were women.
    [table] = protect([GROUP], sensitive={"sex"})
    assert withheld(table) == {
        ("Chui", "f"): S,
        ("Chui", "m"): G,
        ("Osh", "f"): S,
        ("Osh", "m"): S,
    }
    intervals = {i.labels: (i.lower, i.upper) for i in audit([table])}
    assert intervals[("Chui", "m")] == (2, 12)


def test_a_cell_in_two_tables_is_withheld_in_both():
    # Chui's total of 4 is a cell of both tables.
    by_sex = Table("sex", ("region", "sex"), (("Chui", "Osh"), ("f", "m")), [[1, 3], [20, 30]])
    by_agency = Table(
        "agency", ("region", "agency"), (("Chui", "Osh"), ("police", "gknb")), [[2, 2], [30, 20]]
    )
    protected = protect([by_sex, by_agency])
    hidden = [set(withheld(t)) for t in protected]
    assert ("Chui", None) in hidden[0] and ("Chui", None) in hidden[1]
    assert all(
        protected[0].cells[(region, None)].value == protected[1].cells[(region, None)].value
        for region in ("Chui", "Osh")
    )


def test_no_published_number_is_between_1_and_the_threshold():
    rng = np.random.default_rng(1)
    for threshold in (3, 5, 10):
        counts = rng.integers(0, 3 * threshold, size=(5, 4))
        table = Table("t", ("a", "b"), (tuple("pqrst"), tuple("wxyz")), counts)
        [protected] = protect([table], threshold=threshold)
        assert not [v for v in shown(protected).values() if 0 < v < threshold]


def test_a_large_table_stays_usable():
    rng = np.random.default_rng(7)
    counts = rng.integers(20, 200, size=(12, 8))
    counts[2, 3], counts[7, 0], counts[10, 6] = 1, 4, 2
    regions, acts = tuple(f"region {i}" for i in range(12)), tuple(f"act {j}" for j in range(8))
    [table] = protect([Table("big", ("region", "act"), (regions, acts), counts)])
    reasons = list(withheld(table).values())
    assert reasons.count(P) == 3
    assert reasons.count(S) <= 3 * 3  # at most the three corners of a rectangle per small cell
    assert all(None not in labels for labels in withheld(table))  # every margin is published


def test_protection_is_deterministic():
    assert protect([REGION_SEX])[0].cells == protect([REGION_SEX])[0].cells


def test_rounding_applies_to_published_cells_and_margins_independently():
    [table] = protect([REGION_SEX], rounding_base=5)
    assert shown(table) == {
        ("Naryn", "f"): 10,
        ("Naryn", "m"): 40,
        ("Chui", None): 30,
        ("Osh", None): 35,
        ("Naryn", None): 50,
        (None, "f"): 25,
        (None, "m"): 95,
        (None, None): 120,
    }
    assert set(withheld(table)) == set(withheld(protect([REGION_SEX])[0]))
    for interval in audit([table]):
        assert interval.upper - interval.lower >= 5
        if interval.labels == ("Chui", "f"):
            assert interval.lower == 0


def test_rounding_coarser_than_twice_the_threshold_is_refused():
    with pytest.raises(ValueError, match="rounding_base"):
        protect([REGION_SEX], threshold=5, rounding_base=11)


def test_tables_that_do_not_add_up_are_refused():
    year = Table("2024", ("sex",), (("f", "m"),), [3, 40], scope={"year": "2024"})
    all_years = Table("all", ("sex",), (("f", "m"),), [2, 40])
    with pytest.raises(ValueError, match="one set of cases"):
        protect([year, all_years])


def test_counts_given_as_a_mapping_leave_out_zeros():
    table = Table("t", ("region", "sex"), (("Chui", "Osh"), ("f", "m")), {("Osh", "m"): 7})
    assert table.counts.tolist() == [[0, 0], [0, 7]]


def test_the_grid_shows_the_marker_and_the_footnote_says_why():
    [table] = protect([REGION_SEX], rounding_base=5)
    assert table.grid() == [
        ["region / sex", "f", "m", "Total"],
        ["Chui", MARKER, MARKER, "30"],
        ["Osh", MARKER, MARKER, "35"],
        ["Naryn", "10", "40", "50"],
        ["Total", "25", "95", "120"],
    ]
    assert table.footnote.startswith(f"{MARKER} fewer than 5 cases")
    assert "rounded to the nearest 5" in table.footnote
    [one_way] = protect([Table("sex", ("sex",), (("f", "m"),), [3, 40])])
    assert one_way.grid() == [["sex", "Cases"], ["f", MARKER], ["m", MARKER], ["Total", "43"]]


def test_reasons_are_not_in_what_is_rendered():
    [table] = protect([REGION_SEX])
    text = " ".join(itertools.chain.from_iterable(table.grid())) + table.footnote
    assert not any(reason.value in text for reason in Reason)


def test_audit_reports_a_withheld_cell_that_a_published_zero_gives_away():
    careless = ProtectedTable(
        name="careless",
        dims=("sex",),
        categories=(("f", "m"),),
        scope={},
        cells={("f",): Cell(None, P), ("m",): Cell(None, S), (None,): Cell(0)},
        threshold=5,
        rounding_base=None,
        nested={},
    )
    assert [(i.lower, i.upper, i.recoverable) for i in audit([careless])] == [
        (0, 0, True),
        (0, 0, True),
    ]
