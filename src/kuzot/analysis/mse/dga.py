"""Bayesian model averaging over decomposable graphical models, as the R package dga does.

Madigan & York (1997), implemented by Johndrow, Lum & Ball (HRDAG) in ``dga::bma.cr``: every
decomposable graph on the J lists is a model of the 2^J table; with a hyper-Dirichlet prior
(``delta`` per cell of the full table, so ``delta * 2^(J - |C|)`` per cell of a marginal on C)
the marginal likelihood of the table, completed by a candidate number ``N0`` of unobserved
people, factorises over the cliques and separators of the graph. The posterior over
(graph, N0) is computed exactly on a grid of ``N0``; summing over graphs gives the averaged
posterior of N. The default prior on N is dga's ``p(N) ~ 1/N``.

dga ships its graph lists for 3, 4 and 5 lists; here they are enumerated (8, 61 and 822 graphs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import combinations

import numpy as np
from scipy.special import gammaln, logsumexp

from kuzot.analysis.mse.core import CaptureHistories, Estimate

Graph = tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]
"""(cliques, non-empty separators), each a tuple of sorted list indices."""

_BLOCK = 4096
DRAWS = 4_000
DRAWS_SEED = 19481210


def _is_clique(nodes: tuple[int, ...], edges: frozenset[tuple[int, int]]) -> bool:
    return all(pair in edges for pair in combinations(nodes, 2))


def _is_chordal(n: int, edges: frozenset[tuple[int, int]]) -> bool:
    """Remove simplicial vertices (neighbours form a clique) until none is left."""
    left = set(range(n))
    while left:
        for v in sorted(left):
            nbrs = tuple(u for u in sorted(left) if tuple(sorted((u, v))) in edges)
            if _is_clique(nbrs, edges):
                left.remove(v)
                break
        else:
            return False
    return True


def _cliques_and_separators(n: int, edges: frozenset[tuple[int, int]]) -> Graph:
    cliques = [
        c for k in range(n, 0, -1) for c in combinations(range(n), k) if _is_clique(c, edges)
    ]
    maximal = [c for c in cliques if not any(set(c) < set(d) for d in cliques)]
    # A junction tree is a maximum-weight spanning tree of the clique graph (Kruskal).
    joins = sorted(
        ((len(set(a) & set(b)), i, j) for (i, a), (j, b) in combinations(enumerate(maximal), 2)),
        key=lambda e: -e[0],
    )
    component = list(range(len(maximal)))

    def root(i: int) -> int:
        while component[i] != i:
            i = component[i]
        return i

    separators = []
    for weight, i, j in joins:
        if root(i) != root(j):
            component[root(i)] = root(j)
            if weight:
                separators.append(tuple(sorted(set(maximal[i]) & set(maximal[j]))))
    return tuple(maximal), tuple(sorted(separators))


@cache
def decomposable_graphs(n_lists: int) -> tuple[Graph, ...]:
    """All decomposable (chordal) graphs on ``n_lists`` vertices, fewest edges first."""
    pairs = list(combinations(range(n_lists), 2))
    graphs = []
    for mask in sorted(range(2 ** len(pairs)), key=lambda m: (m.bit_count(), m)):
        edges = frozenset(p for k, p in enumerate(pairs) if mask >> k & 1)
        if _is_chordal(n_lists, edges):
            graphs.append(_cliques_and_separators(n_lists, edges))
    return tuple(graphs)


def _component_log_ml(
    h: CaptureHistories, subset: tuple[int, ...], delta: float, n_missing: np.ndarray
) -> np.ndarray:
    """dga's ``CompLogML`` of the marginal table on ``subset``, one value per grid point."""
    weights = 1 << np.arange(len(subset))[::-1]
    marginal = np.zeros(2 ** len(subset))
    np.add.at(marginal, h.patterns[:, list(subset)] @ weights, h.counts)
    alpha = delta * 2.0 ** (h.n_lists - len(subset))
    fixed = gammaln(marginal[1:] + alpha).sum() - len(marginal) * gammaln(alpha)
    return fixed + gammaln(marginal[0] + n_missing + alpha)


def bma_log_weights(
    h: CaptureHistories,
    n_missing: np.ndarray,
    delta: float,
    log_prior: np.ndarray,
    graphs: tuple[Graph, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Log posterior of each graph and of each grid value of N0 (both normalised).

    The (graphs x grid) matrix of ``bma.cr`` is built block by block, never whole.
    """
    n = h.n_observed
    subsets = sorted({s for cliques, seps in graphs for s in (*cliques, *seps)})
    index = {s: k for k, s in enumerate(subsets)}
    incidence = np.zeros((len(graphs), len(subsets)))
    for g, (cliques, seps) in enumerate(graphs):
        for c in cliques:
            incidence[g, index[c]] += 1
        for s in seps:
            incidence[g, index[s]] -= 1
    n_components = incidence.sum(axis=1, keepdims=True)
    total_alpha = delta * 2.0**h.n_lists
    model_blocks, n_log = [], []
    for start in range(0, len(n_missing), _BLOCK):
        grid = n_missing[start : start + _BLOCK]
        comp = np.vstack([_component_log_ml(h, s, delta, grid) for s in subsets])
        normaliser = gammaln(total_alpha) - gammaln(grid + n + total_alpha)
        multinomial = gammaln(grid + n + 1) - gammaln(h.counts + 1).sum() - gammaln(grid + 1)
        block = (
            incidence @ comp
            + n_components * normaliser
            + multinomial
            + log_prior[start : start + _BLOCK]
        )
        peak = block.max()
        scaled = np.exp(block - peak)  # what underflows is below 1e-300 of the peak: nil
        with np.errstate(divide="ignore"):
            model_blocks.append(peak + np.log(scaled.sum(axis=1)))
            n_log.append(peak + np.log(scaled.sum(axis=0)))
    n_log_all = np.concatenate(n_log)
    total = logsumexp(n_log_all)
    return logsumexp(np.column_stack(model_blocks), axis=1) - total, n_log_all - total


def posterior_quantile(weights: np.ndarray, values: np.ndarray, level: float) -> float:
    """dga's ``posteriorQuantiles``: the first value whose cumulative weight exceeds ``level``."""
    cumulative = np.cumsum(weights) / weights.sum()
    return float(values[np.argmax(cumulative > level)])


def _posterior_on_grid(
    h: CaptureHistories,
    delta: float,
    n_missing: np.ndarray | None,
    log_prior: Callable[[np.ndarray], np.ndarray],
    graphs: tuple[Graph, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(grid of N0, log model posterior, log posterior of N0)``.

    The default grid is 1, 2, ..., upper like dga's examples (``Nmissing = 1:...``), ``upper``
    widened until the top tenth of the grid holds less than 1e-6 of the posterior.
    """
    if n_missing is not None:
        grid = np.asarray(n_missing, dtype=float)
        return grid, *bma_log_weights(h, grid, delta, log_prior(grid + h.n_observed), graphs)
    upper = 10 * max(h.n_observed, 10)
    while True:
        grid = np.arange(1, upper + 1, dtype=float)
        model_log, n_log = bma_log_weights(h, grid, delta, log_prior(grid + h.n_observed), graphs)
        if np.exp(n_log[int(0.9 * upper) :]).sum() < 1e-6 or upper >= 1000 * h.n_observed:
            return grid, model_log, n_log
        upper *= 4


def _graph_name(lists: tuple[str, ...], graph: Graph) -> str:
    return " ".join("[" + ",".join(lists[i] for i in c) + "]" for c in graph[0])


def estimate_dga(
    h: CaptureHistories,
    *,
    delta: float | None = None,
    n_missing: np.ndarray | None = None,
    log_prior: Callable[[np.ndarray], np.ndarray] | None = None,
    level: float = 0.95,
) -> Estimate:
    """Model-averaged posterior of N over all decomposable graphs (``dga::bma.cr``).

    ``delta``: hyper-Dirichlet parameter per cell, default ``2^-J`` ("a suggested default" in dga);
    ``n_missing``: grid of unobserved counts (default 1, 2, ... far enough for the tail);
    ``log_prior``: log prior of N on an array of N values, default ``-log(N)``.
    The estimate is the posterior median, the interval the equal-tailed credible interval.
    """
    if not 3 <= h.n_lists <= 5:
        raise ValueError("dga averages over graphs on 3 to 5 lists, as the R package does")
    delta = 2.0**-h.n_lists if delta is None else float(delta)
    log_prior = log_prior or (lambda total: -np.log(total))
    graphs = decomposable_graphs(h.n_lists)
    grid, model_log, n_log = _posterior_on_grid(h, delta, n_missing, log_prior, graphs)
    totals = grid + h.n_observed
    posterior = np.exp(n_log)
    model_prob = np.exp(model_log)
    top = np.argsort(-model_prob)[:5]
    tail = (1 - level) / 2
    # draws of N for totals over strata (a fixed seed: the posterior itself is exact)
    rng = np.random.default_rng(DRAWS_SEED)
    draws = rng.choice(totals, size=DRAWS, p=posterior / posterior.sum())
    return Estimate(
        method="dga",
        estimate=posterior_quantile(posterior, totals, 0.5),
        lower=posterior_quantile(posterior, totals, tail),
        upper=posterior_quantile(posterior, totals, 1 - tail),
        n_observed=h.n_observed,
        level=level,
        details={
            "delta": delta,
            "posterior_mean": float(posterior @ totals),
            "posterior_mode": float(totals[np.argmax(posterior)]),
            "bayes_estimator": float((posterior / totals).sum() / (posterior / totals**2).sum()),
            "n_graphs": len(graphs),
            "grid": [float(totals[0]), float(totals[-1])],
            "top_models": [
                {"cliques": _graph_name(h.lists, graphs[g]), "probability": float(model_prob[g])}
                for g in top
            ],
        },
        draws=draws,
    )

