"""Linkage at scale: deduplicate about a million records on this machine.

    .venv/bin/python bench/bench_linkage_scale.py [--records 1000000] [--data records.csv]

Draws synthetic people and the five default sources (kuzot.analysis.synthetic) until about
``--records`` records and writes them to a CSV file (``--data`` keeps it, and reuses it if
there), then runs ``kuzot link`` on it in a child process under ``/usr/bin/time -v``: wall time,
CPU time and peak memory (maximum resident set size) are those of the whole command, reading
and writing CSV included. Prints pairwise precision, recall and F1 against the true persons,
and a Markdown row for docs/benchmarks.md.
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
            people = generate_people(round(args.records / RECORDS_PER_PERSON), seed=1)
            pd.DataFrame(observe(people, DEFAULT_SOURCES, seed=2)).to_csv(data, index=False)
            del people
            print(f"data drawn in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        command = [
            "/usr/bin/time", "-v", sys.executable, "-m", "kuzot.analysis.link_cli",
            str(data), "--out", str(out), "--engine", args.engine,
        ]  # fmt: skip
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        print(run.stderr[-3000:], file=sys.stderr)
        if run.returncode:
            sys.exit(run.returncode)
        peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)[1])
        cpu = sum(
            float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", run.stderr)[1])
            for kind in ("User", "System")
        )
        clusters = pd.read_csv(out, usecols=["cluster_id", "true_person_id"])
    scores = pairwise_scores(clusters["cluster_id"], clusters["true_person_id"])
    print(
        f"| {len(clusters):,} | {clusters['cluster_id'].nunique():,} | {args.engine} "
        f"| {wall:.0f} s | {cpu:.0f} s | {os.getloadavg()[0]:.1f} | {peak_kib / 1024**2:.1f} GiB "
        f"| {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} |"
    )


if __name__ == "__main__":
    main()
