"""LCMCR on the Kosovo 1999 killings (4 lists, 4,400 documented) against the published estimate.

Ball et al. (2002), report to the ICTY: 10,356 killings, 95 % interval 9,002 - 12,122. The R
package LCMCR 0.4.14 with the same settings (K = 10, a = b = 0.25, 10,000 burn-in sweeps, 1,000
draws thinned by 100) gives a posterior median of 10,487 [9,146, 13,281] (seed 12345) and 10,422
[9,108, 13,620] (seed 2) (shared research notes, stats.md A.1).
"""

import numpy as np

from kuzot.analysis.mse.datasets import kosovo_aggregate
from kuzot.analysis.mse.lcmcr import estimate_lcmcr, sample_posterior

PUBLISHED = 10_356
PUBLISHED_INTERVAL = (9_002, 12_122)


def test_kosovo_estimate_is_within_5_percent_of_the_published_10356():
    estimate = estimate_lcmcr(kosovo_aggregate())

    assert abs(estimate.estimate - PUBLISHED) / PUBLISHED < 0.05
    assert estimate.lower < PUBLISHED < estimate.upper
    assert estimate.n_observed == 4_400
    assert estimate.details["draws"] == 1_000


def test_kosovo_interval_is_close_to_the_r_package_runs():
    estimate = estimate_lcmcr(kosovo_aggregate(), seed=12345)

    assert 9_000 < estimate.lower < 9_400
    assert 12_800 < estimate.upper < 14_800
    assert estimate.lower > PUBLISHED_INTERVAL[0] - 200
    assert 10_300 < estimate.details["mean"] < 11_200


def test_same_seed_same_draws_other_seed_other_draws():
    kosovo = kosovo_aggregate()
    short = {"burnin": 500, "samples": 50, "thinning": 5}

    first = sample_posterior(kosovo, seed=7, **short)
    again = sample_posterior(kosovo, seed=7, **short)
    other = sample_posterior(kosovo, seed=8, **short)

    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first.shape == (50,)
    assert (first >= 4_400).all()


def test_progress_reports_the_sweeps_done_up_to_the_end():
    calls = []

    sample_posterior(
        kosovo_aggregate(),
        burnin=1_000,
        samples=100,
        thinning=10,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[-1] == (2_000, 2_000)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
