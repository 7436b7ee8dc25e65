"""UK modern slavery 2013 (SparseMSE ``UKdat``): stepwise log-linear estimate as SparseMSE gives it.

Reference (SparseMSE 2.0.1, ``estimatepopulation.0(UKdat)`` with its defaults, stats.md B.2):
11,418, 95 % interval 9,977 - 13,146, model PF:NCA, LA:NG, NG:GP, LA:PF, PF:GP, GO:GP, NG:GO;
main effects only: 12,214.
"""

import pytest

from kuzot.analysis.mse.datasets import uk_modern_slavery_2013
from kuzot.analysis.mse.loglinear import estimate_loglinear, stepwise_interactions

SPARSEMSE_MODEL = [
    ("PF", "NCA"), ("LA", "NG"), ("NG", "GP"), ("LA", "PF"),
    ("PF", "GP"), ("GO", "GP"), ("NG", "GO"),
]


def test_the_table_is_sparsemse_ukdat():
    h = uk_modern_slavery_2013()
    assert h.n_observed == 2744
    assert h.list_totals() == {"LA": 94, "NG": 567, "PF": 1102, "GO": 807, "GP": 336, "NCA": 102}


def test_stepwise_estimate_within_5_percent_of_sparsemse_with_its_interval():
    est = estimate_loglinear(uk_modern_slavery_2013())
    assert est.estimate == pytest.approx(11418, rel=0.05)
    # In fact it is SparseMSE's figure to the unit, the selected model's interval included.
    assert est.estimate == pytest.approx(11418, abs=1)
    model = est.details["model_interval"]
    assert model["lower"] == pytest.approx(9977, abs=1)
    assert model["upper"] == pytest.approx(13146, abs=1)
    assert est.level == 0.95
    assert est.n_observed == 2744


def test_the_bootstrap_that_reselects_the_model_gives_a_wider_interval():
    # SparseMSE's estimatepopulation: multinomial resampling, stepwise re-run, BCa. The
    # replicates choose among many models, and their estimates have a long right tail.
    est = estimate_loglinear(uk_modern_slavery_2013())
    boot = est.details["bootstrap"]
    assert boot["method"] == "BCa" and boot["replicates"] == 200 and boot["failed"] == 0
    assert (est.lower, est.upper) == (boot["lower"], boot["upper"])
    assert est.lower < est.details["model_interval"]["lower"]
    assert est.upper > est.details["model_interval"]["upper"]
    assert len(boot["models"]) == 5 and boot["models"][0]["share"] < 0.5  # no model dominates
    assert len(est.draws) == 200


def test_stepwise_selects_sparsemse_model_in_the_same_order():
    h = uk_modern_slavery_2013()
    selected = [tuple(h.lists[i] for i in pair) for pair in stepwise_interactions(h)]
    assert selected == SPARSEMSE_MODEL
    est = estimate_loglinear(h, bootstrap=0)
    assert est.details["model"] == " + ".join(":".join(p) for p in SPARSEMSE_MODEL)


def test_main_effects_model():
    est = estimate_loglinear(uk_modern_slavery_2013(), method="main", bootstrap=0)
    assert est.estimate == pytest.approx(12214, abs=1)


def test_fixed_model_reproduces_the_stepwise_fit():
    h = uk_modern_slavery_2013()
    fixed = estimate_loglinear(h, method="fixed", interactions=SPARSEMSE_MODEL, bootstrap=0)
    assert fixed.estimate == pytest.approx(estimate_loglinear(h, bootstrap=0).estimate)
