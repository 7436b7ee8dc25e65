"""LCMCR: Bayesian non-parametric latent-class capture-recapture (Manrique-Vallier 2016).

The population is a mixture of latent classes; within a class every list captures a person
independently with its own probability ``lambda[j, k]``. The class weights ``nu`` follow a
stick-breaking (Dirichlet-process) prior truncated at ``K`` classes, with concentration
``alpha ~ Gamma(a_alpha, b_alpha)``; ``lambda[j, k] ~ Beta(1, 1)``; ``p(N) ∝ 1/N``.

The Gibbs sampler is the one of the R package LCMCR (``NPLCM_CR_Basic_Freq.cpp``), working on
pattern counts rather than individuals. One sweep:

1. split the count of every observed pattern among the classes (multinomial);
2. ``lambda`` from its Beta full conditional (observed and imputed unobserved people);
3. the stick-breaking weights ``nu``;
4. ``n0``, the number never captured, from its negative binomial full conditional
   (``n0 ~ NB(n, 1 - P(unseen))``, which is what the prior 1/N gives);
5. split ``n0`` among the classes (multinomial);
6. ``alpha`` from its Gamma full conditional.

As in the package, the chain starts at the lists' marginal capture rates, runs 500 warm-up sweeps
without updating ``alpha`` and then relabels the classes by decreasing weight.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numba import njit

from kuzot.analysis.mse.core import CaptureHistories, Estimate

WARMUP = 500
_PROGRESS_STEPS = 100


@njit(cache=True)
def _seed(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=True)
def _log_gamma_draw(shape: float) -> float:
    """log of a Gamma(shape, 1) draw, accurate for small shapes (Robert & Casella 2002, p. 45)."""
    if shape < 0.5:
        return np.log(1.0 - np.random.random()) / shape + np.log(np.random.gamma(1.0 + shape, 1.0))
    return np.log(np.random.gamma(shape, 1.0))


@njit(cache=True)
def _multinomial(n: int, weights: np.ndarray, out: np.ndarray) -> None:
    """``out`` ~ Multinomial(n, weights / weights.sum()), by conditional binomials as GSL does."""
    remaining_weight = weights.sum()
    remaining = n
    last = weights.shape[0] - 1
    for k in range(last):
        if remaining == 0 or remaining_weight <= 0.0:
            out[k] = 0
            continue
        p = weights[k] / remaining_weight
        out[k] = remaining if p >= 1.0 else np.random.binomial(remaining, p)
        remaining -= out[k]
        remaining_weight -= weights[k]
    out[last] = remaining


@njit(cache=True)
def _sweeps(
    patterns: np.ndarray,
    counts: np.ndarray,
    lam: np.ndarray,
    log_nu: np.ndarray,
    alloc: np.ndarray,
    alloc0: np.ndarray,
    scalars: np.ndarray,
    a_alpha: float,
    b_alpha: float,
    update_alpha: bool,
    n_sweeps: int,
    thinning: int,
    out: np.ndarray,
    out_start: int,
) -> None:
    """Run ``n_sweeps`` Gibbs sweeps in place; every ``thinning``-th N goes to ``out``.

    State: ``lam`` (J, K) capture probabilities, ``log_nu`` (K) log class weights, ``alloc``
    (M, K) observed pattern counts per class, ``alloc0`` (K) unobserved people per class,
    ``scalars`` = [alpha, n0].
    """
    m_cells, n_lists = patterns.shape
    n_classes = lam.shape[1]
    n_obs = counts.sum()
    weights = np.empty(n_classes)
    class_total = np.empty(n_classes, dtype=np.int64)
    on = np.empty((n_lists, n_classes), dtype=np.int64)
    off = np.empty((n_lists, n_classes), dtype=np.int64)
    log_on = np.empty((n_lists, n_classes))
    log_off = np.empty((n_lists, n_classes))
    for sweep in range(n_sweeps):
        alpha, n0 = scalars[0], int(scalars[1])
        # 1. classes of the observed people, pattern by pattern
        for j in range(n_lists):
            for k in range(n_classes):
                log_on[j, k] = np.log(lam[j, k])
                log_off[j, k] = np.log1p(-lam[j, k])
        for m in range(m_cells):
            top = -np.inf
            for k in range(n_classes):
                s = log_nu[k]
                for j in range(n_lists):
                    s += log_on[j, k] if patterns[m, j] else log_off[j, k]
                weights[k] = s
                top = max(top, s)
            for k in range(n_classes):
                weights[k] = np.exp(weights[k] - top)
            _multinomial(counts[m], weights, alloc[m])
        # 2. capture probabilities
        for k in range(n_classes):
            class_total[k] = alloc0[k]
            for j in range(n_lists):
                on[j, k] = 0
                off[j, k] = alloc0[k]
        for m in range(m_cells):
            for k in range(n_classes):
                c = alloc[m, k]
                class_total[k] += c
                for j in range(n_lists):
                    if patterns[m, j]:
                        on[j, k] += c
                    else:
                        off[j, k] += c
        for j in range(n_lists):
            for k in range(n_classes):
                lam[j, k] = np.random.beta(1.0 + on[j, k], 1.0 + off[j, k])
        # 3. stick-breaking weights: V_k ~ Beta(1 + n_k, alpha + people in later classes)
        later = n0 + n_obs
        log_rest = 0.0
        for k in range(n_classes - 1):
            later -= class_total[k]
            g1 = _log_gamma_draw(1.0 + class_total[k])
            g2 = _log_gamma_draw(alpha + later)
            g_sum = max(g1, g2) + np.log1p(np.exp(-abs(g1 - g2)))
            log_nu[k] = g1 - g_sum + log_rest
            log_rest += g2 - g_sum
        log_nu[n_classes - 1] = log_rest
        # 4. the unobserved count and 5. its classes
        p_unseen = 0.0
        for k in range(n_classes):
            w = np.exp(log_nu[k])
            for j in range(n_lists):
                w *= 1.0 - lam[j, k]
            weights[k] = w
            p_unseen += w
        n0 = np.random.negative_binomial(n_obs, 1.0 - p_unseen)
        _multinomial(n0, weights, alloc0)
        scalars[1] = n0
        # 6. concentration
        if update_alpha:
            scalars[0] = np.random.gamma(
                a_alpha + n_classes - 1.0, 1.0 / (b_alpha - log_nu[n_classes - 1])
            )
        if thinning and (sweep + 1) % thinning == 0:
            out[out_start + (sweep + 1) // thinning - 1] = n0 + n_obs


class _Chain:
    """The sampler's state, initialised as the R package does."""

    def __init__(self, h: CaptureHistories, K: int, a_alpha: float, b_alpha: float, seed: int):
        self.patterns = np.ascontiguousarray(h.patterns, dtype=np.int8)
        self.counts = np.ascontiguousarray(h.counts, dtype=np.int64)
        self.a_alpha, self.b_alpha = float(a_alpha), float(b_alpha)
        rates = (h.patterns * h.counts[:, None]).sum(axis=0) / h.n_observed
        self.lam = np.repeat(rates[:, None], K, axis=1).astype(np.float64)
        # the package's starting weights: 90 % spread over four classes, 10 % over the others
        nu = (
            np.full(K, 1.0 / K)
            if K <= 4
            else np.r_[np.full(4, 0.225), np.full(K - 4, 0.1 / (K - 4))]
        )
        self.log_nu = np.log(nu)
        self.alloc = np.zeros((len(self.counts), K), dtype=np.int64)
        self.alloc0 = np.zeros(K, dtype=np.int64)
        self.scalars = np.array([0.3 / K, 0.0])
        _seed(seed)
        self.run(WARMUP, update_alpha=False)
        self._relabel_by_weight()

    def run(
        self,
        n_sweeps: int,
        *,
        update_alpha: bool = True,
        thinning: int = 0,
        out: np.ndarray | None = None,
        out_start: int = 0,
    ) -> None:
        _sweeps(
            self.patterns,
            self.counts,
            self.lam,
            self.log_nu,
            self.alloc,
            self.alloc0,
            self.scalars,
            self.a_alpha,
            self.b_alpha,
            update_alpha,
            n_sweeps,
            thinning,
            np.empty(0, dtype=np.int64) if out is None else out,
            out_start,
        )

    def _relabel_by_weight(self) -> None:
        order = np.argsort(-self.log_nu, kind="stable")
        self.lam = np.ascontiguousarray(self.lam[:, order])
        self.log_nu = np.ascontiguousarray(self.log_nu[order])
        self.alloc = np.ascontiguousarray(self.alloc[:, order])
        self.alloc0 = np.ascontiguousarray(self.alloc0[order])


def _check(h: CaptureHistories, K: int, burnin: int, samples: int, thinning: int) -> None:
    if h.n_lists < 3:
        raise ValueError("LCMCR needs at least 3 lists (a latent-class model is not identified)")
    empty = [name for name, total in h.list_totals().items() if total == 0]
    if empty:
        raise ValueError(f"lists with no record cannot be used: {', '.join(empty)}")
    if K < 1 or burnin < 0 or samples < 1 or thinning < 1:
        raise ValueError("need K >= 1, burnin >= 0, samples >= 1 and thinning >= 1")


def sample_posterior(
    h: CaptureHistories,
    *,
    K: int = 10,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 100,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    seed: int = 19481210,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """``samples`` posterior draws of the population size N (``lcmCR`` + ``lcmCR_PostSampl``).

    ``progress(done, total)`` is called about a hundred times with the sweeps done so far.
    """
    _check(h, K, burnin, samples, thinning)
    chain = _Chain(h, K, a_alpha, b_alpha, seed)
    draws = np.empty(samples, dtype=np.int64)
    total = burnin + samples * thinning
    step = max(1, total // _PROGRESS_STEPS)
    done = 0
    while done < burnin:
        n = min(step, burnin - done)
        chain.run(n)
        done += n
        if progress:
            progress(done, total)
    kept = 0
    block = max(1, step // thinning)
    while kept < samples:
        n = min(block, samples - kept)
        chain.run(n * thinning, thinning=thinning, out=draws, out_start=kept)
        kept += n
        if progress:
            progress(burnin + kept * thinning, total)
    return draws


def estimate_lcmcr(
    h: CaptureHistories,
    *,
    K: int = 10,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 100,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    seed: int = 19481210,
    progress: Callable[[int, int], None] | None = None,
) -> Estimate:
    """Posterior median of N with the 2.5 % and 97.5 % posterior quantiles.

    Defaults are the LCMCR package example's (K = 10, 10,000 burn-in sweeps, 1,000 draws
    thinned by 100) and HRDAG's seed. "The user is responsible to check whether the chain has
    reached the stationary distribution" (LCMCR documentation) holds here too.
    """
    draws = sample_posterior(
        h,
        K=K,
        burnin=burnin,
        samples=samples,
        thinning=thinning,
        a_alpha=a_alpha,
        b_alpha=b_alpha,
        seed=seed,
        progress=progress,
    )
    median, lower, upper = np.quantile(draws, [0.5, 0.025, 0.975])
    return Estimate(
        method="lcmcr",
        estimate=float(median),
        lower=float(lower),
        upper=float(upper),
        n_observed=h.n_observed,
        details={
            "mean": round(float(draws.mean()), 1),
            "sd": round(float(draws.std(ddof=1)), 1) if samples > 1 else 0.0,
            "draws": int(samples),
            "K": K,
            "burnin": burnin,
            "thinning": thinning,
            "a_alpha": a_alpha,
            "b_alpha": b_alpha,
            "seed": seed,
        },
    )
