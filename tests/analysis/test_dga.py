"""dga (Madigan-York model averaging over decomposable graphs) against the R package dga 2.0.2.

* Graph lists shipped with dga: 8, 61 and 822 graphs for 3, 4 and 5 lists.
* dga's own test (Madigan & York 3-list example, delta = 1, negative-binomial prior, Nmissing
  1:300): top model probability 0.37, Bayes estimator 731, averaged posterior mode 728.
* Kosovo, Nmissing from 1, stats.md A.3 [my run]: delta = 1/16 (= 2^-J, the default)
  median 12,595 [9,827, 16,544], mean 12,749, top model {EXH,ABA,OSCE},{EXH,OSCE,HRW} 0.986;
  delta = 0.5 median 11,323 [4,500, 14,486], mean 11,031; delta = 1 median 4,617 [4,408, 6,860],
  mean 4,829, saturated model 0.976.
"""

import numpy as np
import pytest
from scipy.special import gammaln

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.datasets import kosovo_aggregate, uk_modern_slavery_2013
from kuzot.analysis.mse.dga import decomposable_graphs, estimate_dga


@pytest.mark.parametrize(("n_lists", "count"), [(3, 8), (4, 61), (5, 822)])
def test_as_many_decomposable_graphs_as_dga_ships(n_lists, count):
    assert len(decomposable_graphs(n_lists)) == count


def test_graphs_on_three_lists():
    graphs = set(decomposable_graphs(3))
    assert (((0,), (1,), (2,)), ()) in graphs  # independence
    assert (((0, 1), (1, 2)), ((1,),)) in graphs  # 1 and 3 independent given 2
    assert (((0, 1, 2),), ()) in graphs  # saturated


def madigan_york():
    # dga's Y <- array(c(0, 60, 49, 4, 247, 112, 142, 12), dim = c(2, 2, 2)): first index fastest
    counts = [0, 60, 49, 4, 247, 112, 142, 12]
    table = {(i & 1, i >> 1 & 1, i >> 2 & 1): c for i, c in enumerate(counts)}
    return CaptureHistories.from_counts(("A", "B", "C"), table)


def negative_binomial_log_prior(total, a=13.14, b=55.17):
    return total * np.log(b) - (total + a) * np.log(1 + b) + gammaln(total + a) - gammaln(
        total + 1
    ) - gammaln(a)


def test_madigan_york_example_as_in_dga_tests():
    est = estimate_dga(
        madigan_york(), delta=1, n_missing=np.arange(1, 301), log_prior=negative_binomial_log_prior
    )
    assert round(est.details["bayes_estimator"]) == 731
    assert est.details["posterior_mode"] == 728
    assert round(est.details["top_models"][0]["probability"], 2) == 0.37


def test_kosovo_with_the_default_delta():
    est = estimate_dga(kosovo_aggregate())
    assert est.details["delta"] == 1 / 16
    assert (est.estimate, est.lower, est.upper) == (12595, 9827, 16544)
    assert est.details["posterior_mean"] == pytest.approx(12749, abs=1)
    top = est.details["top_models"][0]
    assert top["cliques"] == "[EXH,ABA,OSCE] [EXH,OSCE,HRW]"
    assert top["probability"] == pytest.approx(0.986, abs=0.001)


@pytest.mark.parametrize(
    ("delta", "median", "lower", "upper", "mean", "top", "top_probability"),
    [
        (0.5, 11323, 4500, 14486, 11031, "[EXH,ABA,OSCE] [EXH,OSCE,HRW]", 0.889),
        (1.0, 4617, 4408, 6860, 4829, "[EXH,ABA,OSCE,HRW]", 0.976),
    ],
)
def test_kosovo_prior_sensitivity(delta, median, lower, upper, mean, top, top_probability):
    est = estimate_dga(kosovo_aggregate(), delta=delta, n_missing=np.arange(1, 40001))
    assert (est.estimate, est.lower, est.upper) == (median, lower, upper)
    assert est.details["posterior_mean"] == pytest.approx(mean, abs=1)
    assert est.details["top_models"][0]["cliques"] == top
    assert est.details["top_models"][0]["probability"] == pytest.approx(top_probability, abs=0.001)


def test_dga_refuses_more_than_five_lists():
    with pytest.raises(ValueError, match="3 to 5 lists"):
        estimate_dga(uk_modern_slavery_2013())
