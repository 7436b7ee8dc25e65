"""Time LCMCR on Kosovo with the R package's example settings.

    .venv/bin/python bench/bench_lcmcr.py [--repeats 7]

K = 10, 10,000 burn-in sweeps, 1,000 draws thinned by 100 (110,500 Gibbs sweeps with the 500
warm-up ones). The numba compile is timed apart, in a child process with an empty numba cache;
then ``--repeats`` timed runs in this process (wall and CPU time). Prints a Markdown section for
docs/benchmarks.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

from kuzot.analysis.mse.datasets import kosovo_aggregate
from kuzot.analysis.mse.lcmcr import estimate_lcmcr

KOSOVO = kosovo_aggregate()
TINY = {"burnin": 0, "samples": 1, "thinning": 1}


def first_call_seconds() -> float:
    started = time.perf_counter()
    estimate_lcmcr(KOSOVO, **TINY)
    return time.perf_counter() - started


def compile_seconds() -> float:
    """The first call in a fresh process with an empty numba cache (compile + 500 sweeps)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, __file__, "--first-call"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return float(out.stdout)


def machine() -> str:
    cpus = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines()
                  if line.startswith("Model name")), "unknown")
    return f"{cpus} cores (nproc), {model}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--first-call", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_call:
        print(first_call_seconds())
        return
    compile_s = compile_seconds()
    cached_s = first_call_seconds()
    walls, cpus = [], []
    for seed in range(1, args.repeats + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        estimate = estimate_lcmcr(KOSOVO, seed=seed)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        print(f"seed {seed}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, "
              f"{estimate.estimate:,.0f} [{estimate.lower:,.0f}, {estimate.upper:,.0f}]",
              file=sys.stderr)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {machine()}; load average {load} at the end. Date: {date.today()}.\n")
    print("| run | wall s (median) | wall s (min) | CPU s (median) |")
    print("|---|---|---|---|")
    print(f"| Kosovo, K = 10, 10,000 + 1,000 × 100 sweeps ({args.repeats} runs) "
          f"| {statistics.median(walls):.2f} | {min(walls):.2f} | {statistics.median(cpus):.2f} |")
    print(f"| numba compile (first call, empty cache) | {compile_s:.1f} | | |")
    print(f"| first call, compiled code from the cache | {cached_s:.2f} | | |")


if __name__ == "__main__":
    main()
