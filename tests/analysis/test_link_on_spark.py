"""``kuzot link --engine spark`` finds the same persons as DuckDB on the same input: Central
Asian lists (names in any script, incident dates) and FEBRL records (identifiers, full dates of
birth, addresses, a column asked for), linked in one run on each engine. Local Spark with the
machine's Java; skipped where PySpark or Java is missing (CI has both)."""

import shutil

import pandas as pd
import pytest

from kuzot.analysis.link_cli import main
from kuzot.analysis.synthetic import DEFAULT_SOURCES, generate_people, observe

from .test_link_febrl import COLUMNS, FEBRL

pytest.importorskip("pyspark")
pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17"),
]


def test_duckdb_and_spark_find_the_same_persons(tmp_path, capsys):
    lists = pd.DataFrame(observe(generate_people(150, seed=5), DEFAULT_SOURCES, seed=6))
    febrl = pd.concat(
        [
            pd.read_csv(FEBRL / f, dtype=str, skipinitialspace=True).head(200)
            for f in ("dataset4a.csv", "dataset4b.csv")
        ]
    ).rename(columns=lambda c: {v: k for k, v in COLUMNS.items()}.get(c.strip(), c.strip()))
    febrl["source"] = "febrl"
    records = tmp_path / "records.csv"
    pd.concat([lists, febrl]).to_csv(records, index=False)
    clusters = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.csv"
        args = [str(records), "--out", str(out), "--engine", engine, "--compare", "postcode:exact"]
        assert main(args) == 0
        clusters[engine] = pd.read_csv(out, dtype=str)["cluster_id"]
    assert clusters["duckdb"].nunique() < len(clusters["duckdb"])  # persons were found
    assert clusters["spark"].tolist() == clusters["duckdb"].tolist()
