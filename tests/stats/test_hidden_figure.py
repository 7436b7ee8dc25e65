"""The hidden figure: three members' consented records linked into persons, then estimated."""

import html

from django.urls import reverse

from kuzot.accounts.vault import unlock
from kuzot.analysis.synthetic import generate_people
from kuzot.stats.hidden import decide, run
from kuzot.stats.models import LinkageRun
from tests.conftest import PASSWORD
from tests.jobs import worker
from tests.stats.conftest import document


def test_linkage_finds_the_people_and_the_estimate_covers_who_was_seen(world, three_lists):
    coordinator = world.user("a-coordinator")
    linkage = run(coordinator, unlock(coordinator, PASSWORD))
    persons = {cluster for _source, _record, cluster in linkage.clusters}
    assert len(linkage.clusters) == 35 + 35 + 25
    assert 47 <= len(persons) <= 50  # 50 people were documented by at least one list
    (stratum,) = linkage.estimates["strata"]  # the report kuzot estimate prints
    assert stratum["stratum"] == {"country": "KG", "year": "2023"}
    assert list(stratum["lists"]) == ["a", "b", "c"]
    for method in ("lcmcr", "loglinear", "dga"):
        estimate = stratum["estimates"][method]
        assert estimate["lower"] <= estimate["estimate"] <= estimate["upper"]
        assert estimate["estimate"] >= stratum["observed"]
    assert stratum["estimates"]["lcmcr"]["diagnostics"]["chains"] == 4
    assert not any(
        str(part) in str(linkage.clusters) for part in ("Аскаров", three_lists[0].family_name)
    )


def test_the_page_explains_and_reviewers_decisions_count(world, three_lists, signed_in):
    client = signed_in("a-coordinator")
    page = client.get(reverse("hidden_figure")).content.decode()
    assert "Organisation B" in page and "Organisation C" in page
    worker.start_worker()
    job = worker.finish(client, client.post(reverse("hidden_figure"), {"run": "1"}))
    assert job.result_url == reverse("hidden_figure") and job.status == job.Status.DONE
    assert LinkageRun.objects.count() == 1
    page = client.get(reverse("hidden_figure")).content.decode()
    assert "never documented" in page and "2023" in page
    lcmcr = LinkageRun.objects.get().estimates["strata"][0]["estimates"]["lcmcr"]
    diagnostics = lcmcr["diagnostics"]
    assert f"R-hat {diagnostics['rhat']}" in page and f"{diagnostics['chains']} chains" in page
    for warning in lcmcr["warnings"]:  # every warning is on the page
        assert f"KG 2023, lcmcr: {warning}" in html.unescape(page)
    decide(world.user("a-coordinator"), "a:1-1", "b:2-2", False)
    assert client.get(reverse("hidden_figure_review")).status_code == 200


def test_the_page_shows_a_non_converged_estimate_with_its_warning(world, signed_in):
    from kuzot.stats.models import LinkageRun as Run

    report = {
        "warnings": [],
        "strata": [
            {
                "stratum": {"country": "KG", "year": "2024"},
                "observed": 24298,
                "lists": {"a": 1, "b": 1, "c": 1},
                "estimable": True,
                "warnings": [],
                "estimates": {
                    "lcmcr": {
                        "estimate": 127577.0,
                        "lower": 28459.9,
                        "upper": 156985.8,
                        "level": 0.95,
                        "n_observed": 24298,
                        "warnings": [
                            "NOT CONVERGED: the 4 chains disagree (R-hat 1.530, must be below "
                            "1.05) after a burn-in of 140,000 sweeps"
                        ],
                        "diagnostics": {
                            "chains": 4,
                            "burnin": 140000,
                            "rhat": 1.5298,
                            "ess_bulk": 7,
                            "ess_tail": 38,
                            "converged": False,
                        },
                    }
                },
            }
        ],
    }
    Run.objects.create(
        organisation=world.orgs["a"],
        run_by=world.user("a-coordinator"),
        clusters=[],
        uncertain=[],
        estimates=report,
    )

    page = html.unescape(signed_in("a-coordinator").get(reverse("hidden_figure")).content.decode())

    assert "KG 2024, lcmcr: NOT CONVERGED: the 4 chains disagree (R-hat 1.530" in page
    assert "4 chains, burn-in 140000 sweeps, R-hat 1.5298" in page
    assert "see the warnings" in page


def test_an_analyst_reads_the_estimates_but_neither_runs_nor_reviews(world, signed_in):
    report = {
        "warnings": [],
        "strata": [{
            "stratum": {"country": "KG", "year": "2023"}, "observed": 50,
            "lists": {"a": 35, "b": 35, "c": 25}, "estimable": True, "warnings": [],
            "estimates": {"loglinear": {"estimate": 61.4, "lower": 52.0, "upper": 80.2,
                                        "level": 0.95, "warnings": []}},
        }],
    }  # fmt: skip
    LinkageRun.objects.create(organisation=world.orgs["a"], run_by=world.user("a-coordinator"),
                              clusters=[["a", "1-1", "a:1-1"]], uncertain=[["a:1-1", "b:2-2", 0.7]],
                              estimates=report)  # fmt: skip
    client = signed_in("a-analyst")

    page = client.get(reverse("hidden_figure")).content.decode()

    assert "61 (52–80)" in page
    assert 'name="run"' not in page and 'name="contribute"' not in page
    assert reverse("hidden_figure_review") not in page
    assert client.post(reverse("hidden_figure"), {"run": "1"}).status_code == 403
    assert client.get(reverse("hidden_figure_review")).status_code == 403
    assert LinkageRun.objects.count() == 1


def test_too_few_records_get_a_plain_message_not_an_error(world, signed_in):
    # Before: one consented record divided by zero inside the matching (a server error), and a
    # stratum the sampler could not handle showed Python's bare "math domain error".
    document(world, "a", generate_people(1, seed=3, namesakes=0))
    client = signed_in("a-coordinator")

    worker.start_worker()
    job = worker.finish(client, client.post(reverse("hidden_figure"), {"run": "1"}))

    page = html.unescape(client.get(reverse("job", args=[job.pk])).content.decode())
    assert job.status == job.Status.FAILED
    assert "The analysis could not run: 1 record(s) consented for matching" in page
    assert not LinkageRun.objects.exists()
