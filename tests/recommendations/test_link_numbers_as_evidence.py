"""A lawyer links the organisation's count of acts by the police to a recommendation: the page
shows it per year, the same numbers the statistics screen counts, to analysts too."""

from datetime import date

from django.urls import reverse

from kuzot.cases.actions import add_allegation, register_case
from kuzot.cases.models import Term
from kuzot.recommendations import actions
from kuzot.recommendations.models import StatisticsLink
from kuzot.stats.actions import statistics_scope
from kuzot.stats.queries import count


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code, organisation=None)


def act(world, org: str, when: date, agency: str) -> None:
    lawyer, vault = world.user(f"{org}-lawyer"), world.vault(org)
    case = register_case(lawyer, vault, intake_date=when)
    add_allegation(
        lawyer, vault, case, date=when, act_types=[term("act_type", "beating")],
        agency=term("agency", agency),
    )  # fmt: skip


def test_the_page_shows_the_statistics_screens_numbers_per_year(world, signed_in):
    for when, agency in [
        (date(2021, 2, 1), "police"), (date(2021, 5, 1), "police"), (date(2022, 3, 1), "police"),
        (date(2022, 4, 1), "penitentiary"), (date(2023, 1, 9), "penitentiary"),
    ]:  # fmt: skip
        act(world, "a", when, agency)
    act(world, "b", date(2022, 1, 1), "police")  # another organisation's: never counted here
    recommendation, _ = actions.save_recommendation(
        world.user("a-lawyer"),
        {"symbol": "CAT/C/KGZ/CO/3", "mechanism": "cat", "country": "KG", "paragraph": "12",
         "text": "Investigate all complaints of torture by the police."},
    )  # fmt: skip
    lawyer = signed_in("a-lawyer")
    form = lawyer.get(reverse("link_statistics", args=[recommendation.pk])).content.decode()
    assert "agency|police" in form and "agency|penitentiary" in form
    response = lawyer.post(
        reverse("link_statistics", args=[recommendation.pk]), {"category": "agency|police"}
    )
    assert response.status_code == 302
    assert StatisticsLink.objects.get().organisation == world.orgs["a"]

    screen = count(
        statistics_scope(world.user("a-analyst"), coalition_wide=False), "year", "agency"
    )
    expected = {year: screen.get((year, "police"), 0) for year in ("2021", "2022", "2023")}
    assert expected == {"2021": 2, "2022": 1, "2023": 0}
    page = signed_in("a-analyst").get(reverse("recommendation", args=[recommendation.pk]))
    text = page.content.decode()
    numbers = text[text.index('class="numbers"') :]
    for year, n in expected.items():
        assert f'<th scope="row">{year}</th><td>{n}</td>' in numbers
    # Organisation B's members see none of A's numbers.
    other = signed_in("b-lawyer").get(reverse("recommendation", args=[recommendation.pk]))
    assert 'class="numbers"' not in other.content.decode()


def test_a_category_is_required(world, signed_in):
    recommendation, _ = actions.save_recommendation(
        world.user("a-lawyer"),
        {"symbol": "CAT/C/KGZ/CO/3", "mechanism": "cat", "country": "KG", "text": "Investigate."},
    )
    response = signed_in("a-lawyer").post(
        reverse("link_statistics", args=[recommendation.pk]), {"category": "agency|nothing"}
    )
    assert response.status_code == 200 and not StatisticsLink.objects.exists()
