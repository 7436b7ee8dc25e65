"""`kuzot demo`: three organisations with a user of every role, logins printed; idempotent;
never under production settings."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kuzot.accounts import vault
from kuzot.accounts.models import Organisation, Role, User
from kuzot.audit.models import AuditEvent
from kuzot.cases.models import Allegation, Case, Person
from kuzot.monitoring.models import Finding, Visit
from kuzot.ops.demo import DEMO_PASSWORD, FIRST_LOGIN, ROLE_WORK
from kuzot.ops.demo_visits import YEAR
from tests.conftest import planner_statistics


@pytest.fixture
def demo_settings(db, settings, tmp_path):
    settings.DEMO = False
    settings.PRODUCTION = False
    settings.DEMO_MARKER = tmp_path / "data" / "DEMO"
    return settings


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "people": Person.objects.count(),
    }


def test_demo_creates_three_organisations_and_every_role(demo_settings):
    output = run_demo()
    assert sorted(Organisation.objects.values_list("country", flat=True)) == ["KG", "KZ", "TJ"]
    for organisation in Organisation.objects.all():
        roles = set(User.objects.filter(organisation=organisation).values_list("role", flat=True))
        assert roles == set(Role.values) - {Role.ADMIN}, organisation
    assert User.objects.filter(role=Role.ADMIN).count() == 1

    assert DEMO_PASSWORD in output
    for user in User.objects.all():
        assert user.username in output
        assert user.check_password(DEMO_PASSWORD)
        assert user.totp_exempt
    assert demo_settings.DEMO_MARKER.exists()
    for model in (Case, Allegation, Person):  # the invented cases are planned like real ones
        assert planner_statistics(model._meta.db_table) > 0, model


def test_demo_has_a_year_of_visits_to_every_countrys_places(demo_settings):
    run_demo()
    for organisation in Organisation.objects.all():
        visits = Visit.objects.filter(organisation=organisation)
        places = {visit.place.country for visit in visits}
        assert places == {organisation.country}
        assert {visit.started_on.year for visit in visits} == {YEAR}
        assert visits.filter(follow_up_of__isnull=False).count() * 2 == visits.count()
        assert Finding.objects.filter(visit__in=visits).count() >= 3 * visits.count()
    run_demo()  # idempotent: no second year
    assert {v.started_on.year for v in Visit.objects.all()} == {YEAR}


def test_demo_people_open_with_the_demo_password(demo_settings):
    run_demo()
    lawyer = User.objects.get(username="kg-lawyer")
    org_vault = vault.unlock(lawyer, DEMO_PASSWORD).vault(lawyer.organisation_id)
    people = Person.objects.filter(organisation=lawyer.organisation)
    assert people.count() >= 3
    context = vault.sealed_context(Person, "full_name")
    assert "Азимжан Аскаров" in {org_vault.open(p.full_name, context) for p in people}


def test_running_the_demo_twice_adds_nothing(demo_settings):
    run_demo()
    first, events = counts(), AuditEvent.objects.count()
    output = run_demo()
    assert counts() == first
    assert AuditEvent.objects.count() == events
    assert DEMO_PASSWORD in output


def test_demo_refuses_under_production_settings(demo_settings):
    demo_settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run_demo()
    assert not User.objects.exists()
    assert not demo_settings.DEMO_MARKER.exists()


def test_demo_cases_follow_the_mix_the_coalitions_report(db, settings, tmp_path):
    from collections import Counter

    from django.core.management import call_command

    from kuzot.cases.models import Allegation, Case

    settings.DEMO_MARKER = tmp_path / "DEMO"
    call_command("demo", cases=30)
    cases = Case.objects.filter(reference__contains="-D")  # not the hidden figure's lists
    assert cases.count() == 3 * 300 + 30
    agencies = Counter(Allegation.objects.values_list("agency__code", flat=True))
    assert agencies.most_common(1)[0][0] == "police"
    refused = cases.filter(stage__in=["complaint_refused", "criminal_case_refused"]).count()
    convicted = cases.filter(torture_conviction_on__isnull=False).count()
    assert refused > 5 * convicted > 0


def test_demo_logins_prints_the_logins_again_the_first_to_try_on_top(demo_settings):
    with pytest.raises(CommandError, match="run kuzot demo first"):
        call_command("demo", logins=True, stdout=io.StringIO())
    run_demo()
    before = counts()
    out = io.StringIO()
    call_command("demo", logins=True, stdout=out)
    printed = out.getvalue()
    assert counts() == before, "nothing is created again"
    assert DEMO_PASSWORD in printed and "Try kg-coordinator first" in printed
    lines = [line.split() for line in printed.splitlines() if line.startswith("  ")]
    assert lines[0][0] == "kg-coordinator"
    assert sorted(line[0] for line in lines) == sorted(
        User.objects.values_list("username", flat=True)
    )
    assert "never sees a name" in printed  # what the analyst does


def test_the_readme_says_which_login_to_try_first_and_what_each_role_does():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert f"Log in first as **`{FIRST_LOGIN}`**" in readme
    assert "kuzot demo --logins" in readme
    for role, work in ROLE_WORK.items():
        assert f"| {role.label} | {work} |" in readme, role


def test_the_demo_gives_the_hidden_figure_an_estimate(demo_settings):
    # Before: the three demo members were in three countries and documented nobody in common,
    # so every stratum had one list and no estimate could ever be made.
    from kuzot.stats.hidden import run
    from kuzot.stats.models import LinkageContribution

    run_demo()
    coordinator = User.objects.get(username="kg-coordinator")
    received = LinkageContribution.objects.filter(recipient=coordinator.organisation)
    assert sorted(received.values_list("contributor__slug", flat=True)) == ["kz", "tj"]

    linkage = run(coordinator, vault.unlock(coordinator, DEMO_PASSWORD))

    (chuy,) = [s for s in linkage.estimates["strata"] if s["estimable"]]
    assert chuy["stratum"] == {"country": "KG", "year": "2024"}
    assert sorted(chuy["lists"]) == ["kg", "kz", "tj"]
    for method in ("lcmcr", "loglinear", "dga"):
        estimate = chuy["estimates"][method]
        assert "error" not in estimate, (method, estimate)
        assert chuy["observed"] <= estimate["estimate"] <= estimate["upper"]
