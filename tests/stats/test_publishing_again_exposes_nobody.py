"""Coordinators of the coalition and of its members publish, again and again — the same year,
overlapping periods, a year again after a late case — and an adversary who reads everything
published, with integer programming (tests/stats/attacker.py), learns no small number of anyone.

Each test here is an attack of issue 17 that recovered people's numbers before the ledger.
"""

import re

import pytest
from django.urls import reverse

from kuzot.accounts.models import Organisation
from kuzot.stats.actions import publish
from kuzot.stats.models import Publication
from tests.jobs import worker
from tests.stats import fixture
from tests.stats.attacker import STEPS, Attacker, Number, numbers_of, report_numbers, truth

TABLES = ["year_country", "agency", "region", "context", "sex_age", "act_type"]
YEARS = range(2022, 2025)


@pytest.fixture
def register(world):
    fixture.register(world)
    return world


def members(world) -> tuple[int, ...]:
    return tuple(o.pk for o in world.orgs.values())


def release(world, who: str | None, year_from: int, year_to: int, tables=TABLES, **options):
    """``who``: an organisation ("a", "b") or None for the coalition (A's coordinator)."""
    return publish(
        world.user(f"{who or 'a'}-coordinator"),
        title=f"{who or 'coalition'} {year_from}-{year_to} #{Publication.objects.count()}",
        coalition_wide=who is None,
        year_from=year_from,
        year_to=year_to,
        tables=tables,
        **options,
    )


def recovered(world, publications, truths=None, epochs=None) -> list[str]:
    truths = truths or [truth(members(world), YEARS)]
    numbers = []
    for publication in publications:
        epoch = (epochs or {}).get(publication.pk, lambda o, y: 0)
        numbers += numbers_of(publication, epoch)
    return Attacker(numbers, truths).recovered(insiders=members(world))


def test_members_and_the_coalition_publishing_the_same_year_expose_nobody(register):
    # Before: each accepted, and the coalition's numbers less one member's gave the other's
    # withheld cells (TJ's pre-trial detention = 14 - 5 - 7 = 2 on the demo data).
    published = [release(register, who, 2024, 2024) for who in ("a", "b", None)]
    assert not recovered(register, published)


def test_overlapping_periods_expose_nobody(register):
    # Before: 2022-24, 2023-24 and 2022-23 were all accepted and gave 10 cells back exactly.
    published = [
        release(register, "a", *period) for period in ((2022, 2024), (2023, 2024), (2022, 2023))
    ]
    assert not recovered(register, published)


@pytest.mark.parametrize("again", [["region", "context"], ["sex_age", "agency"]])
def test_publishing_a_year_again_after_a_late_case_does_not_give_the_case_away(register, again):
    # Before: the difference of the two publications was the late case (with other tables, the
    # earlier check found the numbers inconsistent and let them pass).
    first = release(register, "a", 2024, 2024, ["region", "context"])
    before = truth(members(register), YEARS)
    fixture.add_case(register, "a", fixture.random.Random(9), 2024, "kg-naryn")
    second = release(register, "a", 2024, 2024, again)
    after = truth(members(register), YEARS)
    a = register.orgs["a"].pk
    epochs = {second.pk: lambda o, y: 1 if (o, y) == (a, 2024) else 0}
    assert not recovered(register, [first, second], [before, after], epochs)


def test_a_later_year_without_a_region_the_earlier_had_is_published_not_a_crash(
    register, signed_in
):
    # Before: KZ 2024 then KZ 2025 without a region 2024 had ended in a KeyError (a 500).
    release(register, "b", 2024, 2024, ["region", "year_country"])
    fixture.add_case(register, "b", fixture.random.Random(2), 2025, "kz-astana")
    client = signed_in("b-coordinator")
    form = {
        "title": "KZ 2025",
        "year_from": 2025,
        "year_to": 2025,
        "tables": ["region", "year_country"],
        "threshold": 5,
        "rounding_base": "",
        "publish": "",
    }
    worker.finish(client, client.post(reverse("publications"), form))
    published = Publication.objects.get(title="KZ 2025")
    region = next(t for t in published.content["tables"] if t["name"] == "region")
    assert "kz-almaty-city" in region["categories"][0]


def test_when_the_check_runs_out_of_time_nothing_is_published(register, signed_in, settings):
    settings.KUZOT_DISCLOSURE_SECONDS = 0
    form = {
        "title": "Too much",
        "year_from": 2022,
        "year_to": 2024,
        "tables": TABLES,
        "threshold": 5,
        "rounding_base": "",
        "publish": "",
    }
    client = signed_in("a-coordinator")
    job = worker.finish(client, client.post(reverse("publications"), form))
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert job.status == job.Status.FAILED
    assert "Nothing was released" in page and "ran out of time" in page
    assert not Publication.objects.exists()


def test_numbers_that_no_longer_fit_the_ledger_stop_publishing(register):
    # Before: an inconsistent history made the check raise, the publication pass, and the check
    # stay off for that organisation for good. Now it refuses.
    from kuzot.stats.actions import ReleaseRefused
    from kuzot.stats.models import Release

    release(register, "a", 2024, 2024, ["agency"])
    entry = Release.objects.get()
    cells = [[*c[:3], (c[3] or 0) + 100, c[4]] for c in entry.cells]
    Release.objects.filter(pk=entry.pk).update(cells=cells)  # as a bug or tampering would
    with pytest.raises(ReleaseRefused, match="do not match"):
        release(register, "a", 2023, 2024, ["agency"])


def test_a_table_lists_every_category_whatever_the_data(register):
    # Before: a table listed only the categories present, so each listed one was at least 1.
    first = release(register, "a", 2022, 2022, ["region", "agency", "sex_age"])
    second = release(register, "a", 2024, 2024, ["region", "agency", "sex_age"])
    lists = [[t["categories"] for t in p.content["tables"]] for p in (first, second)]
    assert lists[0] == lists[1]
    regions, agencies, (sexes, ages) = lists[0]
    assert regions[0] == [
        "kg-bishkek", "kg-osh-city", "kg-batken", "kg-chuy", "kg-issyk-kul",
        "kg-jalal-abad", "kg-naryn", "kg-osh", "kg-talas", "kg-unknown",
    ]  # fmt: skip
    assert {"police", "military", "prosecutor", "unknown"} <= set(agencies[0])
    assert ages == ["0-17", "18-29", "30-44", "45-59", "60+", "unknown"]
    assert sexes == ["F", "M", "X", "unknown"]


def test_funnels_of_members_the_coalition_and_periods_expose_nobody(register):
    # Before: a dash always meant 1 to 4 and nothing else was withheld, so subtracting funnels
    # (member from coalition, a year from the period) gave steps back exactly.
    published = [release(register, who, 2024, 2024, []) for who in ("a", "b", None)]
    published += [release(register, "a", *p, []) for p in ((2023, 2023), (2023, 2024))]
    assert not recovered(register, published)
    for publication in published:
        for step in publication.content["funnel"]:
            assert step["cases"] is None or not 0 < step["cases"] < 5


def test_median_days_are_shown_only_over_enough_cases(register):
    from kuzot.stats.queries import STEP

    publication = release(register, "a", 2022, 2024, [])
    cases = Organisation.objects.get(pk=register.orgs["a"].pk).cases.all()
    shown = 0
    for step in publication.content["funnel"][1:]:
        later, earlier = STEP[step["key"]], STEP[STEP[step["key"]].previous]
        both = cases.filter(
            **{f"{later.column}__isnull": False, f"{earlier.column}__isnull": False}
        )
        if step["cases"] is None or both.count() < 5:
            assert step["median_days"] is None, later.key
        else:
            shown += 1
    assert shown and publication.content["funnel"][1]["median_days"] == 5  # complaints: 5 days


def funnel_on_page(html: str) -> list[int | None]:
    body = html.split('class="funnel"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<th scope="row">[^<]*</th><td>([^<]*)</td>', body)
    return [None if c.strip() in ("–", "-") else int(c) for c in cells]


def test_a_member_cannot_subtract_its_own_numbers_from_the_coalition_view(register, signed_in):
    # Before: /statistics/?coalition=on showed the coalition's funnel unprotected, so a member
    # subtracted its own to get the others'.
    client = signed_in("b-coordinator")
    client.post(reverse("statistics") + "?coalition=on", {"refresh": ""})
    page = client.get(reverse("statistics"), {"rows": "year", "coalition": "on"}).content.decode()
    steps = funnel_on_page(page)
    assert len(steps) == 9
    keys = ["documented", *STEPS]
    strata = tuple((o, y, 0) for o in members(register) for y in YEARS)
    numbers = [
        Number("cases", () if k == "documented" else ((k, "yes"),), strata, v, f"view {k}")
        for k, v in zip(keys, steps, strict=True)
    ]
    attacker = Attacker(numbers, [truth(members(register), YEARS)])
    assert not attacker.recovered(insiders=members(register))


def test_the_coalition_view_is_a_release_of_the_ledger(register, signed_in):
    from kuzot.stats.models import Release

    signed_in("a-analyst").post(reverse("statistics") + "?coalition=on", {"refresh": ""})
    view = Release.objects.get(kind=Release.Kind.COALITION_VIEW)
    assert view.organisation is None and view.content["funnel"]
    page = signed_in("b-coordinator").get(reverse("statistics"), {"coalition": "on"})
    assert "Coalition view of" in page.content.decode()
    # A member's lawyer sees only its own organisation's numbers.
    lawyer = signed_in("b-lawyer").get(reverse("statistics"), {"coalition": "on"})
    assert "Coalition view of" not in lawyer.content.decode()


def test_the_annual_report_is_a_release_checked_with_publications(register, tmp_path):
    from django.core.management import call_command

    from kuzot.stats.models import Release

    call_command("report", year=2024, organisation="a", out=tmp_path / "a.pdf")
    call_command("report", year=2024, out=tmp_path / "coalition.pdf")
    reports = list(Release.objects.filter(kind=Release.Kind.REPORT))
    assert len(reports) == 2
    published = [release(register, "b", 2024, 2024)]
    numbers = [n for p in published for n in numbers_of(p)]
    numbers += [n for r in reports for n in report_numbers(r)]
    attacker = Attacker(numbers, [truth(members(register), YEARS)])
    assert not attacker.recovered(insiders=members(register))
    # The same report again shows the numbers recorded, and adds nothing to the ledger.
    call_command("report", year=2024, organisation="a", out=tmp_path / "again.pdf")
    assert Release.objects.filter(kind=Release.Kind.REPORT).count() == 2


def test_a_coordinator_withholds_whole_groups_from_the_publish_screen(world, signed_in):
    rng = fixture.random.Random(4)
    for _n in range(12):
        fixture.add_case(world, "a", rng, 2024, "kg-bishkek")
    form = {
        "title": "Whole groups",
        "year_from": 2024,
        "year_to": 2024,
        "tables": ["region"],
        "sensitive": ["region"],
        "threshold": 5,
        "rounding_base": "",
        "publish": "",
    }
    client = signed_in("a-coordinator")
    assert 'name="sensitive"' in client.get(reverse("publications")).content.decode()
    worker.finish(client, client.post(reverse("publications"), form))
    [region] = Publication.objects.get(title="Whole groups").content["tables"]
    cells = {tuple(labels): value for labels, value in region["cells"]}
    # All 12 acts were in Bishkek: with region sensitive, that is not shown.
    assert cells[("kg-bishkek",)] is None


def test_the_act_type_table_says_its_total_counts_mentions(register):
    from kuzot.stats.publishing import grid

    publication = release(register, "a", 2024, 2024, ["act_type"])
    shown = grid(publication.content["tables"][0])
    assert shown.header[1] == "Mentions (an act may have several types)"
    assert shown.rows[-1][0] == "Total mentions"


def test_random_sequences_of_publications_expose_nobody(world):
    """Members and the coalition publish random periods and tables, with late cases added in
    between; the adversary reads them all."""
    rng = fixture.random.Random(17)
    fixture.register(world, seed=17, per_year=8)
    a, b = world.orgs["a"].pk, world.orgs["b"].pk
    truths = [truth((a, b), YEARS)]
    epoch = {(o, y): 0 for o in (a, b) for y in YEARS}
    published, epochs = [], {}
    for _round in range(5):
        if rng.random() < 0.5:
            org, year = rng.choice(["a", "b"]), rng.choice(list(YEARS))
            region = {"a": "kg-osh", "b": "kz-astana"}[org]
            fixture.add_case(world, org, rng, year, region)
            truths.append(truth((a, b), YEARS))
            epoch[world.orgs[org].pk, year] = len(truths) - 1
        who = rng.choice(["a", "b", None])
        start = rng.choice(list(YEARS))
        end = rng.choice([y for y in YEARS if y >= start])
        tables = rng.sample(["agency", "region", "context", "year_agency", "act_type"], 2)
        publication = release(world, who, start, end, tables)
        published.append(publication)
        frozen = dict(epoch)
        epochs[publication.pk] = lambda o, y, frozen=frozen: frozen[o, y]
    # Steps of additions the adversary models are the register's epochs in order.
    assert not recovered(world, published, truths, epochs)


def test_a_publication_recorded_during_another_check_makes_it_check_again(register, monkeypatch):
    from kuzot.stats.ledger import Ledger

    checked = Ledger.protect
    calls = []

    def protect(self, entries, **options):
        calls.append(len(self.releases))
        if len(calls) == 1:  # while A's check runs, the coalition publishes
            release(register, None, 2024, 2024)
        return checked(self, entries, **options)

    monkeypatch.setattr(Ledger, "protect", protect)
    mine = release(register, "a", 2024, 2024)
    assert calls == [0, 0, 1]  # A's check, the coalition's, A's again against the coalition's
    coalition = Publication.objects.exclude(pk=mine.pk).get()
    assert not recovered(register, [coalition, mine])
