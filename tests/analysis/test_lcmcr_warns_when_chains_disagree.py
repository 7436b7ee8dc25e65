"""LCMCR on a population built to trap a chain: it converges to the truth or says it did not.

135,000 people: 120,000 captured only by lists 1-3 and rarely (3 % each), 15,000 captured by all
six lists often (30-40 %). About 24,000 are observed. A chain started as the R package starts it
(marginal capture rates, nobody unseen) sits near 30,000 for tens of thousands of sweeps, in one
run over 150,000, a temporary mode: the rarely captured people are explained as a moderately
captured class. A
chain started from a large population, with a rarely captured class, finds the truth (about
130,000) at once. Of four such chains, some may fall into the trap on the way: then the burn-in
is extended, and the chains agree on the truth, or the estimate says loudly that they do not.
This is the situation of the six-list table that gave 50,806 [43,688 - 62,583] at the default
settings where the R package's long run gives 142,450 [104,520 - 170,601], with nothing to warn.
"""

import numpy as np
import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.lcmcr import estimate_lcmcr, sample_posterior

TRUE_N = 135_000
CLASSES = (
    (120_000, [0.03, 0.03, 0.03, 0.0, 0.0, 0.0]),
    (15_000, [0.3, 0.3, 0.3, 0.4, 0.4, 0.4]),
)


def trap() -> CaptureHistories:
    rng = np.random.default_rng(1)
    seen = np.vstack([rng.random((size, len(p))) < p for size, p in CLASSES])
    seen = seen[seen.any(axis=1)].astype(np.int8)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return CaptureHistories(tuple(f"L{j + 1}" for j in range(6)), patterns, counts)


def test_one_chain_started_as_the_r_package_starts_it_sits_in_the_trap():
    h = trap()

    # burn-in and 25,000 sweeps more, never extended: every draw far below the truth
    single = sample_posterior(h, chains=1, max_burnin=10_000, samples=250, thinning=100)

    assert 20_000 < h.n_observed < 30_000
    assert single.draws.max() < TRUE_N / 2  # confidently wrong: the trap is real


@pytest.mark.slow
def test_several_chains_converge_to_the_truth_or_warn_that_they_did_not():
    h = trap()

    estimate = estimate_lcmcr(h, max_burnin=160_000)

    diagnostics = estimate.diagnostics
    assert diagnostics["chains"] == 4
    assert diagnostics["burnins_tried"][0] == 10_000
    if diagnostics["converged"]:
        assert estimate.lower < TRUE_N < estimate.upper
        assert estimate.estimate == pytest.approx(TRUE_N, rel=0.2)
        assert not any("NOT CONVERGED" in w for w in estimate.warnings)
    else:
        [warning] = [w for w in estimate.warnings if w.startswith("NOT CONVERGED")]
        assert f"R-hat {diagnostics['rhat']:.3f}" in warning
        assert diagnostics["rhat"] >= 1.1
        assert diagnostics["burnins_tried"][-1] >= 100_000  # it tried, for a long time
