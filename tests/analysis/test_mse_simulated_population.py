"""Sanity: on a simulated population with independent lists, every estimator recovers N."""

import numpy as np
import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.dga import estimate_dga
from kuzot.analysis.mse.loglinear import estimate_closed, estimate_loglinear, fit_loglinear

N = 5000
CAPTURE = [0.15, 0.25, 0.10, 0.20]


@pytest.fixture(scope="module")
def population():
    rng = np.random.default_rng(20260)
    on_list = rng.random((N, len(CAPTURE))) < CAPTURE
    return CaptureHistories.from_memberships(
        ({name for name, hit in zip("ABCD", row, strict=True) if hit} for row in on_list),
        lists="ABCD",
    )


@pytest.mark.parametrize(
    "method",
    [
        lambda h: estimate_loglinear(h),
        lambda h: estimate_loglinear(h, method="main"),
        lambda h: estimate_loglinear(h, interval="profile"),
        lambda h: estimate_closed(h, "Mt"),
        lambda h: fit_loglinear(h, [("A", "B")]),
        lambda h: estimate_dga(h),
    ],
    ids=["stepwise", "main", "stepwise-profile", "Mt", "fixed-A:B", "dga"],
)
def test_independent_lists_recover_population(population, method):
    est = method(population)
    assert population.n_observed < 0.6 * N
    assert est.lower <= N <= est.upper
    assert est.estimate == pytest.approx(N, rel=0.1)


def test_m0_recovers_population_with_equal_capture_probabilities():
    rng = np.random.default_rng(7)
    on_list = rng.random((N, 3)) < 0.2
    h = CaptureHistories.from_memberships(
        ({name for name, hit in zip("ABC", row, strict=True) if hit} for row in on_list),
        lists="ABC",
    )
    est = estimate_closed(h, "M0")
    assert est.lower <= N <= est.upper
