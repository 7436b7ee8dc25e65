"""Each role's home page: the coordinator's open cases by stage, this week's deadlines,
complaints waiting and complaints about to be deleted; the lawyer's own cases; the analyst's
headline numbers, taken from the protected coalition view."""

from datetime import date, timedelta

from django.urls import reverse

from kuzot.cases.actions import record_legal_event
from kuzot.cases.models import Case, LegalEvent
from kuzot.intake.models import Submission
from kuzot.stats.actions import refresh_coalition_view
from kuzot.stats.selectors import headlines
from tests.intake.conftest import complain
from tests.stats import fixture


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_sees_stages_this_week_and_complaints(
    world, signed_in, client, monkeypatch
):
    from kuzot.intake.abuse import guard

    monkeypatch.setattr(guard, "min_seconds", 0)
    cases = fixture.build(world)
    record_legal_event(
        world.user("a-lawyer"),
        world.vault("a"),
        cases["c1"],
        kind=LegalEvent.Kind.HEARING,
        date=date.today(),
        next_date=date.today() + timedelta(days=3),
    )
    complain(client)
    complain(client)
    Submission.objects.filter(pk=Submission.objects.order_by("pk").first().pk).update(
        expires_on=date.today() + timedelta(days=2)
    )
    html = home(signed_in("a-coordinator"))
    assert "Open cases by stage" in html and 'id="chart-stages-t"' in html
    assert "?status=open&amp;stage=complaint_refused" in html
    assert "1 hearing or deadline in the next 7 days" in html
    assert "2 new complaints" in html  # the "N new (+M held)" line stays
    assert "1 complaint is deleted within 7 days unless accepted" in html


def test_the_lawyer_sees_their_own_open_cases(world, signed_in):
    cases = fixture.build(world)
    Case.objects.filter(pk__in=[cases["c1"].pk, cases["c2"].pk]).update(
        assigned_lawyer=world.user("a-lawyer")
    )
    html = home(signed_in("a-lawyer"))
    assert "Your open cases" in html
    assert f'href="{reverse("case", args=[cases["c1"].pk])}"' in html
    assert cases["c2"].reference not in html.split("Your open cases")[1].split("</section>")[0]


def test_the_analyst_sees_protected_headline_numbers_with_a_trend(world, signed_in):
    fixture.ninety(world)
    client = signed_in("a-analyst")
    assert "No coalition view yet" in home(client)
    refresh_coalition_view(world.user("a-analyst"))
    found = headlines(world.user("a-analyst"))
    html = home(client)
    assert f"Acts documented in {found.acts.year}" in html
    assert f'<span class="headline">{found.acts.value}</span>' in html
    assert "on the year before" in html and 'id="chart-trend-t"' in html
    published = {tuple(k): v for k, v in found.release.content["tables"][0]["cells"]}
    assert found.acts.value == published[(found.acts.year, None)]
