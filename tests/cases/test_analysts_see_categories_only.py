"""Analysts count; they never read free text. A case's page shows them its categories (dates,
region, agency, act types, stage) and none of what was typed: district, unit, perpetrators,
article, sentence, notes, summary, or the reference it was imported under. Identity roles read
all of it, and every free text is stored sealed."""

from datetime import date

from django.urls import reverse

from kuzot.cases import imports
from kuzot.cases.actions import add_allegation, record_legal_event
from kuzot.cases.models import Allegation, Case, LegalEvent
from tests.cases.case_screens import a_case, term

FREE_TEXT = {
    "district": "село Арашан",
    "unit": "опер Бекмуратов",
    "perpetrators": "сержант Исаев",
    "description": "Били дубинкой",
    "article": "ст. 143-1",
    "sentence": "Исаеву 3 года",
    "notes": "Судья Маматов",
}


def a_case_with_every_free_text(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world, summary="Сводка по делу")
    add_allegation(
        lawyer,
        vault,
        case,
        date=date(2024, 2, 1),
        act_types=[term("act_type", "beating")],
        region=term("region", "kg-osh"),
        agency=term("agency", "police"),
        **{k: FREE_TEXT[k] for k in ("district", "unit", "perpetrators", "description")},
    )
    record_legal_event(
        lawyer,
        vault,
        case,
        kind="conviction_lesser",
        date=date(2024, 6, 1),
        **{k: FREE_TEXT[k] for k in ("article", "sentence", "notes")},
    )
    return case


def test_the_analyst_reads_categories_and_no_free_text_on_a_case_page(world, signed_in):
    case = a_case_with_every_free_text(world)
    page = signed_in("a-analyst").get(reverse("case", args=[case.pk])).content.decode()
    assert "Beating" in page and "Osh" in page and "Police (internal affairs)" in page
    for text in [*FREE_TEXT.values(), "Сводка по делу"]:
        assert text not in page, text


def test_identity_roles_read_every_free_text(world, signed_in):
    case = a_case_with_every_free_text(world)
    page = signed_in("a-lawyer").get(reverse("case", args=[case.pk])).content.decode()
    for text in [*FREE_TEXT.values(), "Сводка по делу"]:
        assert text in page, text


def test_free_text_is_stored_sealed(world):
    a_case_with_every_free_text(world)
    act, event = Allegation.objects.get(), LegalEvent.objects.get()
    for record, field in [
        (act, "district"),
        (act, "unit"),
        (event, "article"),
        (event, "sentence"),
    ]:
        stored = bytes(getattr(record, field))
        assert FREE_TEXT[field].encode() not in stored and stored[0] == 1  # a sealed value


def test_an_imported_reference_is_shown_to_identity_roles_only(world, signed_in):
    register = (
        "Номер дела;Дата обращения;ФИО\nДело Исаева 7/2020;01.03.2020;Исаев Бакыт\n"
    ).encode()
    table = imports.read_table(register, "register.csv")
    imports.run_import(
        world.user("a-lawyer"), world.vault("a"), table, imports.guess_mapping(table.headers)
    )
    case = Case.objects.get()
    assert case.reference == "KG-2020-0001"
    url = reverse("case", args=[case.pk])
    assert "Дело Исаева 7/2020" in signed_in("a-lawyer").get(url).content.decode()
    assert "Дело Исаева 7/2020" not in signed_in("a-analyst").get(url).content.decode()
