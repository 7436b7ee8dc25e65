"""Estimates per stratum, where the methods disagree, and the total over strata.

One pipeline for ``kuzot estimate`` and the hidden-figure page, so both say the same. A report is
plain JSON: ``strata`` (per stratum: ``stratum``, ``observed``, ``lists`` with their sizes,
``estimable``, ``warnings`` and per method under ``estimates`` the estimate's dict or an
``error``) and, when there are several strata, ``total``.

The total of a method is formed from draws of each stratum's population size, which are
independent across strata, so shuffled draws added up are draws of the total: LCMCR's and dga's
posterior draws (the total's estimate is the median of the summed draws, its interval their 2.5 %
and 97.5 % quantiles), the log-linear bootstrap replicates (the total's estimate is the sum of
the strata's estimates, its interval the percentile interval of the summed replicates). A stratum
that cannot be estimated adds its observed count, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kuzot.analysis.mse.core import CaptureHistories, Estimate
from kuzot.analysis.mse.histories import Stratum, clusters_strata

if TYPE_CHECKING:
    import pandas as pd

METHODS = ("lcmcr", "loglinear", "dga")
TOTAL_SEED = 19481210
# Each method's settings unless told otherwise: LCMCR's are the LCMCR package example's
# (K = 10, 10,000 burn-in sweeps, 1,000 draws thinned by 100, here over four chains) and
# HRDAG's seed; the log-linear bootstrap's 200 replicates. ``kuzot estimate``'s options
# default to them and the hidden-figure page uses them as they are.
DEFAULTS: dict[str, dict] = {
    "lcmcr": {
        "K": 10,
        "burnin": 10_000,
        "samples": 1_000,
        "thinning": 100,
        "chains": 4,
        "max_burnin": None,
        "seed": 19481210,
    },
    "loglinear": {"bootstrap": 200},
}


def estimator(method: str) -> Callable[..., Estimate]:
    """The method's estimating function, imported only when used (each costs import time)."""
    if method == "lcmcr":
        from kuzot.analysis.mse.lcmcr import estimate_lcmcr

        return estimate_lcmcr
    if method == "loglinear":
        from kuzot.analysis.mse.loglinear import estimate_loglinear

        return estimate_loglinear
    if method == "dga":
        from kuzot.analysis.mse.dga import estimate_dga

        return estimate_dga
    raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")


def _interval(name: str, result: Mapping) -> str:
    return f"{name} {result['estimate']:,.0f} [{result['lower']:,.0f}–{result['upper']:,.0f}]"


def disagreements(estimates: Mapping[str, Mapping]) -> list[str]:
    """A warning for every two methods whose intervals do not overlap."""
    found = []
    usable = {m: r for m, r in estimates.items() if "estimate" in r}
    for (a, ra), (b, rb) in combinations(usable.items(), 2):
        if ra["upper"] < rb["lower"] or rb["upper"] < ra["lower"]:
            low, high = sorted((ra["estimate"], rb["estimate"]))
            ratio = high / max(low, 1)
            found.append(
                f"the methods disagree beyond their intervals: {_interval(a, ra)} against "
                f"{_interval(b, rb)} ({ratio:.1f} times): the answer depends on the model's "
                "assumptions more than on chance; do not publish either alone"
            )
    return found


def _degenerate(error: Exception) -> str:
    """A plain reason for Python's bare numeric errors ("math domain error", "division by
    zero"), which say nothing to whoever reads the report."""
    return (
        "cannot be computed on these lists: too few people, or everyone on the same lists "
        f"(no one seen by only some of them) ({type(error).__name__}: {error})"
    )


def _run(method: str, h: CaptureHistories, options: Mapping) -> tuple[dict, np.ndarray | None]:
    try:
        estimate = estimator(method)(h, **options)
    except ImportError as error:
        return {"error": f"method not available: {error}"}, None
    except ArithmeticError as error:  # the sampler's numerics on degenerate lists
        return {"error": _degenerate(error)}, None
    except ValueError as error:
        if str(error) == "math domain error":
            return {"error": _degenerate(error)}, None
        return {"error": str(error)}, None
    return estimate.as_dict(), estimate.draws


def _total(
    strata: list[Stratum], entries: list[dict], draws: list[dict], method: str
) -> dict:
    observed_only = [s.label for s in strata if not s.estimable]
    missing = [s.label for s, d in zip(strata, draws, strict=True)
               if s.estimable and d.get(method) is None]
    if missing:
        return {"error": f"no {method} estimate in: {'; '.join(missing)}"}
    parts = [d[method] for d in draws if d.get(method) is not None]
    if not parts:
        return {"error": "no stratum could be estimated"}
    rng = np.random.default_rng(TOTAL_SEED)
    size = max(len(p) for p in parts)
    summed = sum(rng.choice(p, size=size, replace=len(p) < size) for p in parts)
    summed = summed + sum(e["observed"] for s, e in zip(strata, entries, strict=True)
                          if not s.estimable)
    lower, median, upper = np.quantile(summed, [0.025, 0.5, 0.975])
    if method == "loglinear":
        point = sum(e["estimates"][method]["estimate"] for e in entries if e["estimable"])
        point += sum(e["observed"] for e in entries if not e["estimable"])
        how = (
            "sum of the strata's estimates; percentile interval of the summed bootstrap "
            "replicates"
        )
    else:
        point = median
        how = "median and 2.5 % / 97.5 % quantiles of the summed posterior draws"
    result = {
        "estimate": round(float(point), 1),
        "lower": round(float(lower), 1),
        "upper": round(float(upper), 1),
        "level": 0.95,
        "interval": how,
    }
    if observed_only:
        result["warnings"] = [
            f"counted as observed only (not estimable): {'; '.join(observed_only)}"
        ]
    return result


def estimate_strata(
    strata: Iterable[Stratum],
    methods: Iterable[str] = METHODS,
    options: Mapping[str, Mapping] | None = None,
    on_done: Callable[[Stratum, str, float], None] | None = None,
) -> dict:
    """Every method on every estimable stratum; the disagreements; the total over strata.

    ``options`` gives each method's keyword arguments (e.g. ``{"lcmcr": {"K": 10}}``);
    ``on_done(stratum, method, seconds)`` is called after each estimate.
    """
    import time

    strata, methods, options = list(strata), list(methods), options or {}
    entries, draws = [], []
    for stratum in strata:
        h = stratum.histories
        entry = {
            "stratum": dict(stratum.key),
            "observed": h.n_observed,
            "lists": h.list_totals(),
            "estimable": stratum.estimable,
            "warnings": list(stratum.warnings),
            "estimates": {},
        }
        kept = {}
        if stratum.estimable:
            for method in methods:
                started = time.perf_counter()
                entry["estimates"][method], kept[method] = _run(
                    method, h, options.get(method, {})
                )
                if on_done:
                    on_done(stratum, method, time.perf_counter() - started)
            entry["warnings"] += disagreements(entry["estimates"])
        entries.append(entry)
        draws.append(kept)
    report = {"strata": entries}
    if len(strata) > 1:
        totals = {m: _total(strata, entries, draws, m) for m in methods}
        report["total"] = {
            "observed": sum(e["observed"] for e in entries),
            "estimates": totals,
            "warnings": disagreements(totals),
        }
    return report


def estimate_clusters(
    records: pd.DataFrame,
    by: Sequence[str],
    methods: Iterable[str] = METHODS,
    options: Mapping[str, Mapping] | None = None,
    on_done: Callable[[Stratum, str, float], None] | None = None,
    path: Path = Path("clusters"),
) -> dict:
    """The report on linked records (text columns, as ``kuzot link`` writes them): the warnings
    about the records, then :func:`estimate_strata` per value of ``by`` with ``DEFAULTS``
    unless ``options`` say otherwise. ``kuzot estimate --clusters`` and the hidden-figure page
    both come here, so the same clusters give the same numbers."""
    strata, warnings = clusters_strata(records, by, path)
    chosen = {
        method: {**DEFAULTS.get(method, {}), **(options or {}).get(method, {})}
        for method in {*DEFAULTS, *(options or {})}
    }
    return {"warnings": warnings, **estimate_strata(strata, methods, chosen, on_done)}
