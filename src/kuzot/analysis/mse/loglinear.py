"""Log-linear capture-recapture: Poisson GLMs on the 2^J - 1 observable cells.

The expected count of a capture pattern x is modelled as
``log mu(x) = b0 + sum_j b_j x_j + sum_{terms T} b_T prod_{j in T} x_j``; the unobserved
all-zero cell has expectation ``exp(b0)``, so the population estimate is ``n + exp(b0)``.

Two traditions are mirrored:

* SparseMSE (Chan, Silverman & Vincent) ``estimatepopulation.0``: forward stepwise selection of
  two-list interactions by a Poisson p-value (threshold 0.02), skipping any model whose maximum
  likelihood estimate does not exist or is not identifiable (the Fienberg-Rinaldo linear
  programme and a rank check); a pair of lists with no case in common, once in the model, has its
  parameter at minus infinity, which is fitted by dropping the cells that contain both lists.
  Interval: normal on the log of the dark figure, from the GLM's unscaled covariance.
* Rcapture (Baillargeon & Rivest) ``closedpCI.t`` / ``closedp.t``: a given model (M0, Mt or any
  hierarchical set of interactions) with the multinomial profile-likelihood interval (Cormack 1992
  correction) and the standard error ``sqrt(f0 + f0^2 var(b0))``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import NamedTuple

import numpy as np
from scipy import optimize, special, stats

from kuzot.analysis.mse.core import CaptureHistories, Estimate

Term = tuple[int, ...]

STEPWISE_PTHRESH = 0.02


@dataclass(frozen=True)
class LoglinearFit:
    """A fitted Poisson log-linear model (the all-zero cell is not a row of ``design``)."""

    lists: tuple[str, ...]
    terms: tuple[Term, ...]
    empty_terms: tuple[Term, ...]
    patterns: np.ndarray
    design: np.ndarray
    y: np.ndarray
    coef: np.ndarray
    fitted: np.ndarray
    cov: np.ndarray
    deviance: float
    n_observed: int
    converged: bool = True

    @property
    def dark_figure(self) -> float:
        return math.exp(self.coef[0])

    @property
    def estimate(self) -> float:
        return self.n_observed + self.dark_figure

    @property
    def df(self) -> int:
        return self.design.shape[0] - self.design.shape[1]

    @property
    def aic(self) -> float:
        """R's Poisson AIC, plus 2 per empty-overlap parameter as SparseMSE counts them."""
        loglik = stats.poisson.logpmf(self.y, self.fitted).sum()
        return float(-2 * loglik + 2 * (self.design.shape[1] + len(self.empty_terms)))

    @property
    def stderr(self) -> float:
        """Rcapture's standard error of the population size."""
        f0 = self.dark_figure
        return math.sqrt(f0 + f0 * f0 * self.cov[0, 0])

    def model_name(self) -> str:
        """E.g. ``"LA:NG + NG:GP"``; ``"main effects"`` when there is no interaction."""
        if not self.terms:
            return "main effects"
        return " + ".join(":".join(self.lists[i] for i in t) for t in self.terms)


def all_patterns(n_lists: int) -> np.ndarray:
    """Every capture pattern but the all-zero one, as a (2^J - 1, J) 0/1 array."""
    codes = np.arange(1, 2**n_lists)
    return ((codes[:, None] >> np.arange(n_lists)[::-1]) & 1).astype(np.int8)


def full_counts(h: CaptureHistories) -> tuple[np.ndarray, np.ndarray]:
    """All 2^J - 1 observable patterns with their counts, zeros included."""
    patterns = all_patterns(h.n_lists)
    weights = 1 << np.arange(h.n_lists)[::-1]
    y = np.zeros(len(patterns))
    np.add.at(y, h.patterns @ weights - 1, h.counts)
    return patterns, y


def _require_records(h: CaptureHistories) -> None:
    """A list with no record has no finite main effect, so no model would pass :func:`mle_check`."""
    if empty := [name for name, total in h.list_totals().items() if total == 0]:
        raise ValueError(f"lists with no record cannot be modelled, leave them out: {empty}")


def _resolve_terms(h: CaptureHistories, interactions: Iterable[Sequence[str | int]]) -> list[Term]:
    terms = []
    for raw in interactions:
        term = tuple(sorted({h.lists.index(x) if isinstance(x, str) else int(x) for x in raw}))
        if len(term) < 2 or term[-1] >= h.n_lists or term[0] < 0:
            raise ValueError(f"an interaction needs two or more of the lists {h.lists}: {raw!r}")
        if term not in terms:
            terms.append(term)
    return terms


def _expand(terms: Sequence[Term]) -> list[Term]:
    """The hierarchical closure of the terms: every sub-interaction of two or more lists."""
    closure = {sub for t in terms for k in range(2, len(t) + 1) for sub in combinations(t, k)}
    return sorted(closure, key=lambda t: (len(t), t))


def _columns(patterns: np.ndarray, effects: Sequence[Term]) -> np.ndarray:
    """Intercept, one column per list, one per interaction."""
    cols = [np.ones(len(patterns)), *patterns.T.astype(float)]
    cols += [patterns[:, list(t)].prod(axis=1).astype(float) for t in effects]
    return np.column_stack(cols)


def _model_matrix(
    patterns: np.ndarray, y: np.ndarray, terms: Sequence[Term]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Term], list[Term]]:
    """Design and counts with SparseMSE's treatment of interactions among non-overlapping lists.

    Returns ``(design, y, patterns, effects, empty)``: an effect whose lists share no observed
    case is estimated as minus infinity, i.e. its cells are dropped and its column left out.
    """
    effects, empty = [], []
    keep = np.ones(len(patterns), dtype=bool)
    for t in _expand(terms):
        together = patterns[:, list(t)].all(axis=1)
        if y[together].sum() == 0:
            empty.append(t)
            keep &= ~together
        else:
            effects.append(t)
    # An effect nested in an empty one has no cell left to estimate it from.
    effects = [t for t in effects if not any(set(e) <= set(t) for e in empty)]
    patterns = patterns[keep]
    return _columns(patterns, effects), y[keep], patterns, effects, empty


class IrlsFit(NamedTuple):
    """A Poisson GLM fit; ``converged`` is False when the deviance was still moving."""

    coef: np.ndarray
    fitted: np.ndarray
    cov: np.ndarray
    deviance: float
    converged: bool
    iterations: int


IRLS_TOLERANCE = 1e-10
IRLS_MAX_HALVINGS = 60


def poisson_irls(
    x: np.ndarray, y: np.ndarray, start: np.ndarray | None = None, max_iter: int = 100
) -> IrlsFit:
    """Poisson GLM with log link by iteratively reweighted least squares.

    Starts, like R's ``glm``, from ``y + 0.1``. Converged when the deviance changes by less
    than ``IRLS_TOLERANCE`` relative (R: 1e-8) and no coefficient moves by more than 1e-6
    relative. A step that makes the deviance larger or not
    finite is halved, up to ``IRLS_MAX_HALVINGS`` times (``glm2``, Marschner 2011): nothing is
    clipped, so a parameter heading to minus infinity shows as a fit that did not converge.
    A design whose columns are not linearly independent is refused (``ValueError``): its
    coefficients, and the population size, would not be identified.
    """
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        raise ValueError(
            f"the model is not identifiable: its {x.shape[1]} parameters have only {rank} "
            "independent columns in the design"
        )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if start is not None:
            coef = np.asarray(start, dtype=float)
            eta = x @ coef
        else:
            coef = None
            eta = np.log(y + 0.1)
        mu = np.exp(eta)
        deviance = _deviance(y, mu) if coef is not None else math.inf
        converged, iterations = False, 0
        while iterations < max_iter:
            iterations += 1
            z = eta + (y - mu) / mu
            sw = np.sqrt(mu)
            new_coef = np.linalg.lstsq(x * sw[:, None], z * sw, rcond=None)[0]
            new_eta = x @ new_coef
            new_deviance = _deviance(y, np.exp(new_eta))
            halvings = 0
            while coef is not None and not new_deviance <= deviance * (1 + 1e-12) + 1e-12:
                if halvings == IRLS_MAX_HALVINGS:
                    break
                new_coef = (new_coef + coef) / 2
                new_eta = x @ new_coef
                new_deviance = _deviance(y, np.exp(new_eta))
                halvings += 1
            if not math.isfinite(new_deviance):
                break
            change = abs(new_deviance - deviance)
            # a parameter on its way to minus infinity moves by about 1 per step while the
            # deviance has all but stopped: both must have settled
            moved = 1.0 if coef is None else np.max(np.abs(new_coef - coef) / (1 + np.abs(coef)))
            coef, eta, mu, deviance = new_coef, new_eta, np.exp(new_eta), new_deviance
            if change <= IRLS_TOLERANCE * (abs(deviance) + 0.1) and moved < 1e-6:
                converged = True
                break
    if coef is None:
        raise ValueError("the Poisson fit failed at its first step")
    cov = np.linalg.pinv(x.T @ (x * mu[:, None]))  # singular only if not converged
    return IrlsFit(coef, mu, cov, deviance, converged, iterations)


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """Poisson deviance; ``inf`` or ``nan`` when a fitted value overflowed or vanished."""
    pos = y > 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return float(2 * ((y[pos] * np.log(y[pos] / mu[pos])).sum() - (y - mu).sum()))


def mle_check(h: CaptureHistories, interactions: Iterable[Sequence[str | int]] = ()) -> int:
    """SparseMSE's ``checkident`` error code: 0 fine, +1 the MLE is not finite, +2 not identifiable.

    Existence is the Fienberg-Rinaldo test: the sufficient statistics must be reachable by a table
    with every (kept) cell strictly positive; the LP maximises the smallest cell of such a table.
    """
    patterns, y = full_counts(h)
    design, counts, _, _, _ = _model_matrix(patterns, y, _resolve_terms(h, interactions))
    n_cells, n_par = design.shape
    rank_deficient = np.linalg.matrix_rank(design) < n_par
    if (counts > 0).all():  # the observed table itself is strictly positive: the MLE exists
        return 2 * int(rank_deficient)
    # Variables: one per cell, then t. Maximise t with design' x = design' y and x_i >= t >= 0.
    objective = np.zeros(n_cells + 1)
    objective[-1] = -1.0
    a_eq = np.hstack([design.T, np.zeros((n_par, 1))])
    a_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    lp = optimize.linprog(
        objective, A_ub=a_ub, b_ub=np.zeros(n_cells), A_eq=a_eq, b_eq=design.T @ counts,
        bounds=(0, None), method="highs",
    )
    not_finite = not lp.success or -lp.fun <= 1e-9
    return int(not_finite) + 2 * int(rank_deficient)


def fit_model(
    h: CaptureHistories, interactions: Iterable[Sequence[str | int]] = ()
) -> LoglinearFit:
    """Fit main effects plus the given interactions (tuples of list names or indices).

    Higher-order terms bring in their sub-interactions, as an R formula ``c1*c2*c3`` would.
    """
    _require_records(h)
    terms = _resolve_terms(h, interactions)
    patterns, y = full_counts(h)
    design, counts, kept, effects, empty = _model_matrix(patterns, y, terms)
    glm = poisson_irls(design, counts)
    return LoglinearFit(
        lists=h.lists, terms=tuple(terms), empty_terms=tuple(empty), patterns=kept,
        design=design, y=counts, coef=glm.coef, fitted=glm.fitted, cov=glm.cov,
        deviance=glm.deviance, n_observed=h.n_observed, converged=glm.converged,
    )


def stepwise_interactions(h: CaptureHistories, pthresh: float = STEPWISE_PTHRESH) -> list[Term]:
    """SparseMSE's ``stepwisefit``: add two-list interactions one by one from main effects.

    For each pair not yet in the model, the number of cases on both lists is compared with its
    Poisson expectation under the current fit; the pair with the smallest two-sided p-value
    (``min(P[X <= n], P[X >= n])``) is added if that p-value is below ``pthresh`` and the enlarged
    model passes :func:`mle_check`. Ties go to the first pair in (1,2), (1,3), ... order.
    """
    pairs = list(combinations(range(h.n_lists), 2))
    both = [int(h.counts[_on_both(h.patterns, i, j)].sum()) for i, j in pairs]
    chosen: list[Term] = []
    while len(chosen) < len(pairs):
        fit = fit_model(h, chosen)
        open_pairs = [k for k, pair in enumerate(pairs) if pair not in chosen]
        expected = np.array([fit.fitted[_on_both(fit.patterns, *pairs[k])].sum()
                             for k in open_pairs])
        observed = np.array([both[k] for k in open_pairs])
        # two-sided Poisson p-value min(P[X <= n], P[X >= n]), as ufuncs (scipy.stats is slow)
        at_least = np.where(observed > 0, special.pdtrc(np.maximum(observed - 1, 0), expected), 1)
        pvalues = np.minimum(special.pdtr(observed, expected), at_least)
        candidates = [(p, k) for p, k in zip(pvalues, open_pairs, strict=True) if p < pthresh]
        # the smallest p-value whose model passes the check (checked lazily: the LP is costly)
        for _, k in sorted(candidates):
            if mle_check(h, [*chosen, pairs[k]]) == 0:
                chosen.append(pairs[k])
                break
        else:
            break
    return chosen


def _on_both(patterns: np.ndarray, i: int, j: int) -> np.ndarray:
    return (patterns[:, i] & patterns[:, j]).astype(bool)


def _cormack_correction(n0: float, total: float) -> float:
    """Rcapture's term turning the Poisson deviance into the multinomial profile likelihood:
    ``log(n0^n0 N! / (N^N n0!))``, by Stirling's formula when N > 100."""
    if total > 100:
        if n0 in (0, 1):
            return -total + 0.5 * math.log(2 * math.pi * total)
        return n0 - total - 0.5 * math.log(n0 / total)
    n0_log_n0 = n0 * math.log(n0) if n0 > 0 else 0.0
    return n0_log_n0 + math.lgamma(total + 1) - total * math.log(total) - math.lgamma(n0 + 1)


def profile_interval(fit: LoglinearFit, level: float = 0.95) -> tuple[float, float, float]:
    """Rcapture's profile-likelihood interval for N: ``(N at the maximum, lower, upper)``.

    For each candidate N the all-zero cell enters the Poisson fit with count ``N - n`` and the
    deviance is corrected (Cormack 1992) into the multinomial profile log-likelihood. ``upper`` is
    ``inf`` when the likelihood does not drop enough below 1000 times the estimate.
    """
    n = fit.n_observed
    design = np.vstack([fit.design, np.eye(1, fit.design.shape[1])])
    start = fit.coef.copy()

    def loglik(total: float) -> float:
        n0 = total - n
        deviance = poisson_irls(design, np.append(fit.y, n0), start=start).deviance
        return -(deviance - 2 * _cormack_correction(n0, total)) / 2

    best = optimize.minimize_scalar(
        lambda t: -loglik(t), bounds=(n, 3 * fit.estimate), method="bounded",
        options={"xatol": 1e-4},
    )
    n_max, l_max = float(best.x), -float(best.fun)
    cut = l_max - stats.chi2.ppf(level, 1) / 2

    def gap(total: float) -> float:
        return loglik(total) - cut

    lower = optimize.brentq(gap, n, n_max, xtol=1e-4) if gap(n) < 0 else float(n)
    upper, bound = math.inf, 3 * fit.estimate
    while bound <= 1000 * fit.estimate:
        if gap(bound) < 0:
            upper = optimize.brentq(gap, n_max, bound, xtol=1e-4)
            break
        bound *= 4
    return n_max, lower, upper


def wald_interval(fit: LoglinearFit, level: float = 0.95) -> tuple[float, float]:
    """SparseMSE's interval: normal quantiles of the log dark figure, plus the observed cases."""
    sd = math.sqrt(fit.cov[0, 0])
    z = stats.norm.ppf(0.5 + level / 2)
    return (
        fit.n_observed + math.exp(fit.coef[0] - z * sd),
        fit.n_observed + math.exp(fit.coef[0] + z * sd),
    )


def _to_estimate(fit: LoglinearFit, method: str, interval: str, level: float, **extra) -> Estimate:
    if not fit.converged:
        raise ValueError(
            "the Poisson fit did not converge (a parameter is heading to infinity: the maximum "
            "likelihood estimate does not exist for this model)"
        )
    if interval == "wald":
        lower, upper = wald_interval(fit, level)
        extra_interval = {}
    elif interval == "profile":
        n_max, lower, upper = profile_interval(fit, level)
        extra_interval = {"profile_maximum": n_max}
    else:
        raise ValueError(f"interval must be 'wald' or 'profile', not {interval!r}")
    details = {
        "model": fit.model_name(),
        "interactions": [[fit.lists[i] for i in t] for t in fit.terms],
        "empty_overlaps": [":".join(fit.lists[i] for i in t) for t in fit.empty_terms],
        "interval": interval,
        "stderr": fit.stderr,
        "deviance": fit.deviance,
        "df": fit.df,
        "aic": fit.aic,
        **extra_interval,
        **extra,
    }
    return Estimate(
        method=method, estimate=fit.estimate, lower=lower, upper=upper,
        n_observed=fit.n_observed, level=level, details=details,
    )


def _require_mle(h: CaptureHistories, terms: Sequence[Term]) -> None:
    """``ValueError`` unless the model's MLE exists and is identifiable (:func:`mle_check`)."""
    if code := mle_check(h, terms):
        problems = [p for bit, p in ((1, "not finite"), (2, "not identifiable")) if code & bit]
        raise ValueError(f"the maximum likelihood estimate is {' and '.join(problems)}")


def fit_loglinear(
    h: CaptureHistories,
    interactions: Iterable[Sequence[str | int]] = (),
    *,
    interval: str = "profile",
    level: float = 0.95,
    check: bool = True,
) -> Estimate:
    """Estimate N under one given log-linear model (Rcapture ``closedpCI.t(mX=...)`` style).

    ``interactions``: e.g. ``[("EXH", "ABA", "OSCE"), ("EXH", "HRW"), ("OSCE", "HRW")]``.
    With ``check``, a model whose MLE is infinite or not identifiable raises ``ValueError``.
    """
    terms = _resolve_terms(h, interactions)
    if check:
        _require_mle(h, terms)
    return _to_estimate(fit_model(h, terms), "loglinear", interval, level)


BOOTSTRAP_REPLICATES = 200
"""SparseMSE draws 1,000; 200 keep ``kuzot estimate`` on a six-list table to seconds (every
replicate re-runs the stepwise selection and its linear programmes). Raise it for publication."""
BOOTSTRAP_SEED = 1234  # SparseMSE's iseed


def _select(h: CaptureHistories, method: str, terms: list[Term], pthresh: float) -> list[Term]:
    return stepwise_interactions(h, pthresh) if method == "stepwise" else terms


def _resampled(h: CaptureHistories, counts: np.ndarray) -> CaptureHistories:
    seen = counts > 0
    return CaptureHistories(h.lists, h.patterns[seen], counts[seen])


def _bootstrap_estimate(
    h: CaptureHistories, method: str, terms: list[Term], pthresh: float
) -> tuple[float, str]:
    """One replicate: the selection re-run and the chosen model fitted, or NaN if impossible
    (a list left with no record, a model that cannot be fitted)."""
    try:
        chosen = _select(h, method, terms, pthresh)
        fit = fit_model(h, chosen)
    except ValueError:
        return math.nan, ""
    if not fit.converged:
        return math.nan, ""
    return fit.estimate, " + ".join(sorted(fit.model_name().split(" + ")))


def bootstrap_interval(
    h: CaptureHistories,
    estimate: float,
    *,
    method: str = "stepwise",
    interactions: Sequence[Term] = (),
    pthresh: float = STEPWISE_PTHRESH,
    replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> dict:
    """SparseMSE's ``estimatepopulation``: a BCa interval that includes model selection.

    Each replicate draws the observed counts again (multinomial, the same total), re-runs the
    selection (stepwise) and fits the model it picks. The bias correction is the share of
    replicates below ``estimate``; the acceleration comes from the jackknife that removes one
    person of each capture pattern (DiCiccio & Efron 1996). Returns the interval, the
    replicates (``draws``) and how often each model was selected.
    """
    terms = list(interactions)
    rng = np.random.default_rng(seed)
    draws, models = np.empty(replicates), {}
    for b, counts in enumerate(rng.multinomial(h.n_observed, h.counts / h.n_observed, replicates)):
        draws[b], model = _bootstrap_estimate(_resampled(h, counts), method, terms, pthresh)
        if model:
            models[model] = models.get(model, 0) + 1
    failed = int(np.isnan(draws).sum())
    draws = draws[~np.isnan(draws)]
    jack = np.array([
        _bootstrap_estimate(_resampled(h, h.counts - np.eye(len(h.counts), dtype=int)[m]),
                            method, terms, pthresh)[0]
        for m in range(len(h.counts))
    ])
    ok = ~np.isnan(jack)
    weights = h.counts[ok]
    residual = (weights * jack[ok]).sum() / weights.sum() - jack[ok]
    spread = (weights * residual**2).sum()
    acceleration = float((weights * residual**3).sum() / (6 * spread**1.5)) if spread > 0 else 0.0
    tail = (1 - level) / 2
    z0 = stats.norm.ppf(np.clip(np.mean(draws < estimate), 1e-6, 1 - 1e-6))
    za = stats.norm.ppf([tail, 1 - tail]) + z0
    shares = stats.norm.cdf(z0 + za / (1 - acceleration * za))
    lower, upper = np.quantile(draws, shares, method="median_unbiased")  # R's type 8
    # past the first or last replicate the BCa end is that replicate, not a quantile
    share_range = 1 / (len(draws) + 1), len(draws) / (len(draws) + 1)
    beyond = bool(shares.min() < share_range[0] or shares.max() > share_range[1])
    frequent = sorted(models.items(), key=lambda item: -item[1])[:5]
    return {
        "lower": float(lower),
        "upper": float(upper),
        "method": "BCa",
        "replicates": replicates,
        "failed": failed,
        "acceleration": round(acceleration, 5),
        "beyond_replicates": beyond,
        "models": [{"model": name, "share": round(n / replicates, 3)} for name, n in frequent],
        "draws": draws,
    }


def estimate_loglinear(
    h: CaptureHistories,
    *,
    method: str = "stepwise",
    interactions: Iterable[Sequence[str | int]] | None = None,
    pthresh: float = STEPWISE_PTHRESH,
    interval: str = "wald",
    level: float = 0.95,
    bootstrap: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> Estimate:
    """SparseMSE ``estimatepopulation``: ``method`` is ``"stepwise"`` (default), ``"main"``
    (main effects only) or ``"fixed"`` (the given ``interactions``, refused like
    :func:`fit_loglinear` when their MLE does not exist).

    Two intervals. The model's own (``interval="wald"``: SparseMSE's ``estimatepopulation.0``;
    ``"profile"``: Rcapture's profile likelihood) is conditional on the selected model, as if it
    had been chosen before seeing the data; it is kept in ``details["model_interval"]``. With
    ``bootstrap`` replicates (default 200; 0 for none) ``lower`` and ``upper`` are the BCa
    bootstrap interval that re-runs the selection in every replicate, which is wider whenever
    the choice of model is uncertain; ``details["bootstrap"]`` says how it was formed and which
    models the replicates chose. ``draws`` are the bootstrap replicates.
    """
    if method == "stepwise":
        terms = stepwise_interactions(h, pthresh)
        extra = {"selection": f"stepwise, Poisson p-value < {pthresh}"}
    elif method == "main":
        terms, extra = [], {}
    elif method == "fixed":
        if interactions is None:
            raise ValueError("method='fixed' needs interactions")
        terms, extra = _resolve_terms(h, interactions), {}
        _require_mle(h, terms)
    else:
        raise ValueError(f"unknown method {method!r}: use 'stepwise', 'main' or 'fixed'")
    fit = fit_model(h, terms)
    estimate = _to_estimate(fit, f"loglinear-{method}", interval, level, **extra)
    if not bootstrap:
        return estimate
    boot = bootstrap_interval(
        h, fit.estimate, method=method, interactions=terms, pthresh=pthresh,
        replicates=bootstrap, seed=seed, level=level,
    )
    draws = boot.pop("draws")
    warnings = []
    if boot["beyond_replicates"]:
        warnings.append(
            f"an end of the bootstrap interval lies beyond its {len(draws)} replicates (the "
            "bootstrap estimates are skewed): it is the most extreme replicate, not a quantile; "
            "run more --bootstrap replicates"
        )
    if boot["failed"]:
        warnings.append(
            f"{boot['failed']} of {bootstrap} bootstrap replicates could not be estimated (a "
            "list left without records, a fit that did not converge); the interval uses the "
            "others"
        )
    details = {
        **estimate.details,
        "model_interval": {"lower": estimate.lower, "upper": estimate.upper, "kind": interval},
        "bootstrap": boot,
    }
    return replace(
        estimate, lower=boot["lower"], upper=boot["upper"], details=details, draws=draws,
        warnings=tuple(warnings),
    )


def estimate_closed(h: CaptureHistories, model: str = "Mt", *, level: float = 0.95) -> Estimate:
    """Rcapture's classical closed-population models with the profile-likelihood interval.

    ``"Mt"``: one capture probability per list (the main-effects model); ``"M0"``: one capture
    probability for all lists (log mu depends on the number of lists a pattern is on).
    """
    if model == "Mt":
        return _to_estimate(fit_model(h), "loglinear-Mt", "profile", level)
    if model != "M0":
        raise ValueError(f"model must be 'M0' or 'Mt', not {model!r}")
    _require_records(h)
    patterns, y = full_counts(h)
    design = np.column_stack([np.ones(len(y)), patterns.sum(axis=1)])
    glm = poisson_irls(design, y)
    fit = LoglinearFit(
        lists=h.lists, terms=(), empty_terms=(), patterns=patterns, design=design, y=y,
        coef=glm.coef, fitted=glm.fitted, cov=glm.cov, deviance=glm.deviance,
        n_observed=h.n_observed, converged=glm.converged,
    )
    estimate = _to_estimate(fit, "loglinear-M0", "profile", level)
    estimate.details["model"] = "M0"
    return estimate
