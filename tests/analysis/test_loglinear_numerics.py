"""The Poisson fit says when it did not converge, recovers from bad steps, refuses designs that
cannot identify their parameters; every path to a fixed model checks that its MLE exists."""

import numpy as np
import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.loglinear import (
    estimate_loglinear,
    fit_loglinear,
    fit_model,
    poisson_irls,
)

ALL_PAIRS = [("A", "B"), ("A", "C"), ("B", "C")]
PATTERNS = {"a": (1, 0, 0), "b": (0, 1, 0), "c": (0, 0, 1), "ab": (1, 1, 0),
            "ac": (1, 0, 1), "bc": (0, 1, 1), "abc": (1, 1, 1)}


def three_lists(**counts):
    return CaptureHistories.from_counts("ABC", {PATTERNS[k]: v for k, v in counts.items()})


def nobody_on_all_three():
    """Every pair overlaps but no one is on all three lists: with all pairs in the model the
    three-way cell's fitted value, and the pair parameters, run off to infinity."""
    return three_lists(a=100, b=80, c=60, ab=20, ac=15, bc=10)


@pytest.mark.parametrize("start", [-10.0, 10.0])
def test_a_fit_from_a_wild_start_reaches_the_same_maximum(start):
    fit = fit_model(three_lists(a=100, b=80, c=60, ab=20, ac=15, bc=10, abc=5), [("A", "B")])

    # from fitted values of e^-40 the first step overshoots to overflow and is halved back;
    # from e^+40 the fit walks down
    wild = poisson_irls(fit.design, fit.y, start=np.full(fit.design.shape[1], start))

    assert wild.converged
    np.testing.assert_allclose(wild.coef, fit.coef, rtol=1e-6)
    assert wild.deviance == pytest.approx(fit.deviance, abs=1e-6)


def test_a_fit_whose_maximum_is_at_infinity_is_refused_not_clipped():
    h = nobody_on_all_three()

    assert not fit_model(h, ALL_PAIRS).converged
    with pytest.raises(ValueError, match="did not converge"):
        fit_loglinear(h, ALL_PAIRS, check=False, interval="wald")


def test_an_ordinary_fit_converges():
    fit = fit_model(nobody_on_all_three(), [("A", "B")])

    assert fit.converged
    assert fit_loglinear(nobody_on_all_three(), [("A", "B")], interval="wald").warnings == ()


def test_a_design_with_dependent_columns_is_refused():
    x = np.column_stack([np.ones(4), [1, 0, 1, 0], [1, 0, 1, 0]])  # a list entered twice

    with pytest.raises(ValueError, match="not identifiable"):
        poisson_irls(x, np.array([5.0, 3, 4, 2]))


def test_a_rank_deficient_model_is_refused_even_without_the_existence_check():
    h = three_lists(a=100, b=80, c=60, ab=20, ac=15, bc=10, abc=5)

    with pytest.raises(ValueError, match="not identifiable"):
        fit_loglinear(h, [("A", "B", "C")], check=False)


def test_the_fixed_model_path_checks_existence_as_fit_loglinear_does():
    h = nobody_on_all_three()

    with pytest.raises(ValueError, match="not finite"):
        estimate_loglinear(h, method="fixed", interactions=ALL_PAIRS)
    with pytest.raises(ValueError, match="not finite"):
        fit_loglinear(h, ALL_PAIRS)
