"""A lawyer links cases to a recommendation: who sees the case sees its reference; analysts and
those a strictly confidential case is hidden from see only a protected count."""

from datetime import date

import pytest
from django.urls import reverse

from kuzot.cases.actions import register_case
from kuzot.cases.models import Case
from kuzot.recommendations import actions
from kuzot.recommendations.models import CaseLink


@pytest.fixture
def linked(world):
    lawyer = world.user("a-lawyer")
    recommendation, _ = actions.save_recommendation(
        lawyer,
        {"symbol": "CAT/C/KGZ/CO/3", "mechanism": "cat", "country": "KG", "paragraph": "12",
         "text": "Investigate all complaints of torture promptly and impartially."},
    )  # fmt: skip
    vault = world.vault("a")
    cases = [register_case(lawyer, vault, intake_date=date(2024, 3, n)) for n in (1, 2)]
    strict = register_case(
        world.user("a-coordinator"), vault, intake_date=date(2024, 3, 3),
        confidentiality=Case.Confidentiality.STRICT,
    )  # fmt: skip
    return recommendation, cases, strict


def test_links_show_references_to_those_who_see_the_cases(world, linked, signed_in):
    recommendation, cases, strict = linked
    lawyer = signed_in("a-lawyer")
    for case in cases:
        response = lawyer.post(
            reverse("link_case", args=[recommendation.pk]), {"reference": case.reference}
        )
        assert response.status_code == 302
    actions.link_case(world.user("a-coordinator"), recommendation, strict)
    url = reverse("recommendation", args=[recommendation.pk])
    page = lawyer.get(url).content.decode()
    assert all(case.reference in page for case in cases)
    assert strict.reference not in page and "Cases linked that you do not see: &lt; 5." in page
    coordinator = signed_in("a-coordinator").get(url).content.decode()
    assert strict.reference in coordinator and "do not see" not in coordinator
    analyst = signed_in("a-analyst").get(url).content.decode()
    assert not any(c.reference in analyst for c in [*cases, strict])
    assert "Cases linked that you do not see: &lt; 5." in analyst
    other = signed_in("b-coordinator").get(url).content.decode()
    assert "No case is linked." in other


def test_a_case_one_does_not_see_cannot_be_linked(world, linked, signed_in):
    recommendation, _cases, strict = linked
    response = signed_in("a-lawyer").post(
        reverse("link_case", args=[recommendation.pk]), {"reference": strict.reference}
    )
    assert response.status_code == 200
    assert "No case of yours has this reference." in response.content.decode()
    with pytest.raises(PermissionError):
        actions.link_case(world.user("a-lawyer"), recommendation, strict)
    b_case = register_case(world.user("b-lawyer"), world.vault("b"), intake_date=date(2024, 1, 1))
    with pytest.raises(PermissionError):
        actions.link_case(world.user("a-lawyer"), recommendation, b_case)


def test_a_link_is_removed(world, linked, signed_in):
    recommendation, cases, _strict = linked
    link = actions.link_case(world.user("a-lawyer"), recommendation, cases[0])
    client = signed_in("a-monitor")
    response = client.post(reverse("unlink_case", args=[recommendation.pk, link.pk]))
    assert response.status_code == 302 and not CaseLink.objects.exists()
