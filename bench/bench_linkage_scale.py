"""Linkage at scale: deduplicate about a million records on this machine.

    .venv/bin/python bench/bench_linkage_scale.py [--records 1000000] [--data records.csv]

    .venv/bin/python bench/bench_linkage_scale.py --records 100000 --engine spark

Draws synthetic people and the five default sources (kuzot.analysis.synthetic) until about
``--records`` records and writes them to a CSV file (``--data`` keeps it, and reuses it if
there), in draws of at most a million people (seeds 1 and 2 for the first, so that sizes up to
a million draw what they always drew), then runs ``kuzot link`` on it in a child process under
``/usr/bin/time -v``: wall time and CPU time (user + system) are those of the whole command,
reading and writing CSV included. Every half second the command's processes are sampled:
peak memory is the largest sum of their resident set sizes (Python and Spark's JVM together),
and CPU time is the larger of what ``time`` reports and the sum of each process's last
sampled CPU time (``time`` misses the JVM, which PySpark never waits for). Prints pairwise
precision, recall and F1 against the true persons, and a Markdown row for docs/benchmarks.md.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from kuzot.analysis.linkage import pairwise_scores
from kuzot.analysis.synthetic import DEFAULT_SOURCES, generate_people, observe

RECORDS_PER_PERSON = 1.17  # what DEFAULT_SOURCES observe, on average
PEOPLE_PER_DRAW = 1_000_000  # a draw's rows are held in memory as dicts until written


def draw(records: int, path: Path) -> None:
    """About ``records`` records of fresh people, written to ``path`` a draw at a time."""
    people = round(records / RECORDS_PER_PERSON)
    for k, first in enumerate(range(0, people, PEOPLE_PER_DRAW)):
        drawn = generate_people(min(PEOPLE_PER_DRAW, people - first), seed=1 + 2 * k)
        rows = pd.DataFrame(observe(drawn, DEFAULT_SOURCES, seed=2 + 2 * k))
        rows["true_person_id"] += first
        if k:
            rows["record_id"] = f"{k}-" + rows["record_id"]
        rows.to_csv(path, index=False, mode="a" if k else "w", header=not k)


def sample_tree(pid: int, cpu: dict[int, float]) -> int:
    """Resident memory of a process and its descendants, in KiB; records each one's CPU
    seconds so far in ``cpu`` (Spark's JVM is never waited for, so rusage misses it)."""
    total, children = 0, [pid]
    while children:
        pid = children.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            ticks = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]
            tasks = Path(f"/proc/{pid}/task").iterdir()
            children += [int(c) for t in tasks for c in (t / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        cpu[pid] = sum(int(t) for t in ticks) / os.sysconf("SC_CLK_TCK")
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1]) if "VmRSS" in status else 0
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--data", type=Path, help="keep the drawn records here; reuse if there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data, out = args.data or Path(folder) / "records.csv", Path(folder) / "clusters.csv"
        if not data.exists():
            start = time.perf_counter()
            draw(args.records, data)
            print(f"data drawn in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        command = [
            "/usr/bin/time", "-v", sys.executable, "-m", "kuzot.analysis.link_cli",
            str(data), "--out", str(out), "--engine", args.engine,
        ]  # fmt: skip
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        log = Path(folder) / "stderr.txt"
        with open(log, "w") as stderr:
            child = subprocess.Popen(command, stderr=stderr, text=True)
            peak_kib, cpu_seen = 0, {}
            while child.poll() is None:
                peak_kib = max(peak_kib, sample_tree(child.pid, cpu_seen))
                time.sleep(0.5)
        wall = time.perf_counter() - start
        run_stderr = log.read_text()
        print(run_stderr[-3000:], file=sys.stderr)
        if child.returncode:
            sys.exit(child.returncode)
        waited = sum(
            float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", run_stderr)[1])
            for kind in ("User", "System")
        )
        cpu = max(waited, sum(cpu_seen.values()))
        clusters = pd.read_csv(out, usecols=["cluster_id", "true_person_id"])
    scores = pairwise_scores(clusters["cluster_id"], clusters["true_person_id"])
    print(
        f"| {len(clusters):,} | {clusters['cluster_id'].nunique():,} | {args.engine} "
        f"| {wall:.0f} s | {cpu:.0f} s | {100 * cpu / wall:.0f} % "
        f"| {load_before:.1f} / {os.getloadavg()[0]:.1f} | {peak_kib / 1024**2:.1f} GiB "
        f"| {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} |"
    )


if __name__ == "__main__":
    main()
