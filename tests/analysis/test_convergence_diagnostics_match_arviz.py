"""R-hat and effective sample sizes as Vehtari et al. (2021) define them and ArviZ computes them.

The reference values were computed once with arviz-stats 0.8.0 (``array_stats.rhat`` with
method "rank", ``array_stats.ess`` with "bulk" and with "tail", prob (0.05, 0.95)) on the same
arrays; arviz is not a dependency of Kuzot.
"""

import numpy as np
import pytest

from kuzot.analysis.mse import diagnostics


def random_walks():
    """Four chains of 301 integer draws that wander: badly mixed, odd length (split drops one)."""
    rng = np.random.default_rng(2021)
    walks = np.round(np.exp(np.cumsum(rng.normal(size=(4, 301)), axis=1) * 0.02) * 1000)
    shifted = rng.normal(size=(4, 300))
    shifted[2] += 1.0  # one chain elsewhere
    return walks, shifted


def test_rhat_and_ess_are_arviz_s_to_twelve_digits():
    walks, shifted = random_walks()

    assert diagnostics.rhat(walks) == pytest.approx(2.02940469, abs=1e-8)
    assert diagnostics.ess_bulk(walks) == pytest.approx(5.60374839, abs=1e-8)
    assert diagnostics.ess_tail(walks) == pytest.approx(14.10759443, abs=1e-8)
    assert diagnostics.rhat(shifted) == pytest.approx(1.11407438, abs=1e-8)
    assert diagnostics.ess_bulk(shifted) == pytest.approx(25.85366866, abs=1e-8)
    assert diagnostics.ess_tail(shifted) == pytest.approx(78.86129956, abs=1e-8)


def test_independent_chains_pass_and_a_chain_elsewhere_fails():
    rng = np.random.default_rng(7)
    good = diagnostics.summary(rng.normal(size=(4, 1000)))
    _, shifted = random_walks()
    bad = diagnostics.summary(shifted)

    assert good["rhat"] < 1.01 and good["rhat_ok"] and good["mixed"] and good["ess_ok"]
    assert good["ess_bulk"] > 3000
    assert bad["rhat"] > 1.05 and not bad["mixed"] and not bad["ess_ok"]


def test_constant_draws_do_not_crash():
    summary = diagnostics.summary(np.full((4, 100), 7.0))

    assert summary["rhat"] == 1.0
    assert summary["ess_bulk"] is None and not summary["ess_ok"]
