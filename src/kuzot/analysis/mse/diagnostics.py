"""Convergence diagnostics of several Markov chains: rank-normalised split R-hat and effective
sample sizes, as defined by Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), "Rank-
normalization, folding, and localization: an improved R-hat for assessing convergence of MCMC",
*Bayesian Analysis* 16(2), and computed as ArviZ and Stan compute them.

``draws`` is always a (chains, draws per chain) array. Only numpy is used, so the diagnostics
cost no import time (``statistics.NormalDist`` gives the normal quantiles).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

RHAT_LIMIT = 1.01
"""Vehtari et al. (2021): "only using the sample if R-hat < 1.01" for a final result."""
RHAT_MIXED = 1.1
"""From this the chains have not mixed (Gelman & Rubin's rule of thumb, BDA3). Between the two,
R-hat is within what a few hundred effective draws give by chance: at the R package's settings
on Kosovo four chains of 250 draws thinned by 100 have a bulk ESS of about 50-300, and R-hat
exceeds 1.05 in one run in ten, 1.1 in none of 300 simulated (AR(1) chains of the same ESS); a
chain held in a temporary mode gives 1.5. So the number is usable, its interval imprecise."""
ESS_PER_CHAIN = 100
"""Vehtari et al.: an effective sample size of at least 100 per chain (400 for four)."""

_inverse_normal = np.vectorize(NormalDist().inv_cdf, otypes=[float])


def split_chains(draws: np.ndarray) -> np.ndarray:
    """Each chain cut into its first and second half (the middle draw of an odd chain dropped)."""
    draws = np.asarray(draws, dtype=float)
    half = draws.shape[1] // 2
    return np.vstack([draws[:, :half], draws[:, draws.shape[1] - half :]])


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1 over all values, ties given their average rank."""
    unique, inverse, counts = np.unique(values.ravel(), return_inverse=True, return_counts=True)
    average = np.cumsum(counts) - (counts - 1) / 2
    return average[inverse].reshape(values.shape)


def rank_normalise(draws: np.ndarray) -> np.ndarray:
    """Normal scores of the pooled ranks: ``Phi^-1((r - 3/8) / (S + 1/4))`` (Blom)."""
    return _inverse_normal((_ranks(draws) - 0.375) / (draws.size + 0.25))


def _rhat(draws: np.ndarray) -> float:
    n = draws.shape[1]
    within = draws.var(axis=1, ddof=1).mean()
    between = n * draws.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else math.inf
    return math.sqrt(((n - 1) / n * within + between / n) / within)


def rhat(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) R-hat."""
    split = split_chains(draws)
    folded = np.abs(split - np.median(split))
    return max(_rhat(rank_normalise(split)), _rhat(rank_normalise(folded)))


def _autocovariance(draws: np.ndarray) -> np.ndarray:
    """Biased autocovariance of each chain at every lag, by FFT."""
    n = draws.shape[1]
    size = 1 << (2 * n - 1).bit_length()
    centred = draws - draws.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    return np.fft.irfft(spectrum * np.conjugate(spectrum), n=size, axis=1)[:, :n] / n


def _ess(draws: np.ndarray) -> float:
    """Multi-chain effective sample size with Geyer's initial monotone sequence (Stan, ArviZ)."""
    n_chains, n = draws.shape
    if n < 4:
        return math.nan
    acov = _autocovariance(draws)
    mean_var = acov[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n + (draws.mean(axis=1).var(ddof=1) if n_chains > 1 else 0)
    if var_plus == 0:
        return math.nan
    rho = np.zeros(n)
    rho_even, rho_odd = 1.0, 1.0 - (mean_var - acov[:, 1].mean()) / var_plus
    rho[0], rho[1] = rho_even, rho_odd
    t = 1
    while t < n - 3 and rho_even + rho_odd > 0:
        rho_even = 1.0 - (mean_var - acov[:, t + 1].mean()) / var_plus
        rho_odd = 1.0 - (mean_var - acov[:, t + 2].mean()) / var_plus
        if rho_even + rho_odd >= 0:
            rho[t + 1], rho[t + 2] = rho_even, rho_odd
        t += 2
    max_t = t - 2
    if rho_even > 0:
        rho[max_t + 1] = rho_even
    t = 1
    while t <= max_t - 2:  # make the sequence of pair sums monotone
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = rho[t + 2] = (rho[t - 1] + rho[t]) / 2
        t += 2
    total = n_chains * n
    tau = -1 + 2 * rho[: max_t + 1].sum() + rho[max_t + 1 : max_t + 2].sum()
    return total / max(tau, 1 / math.log10(total))


def ess_bulk(draws: np.ndarray) -> float:
    """Effective sample size of the rank-normalised split chains (for medians and means)."""
    return _ess(rank_normalise(split_chains(draws)))


def ess_tail(draws: np.ndarray) -> float:
    """The smaller effective sample size of the 5 % and 95 % quantiles (for intervals)."""
    draws = np.asarray(draws, dtype=float)
    sizes = [_ess(split_chains(draws <= np.quantile(draws, q))) for q in (0.05, 0.95)]
    return min(sizes)


def summary(draws: np.ndarray) -> dict:
    """R-hat, bulk and tail ESS; whether the chains mixed and meet Vehtari et al.'s thresholds."""
    draws = np.asarray(draws, dtype=float)
    value, bulk, tail = rhat(draws), ess_bulk(draws), ess_tail(draws)
    needed = ESS_PER_CHAIN * draws.shape[0]
    return {
        "rhat": round(value, 4),
        "ess_bulk": round(bulk) if math.isfinite(bulk) else None,
        "ess_tail": round(tail) if math.isfinite(tail) else None,
        "rhat_ok": bool(value < RHAT_LIMIT),
        "mixed": bool(value < RHAT_MIXED),
        "ess_ok": bool(math.isfinite(bulk) and math.isfinite(tail) and min(bulk, tail) >= needed),
    }
