"""The hidden-figure page and ``kuzot estimate`` give the same numbers on the same clusters:
the page's linked records, written as ``kuzot link`` writes them, estimated by the command."""

import json

import pandas as pd

from kuzot.accounts.vault import unlock
from kuzot.analysis import estimate_cli
from kuzot.stats.hidden import gather, run
from tests.conftest import PASSWORD

FIGURES = ("estimate", "lower", "upper")


def test_the_page_and_the_command_agree_to_the_unit(world, three_lists, tmp_path, capsys):
    coordinator = world.user("a-coordinator")
    keyring = unlock(coordinator, PASSWORD)
    linkage = run(coordinator, keyring)
    records = {f"{r['source']}:{r['record_id']}": r for r in gather(coordinator, keyring)}
    clusters = pd.DataFrame(
        [{**records[f"{source}:{record}"], "cluster_id": cluster}
         for source, record, cluster in linkage.clusters]
    )  # fmt: skip
    path = tmp_path / "clusters.csv"
    clusters.to_csv(path, index=False)
    capsys.readouterr()

    arguments = ["--clusters", str(path), "--by", "country,year", "--method", "all", "--json"]
    assert estimate_cli.main(arguments) == 0
    printed = json.loads(capsys.readouterr().out)

    page = linkage.estimates
    assert page["warnings"] == printed["warnings"]
    assert len(page["strata"]) == len(printed["strata"]) >= 1
    for shown, command in zip(page["strata"], printed["strata"], strict=True):
        assert shown["stratum"] == command["stratum"]
        assert (shown["observed"], shown["lists"]) == (command["observed"], command["lists"])
        assert set(shown["estimates"]) == set(command["estimates"]) == {"lcmcr", "loglinear", "dga"}
        for method, estimate in shown["estimates"].items():
            assert "error" not in estimate, estimate
            assert [round(estimate[f]) for f in FIGURES] == [
                round(command["estimates"][method][f]) for f in FIGURES
            ], method
