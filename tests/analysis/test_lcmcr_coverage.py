"""LCMCR's 95 % intervals cover the true population size in simulated heterogeneous populations.

Each replication draws a population of 2,000 from a latent-class model (two or three classes
with different capture probabilities, lists independent within a class), captured by 4, 5 or 6
lists, and runs a short chain (1,000 burn-in sweeps, 500 draws thinned by 5: enough here, longer
chains give the same intervals). Capture probabilities are moderate: when a large class is
rarely captured the latent classes are weakly identified and LCMCR underestimates (a known
limitation of latent-class MSE, stats.md A.1), which is not what this test is about.
"""

import numpy as np

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.lcmcr import estimate_lcmcr

TRUE_N = 2_000
REPLICATIONS = 100
CHAIN = {"K": 10, "burnin": 1_000, "samples": 500, "thinning": 5}

# (class weights, capture probability of each list in each class)
SCENARIOS = [
    ([0.7, 0.3], [[0.3, 0.35, 0.25, 0.3], [0.7, 0.6, 0.75, 0.65]]),
    (
        [0.5, 0.3, 0.2],
        [[0.25, 0.2, 0.3, 0.25, 0.2], [0.45, 0.5, 0.4, 0.45, 0.5], [0.8, 0.7, 0.75, 0.8, 0.7]],
    ),
    ([0.7, 0.3], [[0.1, 0.2, 0.15, 0.25, 0.1, 0.2], [0.4, 0.6, 0.5, 0.45, 0.55, 0.6]]),
]


def capture(weights, probabilities, rng: np.random.Generator) -> CaptureHistories:
    probabilities = np.asarray(probabilities)
    classes = rng.choice(len(weights), size=TRUE_N, p=weights)
    seen = rng.random((TRUE_N, probabilities.shape[1])) < probabilities[classes]
    seen = seen[seen.any(axis=1)].astype(np.int8)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    names = tuple(f"list{j + 1}" for j in range(probabilities.shape[1]))
    return CaptureHistories(names, patterns, counts)


def test_95_percent_intervals_cover_the_truth_in_at_least_90_of_100_populations():
    covered, widths, medians = 0, [], []
    for replication in range(REPLICATIONS):
        weights, probabilities = SCENARIOS[replication % len(SCENARIOS)]
        h = capture(weights, probabilities, np.random.default_rng(replication))
        estimate = estimate_lcmcr(h, seed=replication, **CHAIN)
        covered += estimate.lower <= TRUE_N <= estimate.upper
        widths.append(estimate.upper - estimate.lower)
        medians.append(estimate.estimate)

    assert covered >= 90
    # informative intervals, centred near the truth: coverage is not bought with width
    assert np.mean(widths) < 0.2 * TRUE_N
    assert abs(np.median(medians) - TRUE_N) < 0.05 * TRUE_N
