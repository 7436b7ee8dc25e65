"""A coordinator downloads the follow-up report for CAT / Tajikistan as DOCX and PDF, in English
and Russian: every recommendation is in it with its assessments, and no case."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from kuzot.cases.actions import register_case
from kuzot.recommendations import actions


@pytest.fixture
def tajikistan(world):
    coordinator = world.user("a-coordinator")
    made = []
    for symbol, when, paragraph, text, text_ru in [
        ("CAT/C/TJK/CO/3", date(2018, 6, 18), "8", "Combat the culture of impunity.",
         "Бороться с культурой безнаказанности."),
        ("CAT/C/TJK/CO/3", date(2018, 6, 18), "18", "Guarantee fundamental legal safeguards.",
         "Гарантировать основные правовые гарантии."),
        ("CAT/C/TJK/CO/2", date(2013, 1, 21), "9", "Act urgently against impunity.",
         "Срочно принять меры против безнаказанности."),
    ]:  # fmt: skip
        found, _ = actions.save_recommendation(
            coordinator,
            {"symbol": symbol, "mechanism": "cat", "country": "TJ", "date": when,
             "paragraph": paragraph, "text": text, "text_ru": text_ru, "position": "noted"},
        )  # fmt: skip
        made.append(found)
    actions.save_recommendation(
        coordinator,
        {"symbol": "A/HRC/39/7", "mechanism": "upr", "country": "UZ", "text": "Other country."},
    )
    actions.record_assessment(
        coordinator,
        world.vault("a"),
        made[0],
        status="partial",
        assessor="body",
        date=date(2025, 5, 23),
        source="CAT/C/TJK/Q/4",
        evidence="Only 4 convictions for 89 complaints.",
    )
    actions.plan_action(
        coordinator,
        world.vault("a"),
        made[1],
        what="Draft a law on legal aid",
        lead_institution="Ministry of Justice",
    )
    case = register_case(coordinator, world.vault("a"), intake_date=date(2024, 1, 1))
    actions.link_case(coordinator, made[0], case)
    return made, case


def download(client, **query):
    response = client.get(
        reverse("follow_up_report"), {"mechanism": "cat", "country": "TJ", **query}
    )
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_docx_holds_every_recommendation_and_its_table(world, tajikistan, signed_in, language):
    made, case = tajikistan
    data = download(signed_in("a-coordinator"), file_format="docx", language=language).content
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    for recommendation in made:
        assert str(recommendation) in text
        assert (recommendation.text_ru if language == "ru" else recommendation.text) in text
    assert "A/HRC/39/7" not in text and case.reference not in text
    assert len(document.tables) == 3
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Only 4 convictions" in " ".join(cells)
    if language == "ru":
        assert "Доклад о последующих мерах" in document.paragraphs[0].text
        assert "выполнена частично" in cells and "Позиция государства: принята к сведению" in text
    else:
        assert "partially implemented" in cells and "Ministry of Justice" in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_pdf_renders(world, tajikistan, signed_in, language):
    made, _case = tajikistan
    data = download(signed_in("a-coordinator"), file_format="pdf", language=language).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert all(str(r) in text for r in made) and "Only 4 convictions" in text
    assert ("Бороться с культурой" if language == "ru" else "Combat the culture") in text


def test_an_analyst_gets_the_report_without_the_sealed_texts(world, tajikistan, signed_in):
    data = download(signed_in("a-analyst"), file_format="docx", language="en").content
    document = Document(io.BytesIO(data))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "partially implemented" in cells and "CAT/C/TJK/Q/4" in cells
    assert "Only 4 convictions" not in cells
