"""The sampler's own binomial (BTRS) and multinomial draws have the right distributions.

Compared with numpy's generators by a chi-square test on 100,000 draws per case: a wrong
constant in the rejection sampler, or a person placed twice, shows as p < 0.0001.
"""

import numpy as np
import pytest
from numba import njit
from scipy import stats

from kuzot.analysis.mse.lcmcr import _binomial, _multinomial

DRAWS = 100_000


@njit
def binomials(rng, n, p, out):
    for i in range(out.shape[0]):
        out[i] = _binomial(rng, n, p)


@njit
def multinomials(rng, n, weights, out):
    for i in range(out.shape[0]):
        _multinomial(rng, n, weights, weights.sum(), out[i])


def chi_square_p(ours: np.ndarray, reference: np.ndarray) -> float:
    low = min(ours.min(), reference.min())
    a, b = (np.bincount(x - low, minlength=max(ours.max(), reference.max()) - low + 1)
            for x in (ours, reference))
    keep = a + b > 20
    statistic = ((a[keep] - b[keep]) ** 2 / (a[keep] + b[keep])).sum()
    return stats.chi2.sf(statistic, keep.sum() - 1)


@pytest.mark.parametrize(
    ("n", "p"),
    [(7, 0.5), (25, 0.4), (50, 0.3), (1_000, 0.01), (1_000, 0.3), (5_000, 0.999), (100_000, 0.2)],
)
def test_binomial_draws_follow_the_binomial_distribution(n, p):
    ours = np.empty(DRAWS, dtype=np.int64)
    binomials(np.random.default_rng(1), n, p, ours)
    reference = np.random.default_rng(2).binomial(n, p, DRAWS)

    assert ours.mean() == pytest.approx(n * p, abs=5 * np.sqrt(n * p * (1 - p) / DRAWS))
    assert chi_square_p(ours, reference) > 1e-4


@pytest.mark.parametrize("n", [3, 7, 8, 40, 2_000])  # one by one, binomials, and both
def test_multinomial_draws_place_everyone_with_the_right_probabilities(n):
    weights = np.array([0.5, 1e-4, 0.2, 2.0, 0.05, 0.3])
    ours = np.zeros((DRAWS, len(weights)), dtype=np.int64)
    multinomials(np.random.default_rng(3), n, weights, ours)
    reference = np.random.default_rng(4).multinomial(n, weights / weights.sum(), DRAWS)

    assert (ours.sum(axis=1) == n).all()
    for k in (0, 3, 5):
        assert chi_square_p(ours[:, k], reference[:, k]) > 1e-4
