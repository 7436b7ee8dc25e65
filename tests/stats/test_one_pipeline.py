"""Counting, protecting and serialising a table happen in one function, ``stats.pipeline.
tabulate``: the statistics screen, publications, the coalition view and the annual report all
go through it, and nothing else counts, protects or builds a table's content."""

import ast
from pathlib import Path

from django.urls import reverse

from kuzot.stats import pipeline
from kuzot.stats.reports import report_numbers

SRC = Path(__file__).resolve().parents[2] / "src" / "kuzot"
# Who may use the pipeline's parts: the pipeline, and the modules that define them.
PARTS = {
    "kuzot.stats.queries": {"count", "funnel"},
    "kuzot.analysis.disclosure": {"Table", "table_boxes", "protect", "protect_release"},
}
OWNERS = {"stats/pipeline.py", "stats/queries.py", "stats/ledger.py"}


def test_nothing_but_the_pipeline_counts_protects_or_serialises():
    found = []
    for path in SRC.rglob("*.py"):
        name = str(path.relative_to(SRC))
        if name in OWNERS or name.startswith("analysis/"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in PARTS:
                found += [f"{name}: {a.name}" for a in node.names if a.name in PARTS[node.module]]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "protect"
            ):
                found.append(f"{name}:{node.lineno}: .protect(")
    assert found == []


def test_the_screen_publications_and_the_report_call_it(world, ninety_acts, signed_in, monkeypatch):
    calls = []
    real = pipeline.tabulate

    def spy(scope, wanted, **options):
        calls.append(("released" if options.get("protect") else "own", wanted[0].name))
        return real(scope, wanted, **options)

    monkeypatch.setattr("kuzot.stats.actions.tabulate", spy)
    client = signed_in("a-coordinator")
    assert client.get(reverse("statistics"), {"rows": "agency"}).status_code == 200
    client.post(
        reverse("publications"),
        {"title": "2024", "year_from": 2024, "year_to": 2024, "tables": ["agency"],
         "threshold": 5},
    )  # fmt: skip
    report_numbers(world.user("a-coordinator"), world.orgs["a"], world.orgs["a"].coalition_id,
                   2024, 5)  # fmt: skip

    assert calls == [("own", "explore"), ("released", "agency"), ("released", "new_cases")]
