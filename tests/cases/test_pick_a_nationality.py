"""Nationality is a country picked from ISO 3166 by its name in the page's language; an imported
file may write a country by its code or its name in any of Kuzot's languages, and an unknown
one is refused with its row's line and a reason (never saved as two letters that happen to be
another country's code: "Kyrgyzstan" is not KY, the Cayman Islands)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from kuzot.cases import imports
from kuzot.cases.models import Person
from tests.cases.test_register_case import form_data


def option(page: str, code: str) -> str:
    found = re.search(rf'<option value="{code}"[^>]*>([^<]+)</option>', page)
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    "language, kyrgyzstan, cayman",
    [("en", "Kyrgyzstan", "Cayman Islands"), ("ru", "Киргизия", "Каймановы острова")],
)
def test_the_register_form_offers_countries_by_name_in_the_page_language(
    world, signed_in, language, kyrgyzstan, cayman
):
    client = signed_in("a-lawyer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("new_case")).content.decode()
    select = re.search(r'<select name="nationality"[^>]*>(.*?)</select>', page, re.S)
    assert select, "nationality is a picker, not a free text field"
    assert option(select.group(1), "KG") == kyrgyzstan
    assert option(select.group(1), "KY") == cayman
    assert option(select.group(1), "TJ") and option(select.group(1), "DE")
    new_person = client.get(reverse("new_person")).content.decode()
    assert option(new_person, "KG") == kyrgyzstan


def test_a_country_name_typed_instead_of_picked_is_refused_not_cut_to_two_letters(world, signed_in):
    client = signed_in("a-lawyer")
    response = client.post(reverse("new_case"), form_data(nationality="Kyrgyzstan"))
    assert response.status_code == 200
    assert "nationality" in response.context["form"].errors
    assert not Person.objects.exists()

    response = client.post(reverse("new_case"), form_data(nationality="KG"))
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.nationality == "KG"
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Kyrgyzstan" in page


HEADER = "Номер дела;ФИО;Гражданство;Дата обращения\n"


def import_rows(world, nationalities: list[str]):
    body = HEADER + "".join(
        f"R-{n};Person {n};{value};01.02.2024\n" for n, value in enumerate(nationalities)
    )
    table = imports.read_table(body.encode("utf-8"), "register.csv")
    mapping = imports.guess_mapping(table.headers)
    assert mapping[2] == "nationality"
    return imports.run_import(world.user("a-lawyer"), world.vault("a"), table, mapping)


def test_import_reads_countries_by_code_or_by_name_in_any_language(world):
    written = [
        "KG", "kgz", "Kyrgyzstan", "Кыргызстан", "Киргизия", "Kyrgyz Republic",
        "Қирғизистон", "Qirgʻiziston", "Gyrgyzystan", "Қырғызстан",
        "Russia", "Россия", "Казахстан", "Cayman Islands",
    ]  # fmt: skip
    report = import_rows(world, written)
    assert not report.failed, report.failed
    by_name = {person.pk: person.nationality for person in Person.objects.order_by("pk")}
    assert list(by_name.values()) == ["KG"] * 10 + ["RU", "RU", "KZ", "KY"]


def test_import_refuses_an_unknown_country_with_a_clear_reason(world):
    report = import_rows(world, ["Kyrgystan", "XX", "KG"])
    reasons = {row.line: row.reason for row in report.failed}
    assert set(reasons) == {2, 3}
    assert "“Kyrgystan” is not a country" in reasons[2]
    assert "ISO code" in reasons[2] and "“XX” is not a country" in reasons[3]
    assert list(Person.objects.values_list("nationality", flat=True)) == ["KG"]
