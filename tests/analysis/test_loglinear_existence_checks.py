"""SparseMSE's existence and identifiability checks, and its handling of non-overlapping lists."""

import numpy as np
import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.loglinear import (
    estimate_loglinear,
    fit_loglinear,
    fit_model,
    mle_check,
    poisson_irls,
    stepwise_interactions,
)

ALL_PAIRS = [("A", "B"), ("A", "C"), ("B", "C")]


def three_lists(**counts):
    patterns = {"a": (1, 0, 0), "b": (0, 1, 0), "c": (0, 0, 1), "ab": (1, 1, 0),
                "ac": (1, 0, 1), "bc": (0, 1, 1), "abc": (1, 1, 1)}
    return CaptureHistories.from_counts("ABC", {patterns[k]: v for k, v in counts.items()})


def test_saturated_model_with_an_empty_cell_has_no_finite_mle():
    h = three_lists(a=100, b=80, c=60, ab=20, ac=15, bc=10)  # nobody on all three lists
    assert mle_check(h) == 0
    assert mle_check(h, ALL_PAIRS) == 1
    with pytest.raises(ValueError, match="not finite"):
        fit_loglinear(h, ALL_PAIRS)


def test_a_three_way_term_on_three_lists_is_not_identifiable():
    h = three_lists(a=100, b=80, c=60, ab=20, ac=15, bc=10, abc=5)
    assert mle_check(h, [("A", "B", "C")]) & 2


def test_non_overlapping_lists_are_fitted_without_their_cells():
    # A and B share nobody: the A:B parameter is minus infinity, its cells leave the fit.
    h = three_lists(a=100, b=80, c=60, ac=15, bc=10)
    fit = fit_model(h, [("A", "B")])
    assert fit.empty_terms == ((0, 1),)
    assert len(fit.y) == 5
    assert fit.design.shape[1] == 4  # intercept and main effects; no A:B column
    # the same as main effects fitted to the five cells without both A and B
    kept = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 1]])
    design = np.column_stack([np.ones(5), kept])
    coef, *_ = poisson_irls(design, np.array([100.0, 80, 60, 15, 10]))
    assert fit.estimate == pytest.approx(h.n_observed + np.exp(coef[0]))
    assert mle_check(h, [("A", "B")]) == 0


def test_stepwise_never_adds_an_interaction_without_finite_mle():
    h = three_lists(a=100, b=80, c=60, ab=40, ac=2, bc=1)
    chosen = stepwise_interactions(h)
    assert mle_check(h, chosen) == 0
    est = estimate_loglinear(h)
    assert est.lower < est.estimate < est.upper


def test_a_list_with_no_record_is_refused():
    h = three_lists(a=10, b=5, ab=3)
    assert mle_check(h) == 1
    with pytest.raises(ValueError, match=r"no record.*'C'"):
        estimate_loglinear(h)


def test_unknown_list_or_method_is_an_error():
    h = three_lists(a=10, b=10, c=10, ab=2, ac=2, bc=2)
    with pytest.raises(ValueError):
        fit_loglinear(h, [("A", "Z")])
    with pytest.raises(ValueError):
        fit_loglinear(h, [("A",)])
    with pytest.raises(ValueError):
        estimate_loglinear(h, method="bic")
