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

Unlike the package, several chains run (default four, in parallel threads: the sampler releases
the GIL) from dispersed starts. The package starts at the lists' marginal capture rates with no
one unseen (so does a single chain here); from there a chain climbs to the Kosovo posterior only
after some 15,000 sweeps, and on other tables falls into a temporary mode. Here every chain adds
to that start a hidden class, captured so rarely that the chain starts at ``LEAST_SPREAD`` to
``START_SPREAD`` times the observed count (geometrically spaced over the chains). Each chain runs
500 warm-up sweeps without updating ``alpha``, relabels its classes by decreasing weight, burns
in and draws. A chain can sit in a temporary mode for a hundred thousand sweeps and one chain
alone cannot tell (a six-list table gave a third of the R package's long-run answer at the
default settings). So the chains' draws are compared by the rank-normalised split R-hat and
their effective sample sizes (:mod:`kuzot.analysis.mse.diagnostics`). While R-hat is 1.1 or
more (the chains have not mixed), every chain runs as long again as it has run and keeps only the
new half: burn-in and draws both double, up to a burn-in of ``max_burnin`` (by default 32 times
the burn-in asked for: 320,000 sweeps at the package's settings). If they still disagree the
estimate carries a loud "NOT CONVERGED" warning; if R-hat is above 1.01 or there are fewer than
100 effective draws per chain (Vehtari et al.'s thresholds for a final result), a warning that
the interval is imprecise.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

from kuzot.analysis.mse import diagnostics
from kuzot.analysis.mse.core import CaptureHistories, Estimate

WARMUP = 500
CHAINS = 4
START_SPREAD = 10.0
LEAST_SPREAD = 1.5
MAX_BURNIN_FACTOR = 32
_PROGRESS_STEPS = 100
_ONE_BY_ONE = 8
_TINY = 1e-280  # below this a product of probabilities is recomputed with logarithms


@njit(cache=True, nogil=True)
def _log_gamma_draw(rng, shape: float) -> float:
    """log of a Gamma(shape, 1) draw, accurate for small shapes (Robert & Casella 2002, p. 45)."""
    if shape < 0.5:
        return np.log(1.0 - rng.random()) / shape + np.log(rng.standard_gamma(1.0 + shape))
    return np.log(rng.standard_gamma(shape))


@njit(cache=True, nogil=True)
def _binomial(rng, n: int, p: float) -> int:
    """A Binomial(n, p) draw: inversion when n p < 10, else Hörmann's BTRS.

    BTRS (transformed rejection with squeeze; Hörmann 1993, "The generation of binomial random
    variates", J. Statist. Comput. Simul. 46) needs no set-up table and accepts about 80 % of
    its proposals from two uniforms and a square root; the exact log-probability ratio (four
    log-gammas) is computed only for the others. numpy's BTPE spends more per draw on set-up,
    and here every draw has a new p: the sampler makes a hundred of them per sweep.
    """
    flip = p > 0.5
    if flip:
        p = 1.0 - p
    x = _binomial_low(rng, n, p)
    return n - x if flip else x


@njit(cache=True, nogil=True)
def _binomial_low(rng, n: int, p: float) -> int:
    """:func:`_binomial` for p <= 0.5."""
    q = 1.0 - p
    mean = n * p
    if mean < 10.0:
        qn = math.exp(n * math.log1p(-p))
        bound = min(n, mean + 10.0 * math.sqrt(mean * q + 1.0))
        while True:
            x, px, u = 0, qn, rng.random()
            while u > px:
                x += 1
                if x > bound:
                    break
                u -= px
                px = (n - x + 1) * p * px / (x * q)
            else:
                return x
    spq = math.sqrt(mean * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = mean + 0.5
    alpha = (2.83 + 5.1 / b) * spq
    v_r = 0.92 - 4.2 / b
    m = math.floor((n + 1) * p)
    log_fm = -1.0  # log f(m) + const, computed on first need
    log_odds = 0.0
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        if log_fm == -1.0:
            log_fm = math.lgamma(m + 1.0) + math.lgamma(n - m + 1.0)
            log_odds = math.log(p / q)
        v = math.log(v * alpha / (a / (us * us) + b))
        if v <= log_fm - math.lgamma(k + 1.0) - math.lgamma(n - k + 1.0) + (k - m) * log_odds:
            return k


@njit(cache=True, nogil=True)
def _multinomial(rng, n: int, weights: np.ndarray, total: float, out: np.ndarray) -> None:
    """``out`` ~ Multinomial(n, weights / total), exactly.

    Conditional binomials, as GSL does, while eight people or more are left to place; the last
    few are placed one by one (a uniform each), which is much cheaper than a binomial draw per
    remaining class.
    """
    last = weights.shape[0] - 1
    out[:] = 0
    remaining = n
    k = 0
    while remaining >= _ONE_BY_ONE and k < last:
        p = weights[k] / total
        if p >= 1.0:
            out[k] = remaining
            return
        drawn = _binomial(rng, remaining, p) if p > 0.0 else 0
        out[k] = drawn
        remaining -= drawn
        total -= weights[k]
        k += 1
    if remaining == 0:
        return
    total = 0.0
    for i in range(k, last + 1):
        total += weights[i]
    for _ in range(remaining):
        u = rng.random() * total
        i = k
        while i < last and u >= weights[i]:
            u -= weights[i]
            i += 1
        out[i] += 1


@njit(cache=True, nogil=True)
def _sweeps(
    rng,
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
    ``scalars`` = [alpha, n0]. ``rng`` is the chain's own numpy Generator.
    """
    m_cells, n_lists = patterns.shape
    n_classes = lam.shape[1]
    n_obs = counts.sum()
    weights = np.empty(n_classes)
    unseen = np.empty(n_classes)
    odds = np.empty((n_lists, n_classes))
    class_total = np.empty(n_classes, dtype=np.int64)
    on = np.empty((n_lists, n_classes), dtype=np.int64)
    off = np.empty((n_lists, n_classes), dtype=np.int64)
    for sweep in range(n_sweeps):
        alpha, n0 = scalars[0], int(scalars[1])
        # 1. classes of the observed people, pattern by pattern: the weight of class k is
        # nu_k * prod_j (1 - lam_jk) * prod_{j on the pattern} lam_jk / (1 - lam_jk)
        for k in range(n_classes):
            w = np.exp(log_nu[k])
            for j in range(n_lists):
                w *= 1.0 - lam[j, k]
                odds[j, k] = lam[j, k] / (1.0 - lam[j, k])
            unseen[k] = w
        for m in range(m_cells):
            total = 0.0
            for k in range(n_classes):
                w = unseen[k]
                for j in range(n_lists):
                    if patterns[m, j]:
                        w *= odds[j, k]
                weights[k] = w
                total += w
            if not total > _TINY or not np.isfinite(total):
                top = -np.inf
                for k in range(n_classes):
                    s = log_nu[k]
                    for j in range(n_lists):
                        s += np.log(lam[j, k]) if patterns[m, j] else np.log1p(-lam[j, k])
                    weights[k] = s
                    top = max(top, s)
                total = 0.0
                for k in range(n_classes):
                    weights[k] = np.exp(weights[k] - top)
                    total += weights[k]
            _multinomial(rng, counts[m], weights, total, alloc[m])
        # 2. capture probabilities
        for k in range(n_classes):
            class_total[k] = alloc0[k]
            for j in range(n_lists):
                on[j, k] = 0
                off[j, k] = alloc0[k]
        for m in range(m_cells):
            for k in range(n_classes):
                c = alloc[m, k]
                if c == 0:
                    continue
                class_total[k] += c
                for j in range(n_lists):
                    if patterns[m, j]:
                        on[j, k] += c
                    else:
                        off[j, k] += c
        for j in range(n_lists):
            for k in range(n_classes):
                if class_total[k] == 0:  # an empty class: Beta(1, 1) is the uniform
                    lam[j, k] = rng.random()
                else:
                    lam[j, k] = rng.beta(1.0 + on[j, k], 1.0 + off[j, k])
        # 3. stick-breaking weights: V_k ~ Beta(1 + n_k, alpha + people in later classes)
        later = n0 + n_obs
        log_rest = 0.0
        for k in range(n_classes - 1):
            later -= class_total[k]
            g1 = _log_gamma_draw(rng, 1.0 + class_total[k])
            g2 = _log_gamma_draw(rng, alpha + later)
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
        n0 = rng.negative_binomial(n_obs, 1.0 - p_unseen)
        _multinomial(rng, n0, weights, p_unseen, alloc0)
        scalars[1] = n0
        # 6. concentration
        if update_alpha:
            scalars[0] = rng.gamma(
                a_alpha + n_classes - 1.0, 1.0 / (b_alpha - log_nu[n_classes - 1])
            )
        if thinning and (sweep + 1) % thinning == 0:
            out[out_start + (sweep + 1) // thinning - 1] = n0 + n_obs


def _start_scale(rates: np.ndarray, seen_share: float) -> float:
    """The factor s such that lists capturing with ``s * rates`` see ``seen_share`` of everyone."""
    low, high = 0.0, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        if 1.0 - np.prod(1.0 - mid * rates) < seen_share:
            low = mid
        else:
            high = mid
    return (low + high) / 2


class _Chain:
    """One chain's state; chain 0 starts as the R package does, the others dispersed."""

    def __init__(
        self,
        h: CaptureHistories,
        K: int,
        a_alpha: float,
        b_alpha: float,
        rng: np.random.Generator,
        spread: float,
    ):
        self.rng = rng
        self.patterns = np.ascontiguousarray(h.patterns, dtype=np.int8)
        self.counts = np.ascontiguousarray(h.counts, dtype=np.int64)
        self.a_alpha, self.b_alpha = float(a_alpha), float(b_alpha)
        rates = (h.patterns * h.counts[:, None]).sum(axis=0) / h.n_observed
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
        self.lam = np.repeat(rates[:, None], K, axis=1).astype(np.float64)
        if spread > 1.0:
            # a hidden class that the lists together see only 1/spread of, holding
            # (spread - 1) unseen people per observed person: N starts at spread * n
            hidden = _start_scale(rates, 1.0 / spread) * rates
            self.lam[:, K - 1] = np.clip(hidden * rng.uniform(0.8, 1.25, len(rates)), 1e-6, 0.5)
            nu = np.r_[nu[: K - 1] / spread, 0.0] if K > 1 else np.zeros(1)
            nu[K - 1] += 1.0 - nu.sum()
            self.log_nu = np.log(nu)
            self.alloc0[K - 1] = round(h.n_observed * (spread - 1.0))
            self.scalars[1] = self.alloc0[K - 1]
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
            self.rng,
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


def _check(
    h: CaptureHistories, K: int, burnin: int, samples: int, thinning: int, chains: int
) -> None:
    if h.n_lists < 3:
        raise ValueError("LCMCR needs at least 3 lists (a latent-class model is not identified)")
    empty = [name for name, total in h.list_totals().items() if total == 0]
    if empty:
        raise ValueError(f"lists with no record cannot be used: {', '.join(empty)}")
    if K < 1 or burnin < 0 or samples < 1 or thinning < 1 or chains < 1:
        raise ValueError(
            "need K >= 1, burnin >= 0, samples >= 1, thinning >= 1 and chains >= 1"
        )


class Posterior:
    """Draws of N from several chains, (chains, draws per chain), with their diagnostics."""

    def __init__(self, draws: np.ndarray, burnin: int, burnins_tried: list[int]):
        self.draws = draws
        self.burnin = burnin
        self.burnins_tried = burnins_tried
        self.summary = diagnostics.summary(draws) if draws.shape[1] >= 4 else {}

    @property
    def converged(self) -> bool:
        return bool(self.summary.get("mixed", True))

    def warnings(self) -> list[str]:
        chains = self.draws.shape[0]
        if not self.summary:
            return []
        rhat, bulk, tail = (self.summary[k] for k in ("rhat", "ess_bulk", "ess_tail"))
        if not self.converged:
            medians = ", ".join(f"{m:,.0f}" for m in np.median(self.draws, axis=1))
            who = f"the {chains} chains" if chains > 1 else "the two halves of the chain"
            return [
                f"NOT CONVERGED: {who} disagree (R-hat {rhat:.3f}, must be below "
                f"{diagnostics.RHAT_MIXED}) after a burn-in of {self.burnin:,} sweeps; the "
                f"chains' medians are {medians}. Do not use this estimate: run longer "
                "(--burnin, --max-burnin) and compare with the other methods"
            ]
        if self.summary["rhat_ok"] and self.summary["ess_ok"]:
            return []
        wanted = diagnostics.ESS_PER_CHAIN * chains
        return [
            f"imprecise interval: R-hat {rhat:.3f} and {bulk} / {tail} effective draws "
            f"(bulk / tail) fall short of the R-hat below {diagnostics.RHAT_LIMIT} and "
            f"{wanted} effective draws recommended for a published number; run more --samples"
        ]

    def as_dict(self) -> dict:
        return {
            "chains": int(self.draws.shape[0]),
            "burnin": self.burnin,
            "burnins_tried": self.burnins_tried,
            "converged": self.converged,
            "chain_medians": [float(m) for m in np.median(self.draws, axis=1)],
            **{k: v for k, v in self.summary.items() if k in ("rhat", "ess_bulk", "ess_tail")},
        }


class _Progress:
    """Sweeps done by every chain together, reported from the chains' threads."""

    def __init__(self, report: Callable[[int, int], None] | None):
        self.report, self.done, self.total = report, 0, 0
        self.lock = threading.Lock()

    def plan(self, sweeps: int) -> None:
        with self.lock:
            self.total += sweeps

    def add(self, sweeps: int) -> None:
        with self.lock:
            self.done += sweeps
            if self.report:
                self.report(self.done, self.total)


def sample_posterior(
    h: CaptureHistories,
    *,
    K: int = 10,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 100,
    chains: int = CHAINS,
    max_burnin: int | None = None,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    seed: int = 19481210,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Posterior:
    """At least ``samples`` posterior draws of N, split over ``chains`` chains.

    Each chain burns in ``burnin`` sweeps, then keeps every ``thinning``-th of the next
    ``ceil(samples / chains) * thinning``. While the chains have not mixed (R-hat >= 1.1) and
    the burn-in is below ``max_burnin`` (default ``MAX_BURNIN_FACTOR`` times ``burnin``), every
    chain runs as long again as it has run so far and only these new sweeps are kept: the
    burn-in grows and so does the number of draws, so that R-hat is not left noisy by too few
    of them (Gelman & Rubin's "discard the first half"). Chains run in ``workers`` threads
    (default: one per chain, at most one per CPU). ``progress(done, total)`` gets the sweeps of
    all chains; ``total`` grows when the chains are extended.
    """
    _check(h, K, burnin, samples, thinning, chains)
    per_chain = -(-samples // chains)
    workers = workers or min(chains, os.cpu_count() or 1)
    max_burnin = burnin * MAX_BURNIN_FACTOR if max_burnin is None else max_burnin
    streams = np.random.SeedSequence(seed).spawn(chains)
    spreads = (
        [LEAST_SPREAD * (START_SPREAD / LEAST_SPREAD) ** (c / (chains - 1)) for c in range(chains)]
        if chains > 1
        else [1.0]
    )
    tracker = _Progress(progress)
    tracker.plan(chains * (WARMUP + burnin + per_chain * thinning))

    def start(c: int) -> _Chain:
        chain = _Chain(h, K, a_alpha, b_alpha, np.random.default_rng(streams[c]), spreads[c])
        tracker.add(WARMUP)
        return chain

    def advance(chain: _Chain, sweeps: int, out: np.ndarray | None) -> None:
        """``sweeps`` more sweeps, in about a hundred steps; every ``thinning``-th N to ``out``."""
        per_step = thinning if out is not None else 1
        units = sweeps // per_step
        step = max(1, units // _PROGRESS_STEPS)
        done = 0
        while done < units:
            n = min(step, units - done)
            if out is None:
                chain.run(n)
            else:
                chain.run(n * thinning, thinning=thinning, out=out, out_start=done)
            done += n
            tracker.add(n * per_step)

    with ThreadPoolExecutor(workers) as pool:
        states = list(pool.map(start, range(chains)))
        list(pool.map(advance, states, [burnin] * chains, [None] * chains))
        kept, burnins = per_chain, [burnin]
        while True:
            draws = np.empty((chains, kept), dtype=np.int64)
            list(pool.map(advance, states, [kept * thinning] * chains, list(draws)))
            posterior = Posterior(draws, burnins[-1], burnins)
            ran = burnins[-1] + kept * thinning
            if posterior.converged or ran > max_burnin:
                return posterior
            # run as long again, keep only the new half
            kept, burnins = ran // thinning, [*burnins, ran]
            tracker.plan(chains * kept * thinning)


def estimate_lcmcr(
    h: CaptureHistories,
    *,
    K: int = 10,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 100,
    chains: int = CHAINS,
    max_burnin: int | None = None,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    seed: int = 19481210,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Estimate:
    """Posterior median of N with the 2.5 % and 97.5 % posterior quantiles of all chains.

    Defaults are the LCMCR package example's (K = 10, 10,000 burn-in sweeps, 1,000 draws
    thinned by 100; here split over four chains) and HRDAG's seed. The estimate's
    ``diagnostics`` hold R-hat, the effective sample sizes and the burn-ins tried; its
    ``warnings`` say when the chains did not converge; ``draws`` are all chains' draws.
    """
    posterior = sample_posterior(
        h,
        K=K,
        burnin=burnin,
        samples=samples,
        thinning=thinning,
        chains=chains,
        max_burnin=max_burnin,
        a_alpha=a_alpha,
        b_alpha=b_alpha,
        seed=seed,
        workers=workers,
        progress=progress,
    )
    draws = posterior.draws.ravel()
    median, lower, upper = np.quantile(draws, [0.5, 0.025, 0.975])
    return Estimate(
        method="lcmcr",
        estimate=float(median),
        lower=float(lower),
        upper=float(upper),
        n_observed=h.n_observed,
        details={
            "mean": round(float(draws.mean()), 1),
            "sd": round(float(draws.std(ddof=1)), 1) if draws.size > 1 else 0.0,
            "draws": int(draws.size),
            "K": K,
            "burnin": posterior.burnin,
            "thinning": thinning,
            "a_alpha": a_alpha,
            "b_alpha": b_alpha,
            "seed": seed,
        },
        warnings=tuple(posterior.warnings()),
        diagnostics=posterior.as_dict(),
        draws=draws,
    )
