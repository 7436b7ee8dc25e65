"""``kuzot estimate``: how many cases were never documented (multiple systems estimation).

    kuzot estimate --clusters clusters.csv [--by country[,year]] [--method lcmcr|loglinear|dga|all]
    kuzot estimate --histories H.csv [--by region] [--method ...] [--json]

``--clusters`` is the output of ``kuzot link`` (``cluster_id``, ``source`` and stratification
columns; ``year`` comes from ``incident_date``). ``--histories`` has one 0/1 column per list and a
``count`` column. ``--json`` prints :mod:`kuzot.analysis.mse.report`'s report: per stratum the
observed count, the lists with their totals, the warnings (methods that disagree beyond their
intervals among them) and per method the estimate with its 95 % interval, its warnings and
diagnostics (or an error); with ``--by``, the total over strata. ``--seed``, ``--K``,
``--burnin``, ``--samples``, ``--thinning``, ``--chains`` and ``--max-burnin`` set LCMCR's
sampler, ``--bootstrap`` the log-linear bootstrap's replicates. Bad input exits with status 2
and a message naming the file, line and column. The estimators are imported only when used.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kuzot.analysis.mse.histories import (
    HistoriesInputError,
    Stratum,
    read_clusters_table,
    read_histories_csv,
)
from kuzot.analysis.mse.report import DEFAULTS, METHODS, estimate_clusters, estimate_strata

LCMCR, LOGLINEAR = DEFAULTS["lcmcr"], DEFAULTS["loglinear"]


def _at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kuzot estimate",
        description="Estimate the number of undocumented cases from overlapping lists (MSE).",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--clusters", type=Path, help="linked records (kuzot link --out)")
    source.add_argument("--histories", type=Path, help="0/1 column per list and a count column")
    parser.add_argument("--by", default="", help="stratify by these columns, e.g. country,year")
    parser.add_argument("--method", choices=(*METHODS, "all"), default="lcmcr")
    parser.add_argument("--json", action="store_true", help="print JSON")
    lcmcr = parser.add_argument_group("LCMCR sampler")
    lcmcr.add_argument("--seed", type=int, default=LCMCR["seed"])
    lcmcr.add_argument(
        "--K", type=_at_least(1), default=LCMCR["K"], help="maximum number of latent classes"
    )
    lcmcr.add_argument("--burnin", type=_at_least(0), default=LCMCR["burnin"])
    lcmcr.add_argument("--samples", type=_at_least(1), default=LCMCR["samples"])
    lcmcr.add_argument("--thinning", type=_at_least(1), default=LCMCR["thinning"])
    lcmcr.add_argument(
        "--chains", type=_at_least(1), default=LCMCR["chains"], help="chains run in parallel"
    )
    lcmcr.add_argument(
        "--max-burnin", type=_at_least(0), default=LCMCR["max_burnin"],
        help="extend the burn-in up to this while the chains disagree (default 32 x --burnin)",
    )
    loglinear = parser.add_argument_group("log-linear")
    loglinear.add_argument(
        "--bootstrap", type=_at_least(0), default=LOGLINEAR["bootstrap"],
        help="bootstrap replicates that re-run the model selection (0: none)",
    )
    return parser


def _progress(label: str) -> Callable[[int, int], None]:
    """Percent done on stderr: in place on a terminal (twice a second), else every 10 s."""
    tty = sys.stderr.isatty()
    interval = 0.5 if tty else 10.0
    last = [time.monotonic(), False]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total:
            if tty and last[1]:
                print(f"\r{label}: 100 %", file=sys.stderr, flush=True)
            return
        if now - last[0] < interval:
            return
        last[:] = [now, True]
        text = f"{label}: {100 * done // total} %"
        print(f"\r{text}" if tty else text, end="" if tty else "\n", file=sys.stderr, flush=True)

    return report


def _options(args: argparse.Namespace) -> dict:
    return {
        "lcmcr": {
            "K": args.K,
            "burnin": args.burnin,
            "samples": args.samples,
            "thinning": args.thinning,
            "chains": args.chains,
            "max_burnin": args.max_burnin,
            "seed": args.seed,
        },
        "loglinear": {"bootstrap": args.bootstrap},
    }


def _timing(stratum: Stratum, method: str, seconds: float) -> None:
    print(f"{stratum.label} {method}: {seconds:.1f} s", file=sys.stderr, flush=True)


def _interval(result: dict) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    return f"{result['estimate']:,.0f} (95 % {result['lower']:,.0f} – {result['upper']:,.0f})"


def _diagnostics(result: dict) -> str:
    d = result.get("diagnostics")
    if not d:
        return ""
    return (
        f" [{d['chains']} chains, burn-in {d['burnin']:,}, R-hat {d.get('rhat', '–')}, "
        f"ESS bulk {d.get('ess_bulk', '–')} / tail {d.get('ess_tail', '–')}]"
    )


def _print_estimates(estimates: dict, indent: str) -> None:
    for method, result in estimates.items():
        print(f"{indent}{method}: {_interval(result)}{_diagnostics(result)}")
        for warning in result.get("warnings", []):
            print(f"{indent}  warning: {warning}")


def _print_text(report: dict) -> None:
    for warning in report["warnings"]:
        print(f"warning: {warning}")
    for entry in report["strata"]:
        name = ", ".join(f"{k}={v}" for k, v in entry["stratum"].items()) or "all"
        lists = ", ".join(f"{k} {v}" for k, v in entry["lists"].items())
        print(f"\n{name}: {entry['observed']} observed on {len(entry['lists'])} lists ({lists})")
        for warning in entry["warnings"]:
            print(f"  warning: {warning}")
        _print_estimates(entry["estimates"], "  ")
    if total := report.get("total"):
        print(f"\ntotal over {len(report['strata'])} strata: {total['observed']} observed")
        for warning in total["warnings"]:
            print(f"  warning: {warning}")
        _print_estimates(total["estimates"], "  ")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    by = [column.strip() for column in args.by.split(",") if column.strip()]
    methods = METHODS if args.method == "all" else (args.method,)
    options = _options(args)
    options["lcmcr"]["progress"] = _progress("lcmcr")
    try:
        if args.clusters:
            records = read_clusters_table(args.clusters)
            estimated = estimate_clusters(records, by, methods, options, _timing, args.clusters)
        else:
            strata = read_histories_csv(args.histories, by)
            estimated = {"warnings": [], **estimate_strata(strata, methods, options, _timing)}
    except HistoriesInputError as error:
        print(f"kuzot estimate: {error}", file=sys.stderr)
        return 2
    report = {
        "input": str(args.clusters or args.histories),
        "by": by,
        "methods": list(methods),
        **estimated,
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_text(report)
    return 0
