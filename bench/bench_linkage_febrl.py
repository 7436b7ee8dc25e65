"""Linkage quality on FEBRL, the field's standard benchmark, through ``kuzot link``.

    .venv/bin/python bench/bench_linkage_febrl.py

FEBRL4 (dataset4a + dataset4b: 5,000 + 5,000 records, 5,000 true pairs across the files) and
FEBRL3 (5,000 records of 2,000 persons, up to nine records each: 6,538 true pairs within one
file), the raw files vendored in tests/analysis/febrl/, read as the test does (their headers
named with ``--column``), each run with the contract's columns only and with the address
columns asked for (``--compare``). Prints Markdown rows for docs/benchmarks.md: pairwise
precision, recall and F1 against the true persons, warnings, wall time.
"""

import os
import sys
import tempfile
import time
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.analysis.test_link_febrl import COMPARE, link_febrl  # noqa: E402

from kuzot.analysis.linkage import pairwise_scores  # noqa: E402

DATA = {"FEBRL4": ["dataset4a.csv", "dataset4b.csv"], "FEBRL3": ["dataset3.csv"]}


def main() -> None:
    print("| data | columns compared | records | true pairs | precision | recall | F1 ", end="")
    print("| warnings | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for data, files in DATA.items():
        for label, compare in (("contract's", []), ("contract's + 4 asked for", COMPARE)):
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / "clusters.csv"
                start = time.perf_counter()
                with redirect_stderr(StringIO()):
                    assert link_febrl(files, out, compare) == 0
                seconds = time.perf_counter() - start
                clusters = pd.read_csv(out, dtype=str)
                warnings = len(pd.read_csv(out.with_suffix(".warnings.csv")))
            truth = clusters["record_id"].str.extract(r"rec-(\d+)-")[0]
            s = pairwise_scores(clusters["cluster_id"], truth)
            print(
                f"| {data} | {label} | {len(clusters):,} | {s['true_pairs']:,} "
                f"| {s['precision']:.4f} | {s['recall']:.4f} | **{s['f1']:.4f}** "
                f"| {warnings} | {seconds:.1f} |",
                flush=True,
            )
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
