"""A form with an error comes back with every typed value, with or without htmx; with htmx
only the form is sent back, and one field can be checked as the user leaves it."""

from django.urls import reverse

from kuzot.cases.models import Case, LegalEvent, Person
from tests.cases.case_screens import a_case, term

TYPED = {
    "full_name": "Жылдыз Бекташева",
    "sex": "F",
    "birth_year": "1850",  # the error: before 1900
    "nationality": "KZ",
    "groups": ["lgbti", "ethnic_minority"],
    "intake_date": "2024-05-06",
    "confidentiality": "strict",
    "reprisal_risk": "high",
    "summary": "Угрожали семье после жалобы",
    "consent_statistics": "yes",
    "consent_statistics_date": "2024-05-07",
    "consent_statistics_manner": "recorded",
}


def assert_kept(html: str) -> None:
    assert 'value="Жылдыз Бекташева"' in html
    assert 'value="1850"' in html and 'value="KZ"' in html and 'value="2024-05-06"' in html
    assert 'value="2024-05-07"' in html
    assert "Угрожали семье после жалобы</textarea>" in html
    for value in ("lgbti", "ethnic_minority"):
        assert f'value="{value}" id="id_groups_' in html
        assert html.split(f'value="{value}"', 1)[1].split(">", 1)[0].count("checked") == 1
    assert html.split('value="minor"', 1)[1].split(">", 1)[0].count("checked") == 0
    for name, value in (
        ("sex", "F"),
        ("confidentiality", "strict"),
        ("reprisal_risk", "high"),
        ("consent_statistics_manner", "recorded"),
    ):
        select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="{value}" selected>' in select, name
    radio = html.split('name="consent_statistics" value="yes"', 1)[1].split(">", 1)[0]
    assert "checked" in radio
    assert "Ensure this value is greater than or equal to 1900." in html


def test_without_javascript_the_page_comes_back_with_everything_typed(world, signed_in):
    response = signed_in("a-lawyer").post(reverse("new_case"), TYPED)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert_kept(html)
    assert "autofocus" in html.split('name="birth_year"', 1)[1].split(">", 1)[0]
    assert not Person.objects.exists() and not Case.objects.exists()


def test_with_htmx_only_the_form_comes_back_with_everything_typed(world, signed_in):
    response = signed_in("a-lawyer").post(
        reverse("new_case"), TYPED, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<form") and "<html" not in html
    assert 'hx-post="/cases/new/"' in html and 'hx-swap="outerHTML"' in html
    assert_kept(html)
    assert not Case.objects.exists()


def test_a_field_is_checked_on_blur_without_saving(world, signed_in):
    data = {**TYPED, "_validate": "birth_year"}
    response = signed_in("a-lawyer").post(reverse("new_case"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div class="field invalid" id="id_birth_year_field"')
    assert "greater than or equal to 1900" in html and 'value="1850"' in html
    assert "autofocus" not in html
    data = {**TYPED, "birth_year": "1990", "_validate": "birth_year"}
    html = (
        signed_in("a-lawyer")
        .post(reverse("new_case"), data, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "invalid" not in html.split(">", 1)[0] and 'value="1990"' in html
    assert not Case.objects.exists() and not Person.objects.exists()


def test_a_legal_event_with_an_amount_but_no_currency_keeps_its_values(world, signed_in):
    case = a_case(world)
    typed = {
        "kind": "compensation_awarded",
        "date": "2024-07-01",
        "body": str(term("complaint_body", "court").pk),
        "article": "143-1",
        "outcome": "granted",
        "amount": "250000",
        "currency": "",
        "sentence": "",
        "next_date": "2024-08-01",
        "notes": "Решение суда первой инстанции",
    }
    for headers in ({}, {"HX-Request": "true"}):
        response = signed_in("a-lawyer").post(
            reverse("new_event", args=[case.pk]), typed, headers=headers
        )
        html = response.content.decode()
        assert "An amount needs its currency." in html
        assert 'value="250000"' in html and 'value="143-1"' in html
        assert 'value="2024-07-01"' in html and 'value="2024-08-01"' in html
        assert "Решение суда первой инстанции</textarea>" in html
        assert '<option value="compensation_awarded" selected>' in html
        assert f'<option value="{typed["body"]}" selected>' in html
    assert not LegalEvent.objects.exists()
