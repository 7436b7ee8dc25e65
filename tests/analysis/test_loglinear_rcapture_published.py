"""Rcapture's published-result regression numbers (stats.md A.2, ``testPapersResults.R``).

Data vectors are in Rcapture's ``histpos.t`` order (111 first, 0...01 last).
"""

from itertools import product

import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.loglinear import estimate_closed, fit_loglinear


def histpos(counts):
    n_lists = {7: 3, 15: 4}[len(counts)]
    patterns = [p for p in product((1, 0), repeat=n_lists) if any(p)]
    return CaptureHistories.from_counts(
        [f"c{j + 1}" for j in range(n_lists)], dict(zip(patterns, counts, strict=True))
    )


DARROCH_R3 = histpos([72, 155, 7, 71, 13, 53, 43])
DIABETES = histpos([58, 157, 18, 104, 46, 650, 12, 709, 14, 20, 7, 74, 8, 182, 10])
CORMACK_3B = histpos([72, 5, 29, 54, 24, 3, 14])


def test_darroch_saturated():
    est = fit_loglinear(DARROCH_R3, [("c1", "c2"), ("c1", "c3"), ("c2", "c3")])
    assert est.estimate == pytest.approx(1239.97, abs=0.01)
    assert est.details["stderr"] == pytest.approx(450.5, abs=0.1)


def test_darroch_two_interactions():
    est = fit_loglinear(DARROCH_R3, [("c1", "c2"), ("c2", "c3")])
    assert est.estimate == pytest.approx(850.14, abs=0.01)
    assert est.details["stderr"] == pytest.approx(186.3, abs=0.1)
    assert est.details["deviance"] == pytest.approx(3.794, abs=0.001)
    assert est.details["df"] == 1


def test_diabetes_bruno_model():
    # ~(c1+c2+c3+c4)^2 - c1:c4
    est = fit_loglinear(DIABETES, [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)])
    assert est.estimate == pytest.approx(2771.19, abs=0.01)
    assert est.details["stderr"] == pytest.approx(145.09, abs=0.01)
    assert est.details["deviance"] == pytest.approx(7.617, abs=0.001)
    assert est.details["df"] == 5
    assert est.lower == pytest.approx(2527.6, abs=0.1)
    assert est.upper == pytest.approx(3104.1, abs=0.1)


def test_diabetes_without_heterogeneity():
    est = fit_loglinear(DIABETES, [(0, 2), (1, 3), (2, 3)])
    assert est.estimate == pytest.approx(2472.25, abs=0.01)
    assert est.details["stderr"] == pytest.approx(53.46, abs=0.01)
    assert est.details["deviance"] == pytest.approx(21.97, abs=0.01)
    assert est.details["df"] == 7
    assert est.lower == pytest.approx(2374.5, abs=0.1)
    assert est.upper == pytest.approx(2584.4, abs=0.1)


def test_cormack_table_3b_mt():
    est = estimate_closed(CORMACK_3B, "Mt")
    assert round(est.estimate) == 209
    assert (round(est.lower), round(est.upper)) == (203, 217)
    assert est.details["deviance"] == pytest.approx(75.1, abs=0.05)
    assert est.details["df"] == 3


def test_cormack_table_3b_two_interactions():
    est = fit_loglinear(CORMACK_3B, [("c1", "c3"), ("c2", "c3")])
    assert round(est.estimate) == 233
    assert round(est.lower) == 204
    assert est.details["df"] == 1
