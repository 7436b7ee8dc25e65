"""Time the whole ``kuzot estimate --method lcmcr`` on Kosovo, start-up included.

    .venv/bin/python bench/bench_lcmcr.py [--repeats 5] [--baseline-src /path/to/other/src]

Each run is a child process (``kuzot estimate --histories kosovo.csv --method lcmcr --json``
with the package's example settings: K = 10, 10,000 burn-in sweeps, 1,000 draws thinned by 100,
here over four chains in parallel threads); its CPU time (user + system, all threads) and wall
time are measured. With ``--baseline-src`` the same command runs from another source tree (e.g.
an export of main) alternately with this one, so that both see the same load: on a machine
shared with others, the ratio of the two is the number to trust. The numba compile is timed
apart, in a child with an empty numba cache. Prints a Markdown section for docs/benchmarks.md.
"""

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from kuzot.analysis.mse.datasets import kosovo_aggregate

SRC = Path(__file__).resolve().parents[1] / "src"
COMMAND = (
    "import sys; from kuzot.cli import main; "
    "sys.exit(main(['kuzot', 'estimate', *sys.argv[1:]]))"
)


def kosovo_csv(folder: Path) -> Path:
    h = kosovo_aggregate()
    path = folder / "kosovo.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*h.lists, "count"])
        rows = zip(h.patterns.tolist(), h.counts.tolist(), strict=True)
        writer.writerows([*p, c] for p, c in rows)
    return path


def run(
    src: Path, histories: Path, seed: int, env: dict | None = None
) -> tuple[float, float, dict]:
    """(CPU seconds, wall seconds, the LCMCR estimate) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", COMMAND, "--histories", str(histories), "--method", "lcmcr",
         "--json", "--seed", str(seed)],
        env={**os.environ, **(env or {}), "PYTHONPATH": str(src)},
        check=True, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, json.loads(out.stdout)["strata"][0]["estimates"]["lcmcr"]


def machine() -> str:
    cpus = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines()
                  if line.startswith("Model name")), "unknown")
    return f"{cpus} cores (nproc), {model}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline-src", type=Path, help="another tree's src/ to compare with")
    args = parser.parse_args()
    trees = {"this tree": SRC, **({"baseline": args.baseline_src} if args.baseline_src else {})}
    with tempfile.TemporaryDirectory() as folder:
        histories = kosovo_csv(Path(folder))
        with tempfile.TemporaryDirectory() as cache:
            started = time.perf_counter()
            run(SRC, histories, 1, {"NUMBA_CACHE_DIR": cache})
            compile_s = time.perf_counter() - started
        for src in trees.values():  # fill each tree's numba cache
            run(src, histories, 1)
        times = {name: [] for name in trees}
        loads = [os.getloadavg()[0]]
        for seed in range(1, args.repeats + 1):
            for name, src in trees.items():
                cpu, wall, estimate = run(src, histories, seed)
                times[name].append((cpu, wall))
                diagnostics = estimate.get("diagnostics", {})
                print(f"{name} seed {seed}: {cpu:.2f} s CPU, {wall:.2f} s wall, "
                      f"{estimate['estimate']:,.0f} [{estimate['lower']:,.0f}, "
                      f"{estimate['upper']:,.0f}] {diagnostics}", file=sys.stderr)
            loads.append(os.getloadavg()[0])
    print(f"Machine: {machine()}; load average {min(loads):.1f}-{max(loads):.1f} during the runs. "
          f"Date: {date.today()}.\n")
    print("| tree | runs | CPU s (median) | CPU s (min) | wall s (median) | wall s (min) |")
    print("|---|---|---|---|---|---|")
    for name, measured in times.items():
        cpu, wall = zip(*measured, strict=True)
        print(f"| {name} | {len(cpu)} | {statistics.median(cpu):.2f} | {min(cpu):.2f} "
              f"| {statistics.median(wall):.2f} | {min(wall):.2f} |")
    if args.baseline_src:
        ratio = statistics.median(c for c, _ in times["this tree"]) / statistics.median(
            c for c, _ in times["baseline"])
        print(f"\nCPU, this tree / baseline (medians): {ratio:.2f}")
    print(f"\nnumba compile (first run with an empty cache, whole command): {compile_s:.1f} s wall")


if __name__ == "__main__":
    main()
