"""A coordinator assesses a recommendation: the organisation sees it, another organisation does
not until it is public, and the public scorecard shows it in every public language."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from kuzot.recommendations import actions
from kuzot.recommendations.models import Assessment, Recommendation


@pytest.fixture
def recommendation(world) -> Recommendation:
    found, _outcome = actions.save_recommendation(
        world.user("a-coordinator"),
        {
            "symbol": "CAT/C/KGZ/CO/3",
            "mechanism": "cat",
            "country": "KG",
            "date": date(2021, 12, 21),
            "paragraph": "12",
            "text": "The State party should ensure that complaints of torture are investigated.",
            "text_ru": "Государству-участнику следует обеспечить расследование жалоб на пытки.",
            "follow_up": True,
            "follow_up_deadline": date(2022, 12, 3),
        },
    )
    return found


def assess(client: Client, recommendation: Recommendation, **extra):
    data = {
        "status": "partial",
        "assessor": "ngo",
        "date": "2024-05-02",
        "source": "Coalition's alternative report",
        "evidence": "Of 40 complaints in 2023, 3 reached a court.",
        **extra,
    }
    return client.post(reverse("assess_recommendation", args=[recommendation.pk]), data)


def test_the_assessment_is_the_organisations_own_until_public(world, recommendation, signed_in):
    response = assess(signed_in("a-coordinator"), recommendation)
    assert response.status_code == 302
    own = signed_in("a-lawyer").get(reverse("recommendation", args=[recommendation.pk]))
    assert "Of 40 complaints in 2023" in own.content.decode()
    analyst = signed_in("a-analyst").get(reverse("recommendation", args=[recommendation.pk]))
    assert "partially implemented" in analyst.content.decode()
    assert "Of 40 complaints in 2023" not in analyst.content.decode()
    other = signed_in("b-lawyer").get(reverse("recommendation", args=[recommendation.pk]))
    assert "Of 40 complaints in 2023" not in other.content.decode()
    scorecard = Client().get(reverse("public_scorecard", args=["kg"])).content.decode()
    assert "partially implemented" not in scorecard and "not assessed" in scorecard


def test_a_public_assessment_shows_on_the_scorecard_in_kyrgyz(world, recommendation, signed_in):
    assess(signed_in("a-coordinator"), recommendation, public="on", status="not_implemented")
    visitor = Client()
    visitor.cookies["django_language"] = "ky"
    page = visitor.get(reverse("public_scorecard", args=["kg"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'lang="ky"' in text and "CAT/C/KGZ/CO/3, para. 12" in text
    assert "Кыргызстан үчүн сунуштар" in text and "аткарылган эмес" in text
    assert "<script" not in text
    assert "2024" in text
    download = visitor.get(reverse("public_scorecard_file", args=["kg", "csv"]))
    rows = download.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].endswith(",not_implemented,2024-05-02")
    assert "Of 40 complaints" not in download.content.decode("utf-8-sig")


def test_a_bad_assessment_is_refused_with_a_message(world, recommendation, signed_in):
    response = assess(signed_in("a-monitor"), recommendation, date="2999-01-01")
    assert response.status_code == 200
    assert "This date is in the future." in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_follow_up_deadline_is_on_the_home_page_until_implemented(
    world, recommendation, signed_in
):
    client = signed_in("a-lawyer")
    assert "CAT/C/KGZ/CO/3, para. 12" in client.get(reverse("home")).content.decode()
    calendar = client.get(reverse("follow_up_calendar")).content.decode()
    assert "CAT/C/KGZ/CO/3, para. 12" in calendar and "overdue" in calendar
    actions.record_assessment(
        world.user("a-lawyer"),
        world.vault("a"),
        recommendation,
        status="implemented",
        assessor="body",
        date=date(2024, 1, 10),
    )
    assert "CAT/C/KGZ/CO/3, para. 12" not in client.get(reverse("home")).content.decode()
    # Another organisation's private assessment does not close it for organisation B.
    b_home = signed_in("b-lawyer").get(reverse("home")).content.decode()
    assert "CAT/C/KGZ/CO/3, para. 12" in b_home


def test_the_text_is_read_in_russian(world, recommendation, signed_in):
    client = signed_in("a-lawyer")
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("recommendations")).content.decode()
    assert "Государству-участнику следует обеспечить" in page


def test_the_evidence_reads_after_a_key_rotation(world, recommendation, tmp_path):
    from tests.accounts.test_key_rotation_and_recovery import rotate_with_password
    from tests.conftest import sign_in

    actions.record_assessment(
        world.user("a-lawyer"), world.vault("a"), recommendation, status="partial",
        assessor="ngo", date=date(2024, 5, 2), evidence="Three of forty complaints reached court.",
    )  # fmt: skip
    before = bytes(Assessment.objects.get().evidence)
    rotate_with_password(tmp_path)
    assert bytes(Assessment.objects.get().evidence) != before
    page = sign_in(Client(), world.user("a-lawyer")).get(
        reverse("recommendation", args=[recommendation.pk])
    )
    assert "Three of forty complaints reached court." in page.content.decode()
