"""Time the log-linear and dga estimators on the benchmark tables (UK 2013, Kosovo 1999).

    .venv/bin/python bench/bench_mse.py [--repeats 7]

One warm-up call, then ``--repeats`` timed calls of each case; prints the machine, the date and
a Markdown table (median and min of the wall time) for docs/benchmarks.md.
"""

import argparse
import os
import platform
import statistics
import time
from datetime import date

from kuzot.analysis.mse.datasets import kosovo_aggregate, uk_modern_slavery_2013
from kuzot.analysis.mse.dga import estimate_dga
from kuzot.analysis.mse.loglinear import estimate_closed, estimate_loglinear, fit_loglinear

UK = uk_modern_slavery_2013()
KOSOVO = kosovo_aggregate()
BALL_MODEL = [("EXH", "ABA", "OSCE"), ("EXH", "HRW"), ("OSCE", "HRW")]

STEPWISE, FIXED = "log-linear stepwise", "log-linear fixed model"
CASES = [
    (
        "UK 2013 (6 lists)",
        f"{STEPWISE}, normal interval",
        lambda: estimate_loglinear(UK, bootstrap=0),
    ),
    (
        "UK 2013 (6 lists)",
        f"{STEPWISE}, profile interval",
        lambda: estimate_loglinear(UK, interval="profile", bootstrap=0),
    ),
    (
        "UK 2013 (6 lists)",
        f"{STEPWISE}, BCa bootstrap re-selecting (200)",
        lambda: estimate_loglinear(UK),
    ),
    (
        "Kosovo (4 lists)",
        f"{STEPWISE}, normal interval",
        lambda: estimate_loglinear(KOSOVO, bootstrap=0),
    ),
    (
        "Kosovo (4 lists)",
        f"{STEPWISE}, BCa bootstrap re-selecting (200)",
        lambda: estimate_loglinear(KOSOVO),
    ),
    ("Kosovo (4 lists)", f"{FIXED}, profile interval", lambda: fit_loglinear(KOSOVO, BALL_MODEL)),
    ("Kosovo (4 lists)", "Rcapture Mt, profile interval", lambda: estimate_closed(KOSOVO, "Mt")),
    ("Kosovo (4 lists)", "dga, 61 graphs, delta 1/16, default grid", lambda: estimate_dga(KOSOVO)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {date.today()}\n")
    print("| data | estimator | estimate [95 % interval] | median s | min s |")
    print("|---|---|---|---|---|")
    for data, name, run in CASES:
        est = run()
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        print(f"| {data} | {name} | {est.estimate:,.0f} [{est.lower:,.0f}, {est.upper:,.0f}] "
              f"| {statistics.median(times):.3f} | {min(times):.3f} |")


if __name__ == "__main__":
    main()
