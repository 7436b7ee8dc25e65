"""The annual report renders as a PDF whose text carries the expected figures."""

import io

from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from tests.jobs import worker


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_english_report_has_the_new_cases_funnel_and_cat_table(world, ninety_acts, tmp_path):
    out = tmp_path / "report.pdf"
    call_command(
        "report", year=2022, organisation="a", language="en", out=out, title="Organisation A — 2022"
    )
    text = text_of(out.read_bytes())
    assert "Organisation A — 2022" in text
    assert "New cases by year and country" in text
    # 30 cases a year, 2021 to 2023, all in Kyrgyzstan.
    assert "Kyrgyzstan" in text and "30" in text
    assert "allegations documented 30" in text
    assert "What the Committee against Torture asks states to report" in text
    assert "by sex" in text and "by nationality" in text


def test_the_russian_report_speaks_russian(world, ninety_acts, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", year=2022, organisation="a", language="ru", out=out)
    text = text_of(out.read_bytes())
    assert "Кыргызстан" in text and "Новые дела" in text


def test_coordinators_download_it_and_the_export_is_audited(world, ninety_acts, signed_in):
    client = signed_in("a-coordinator")
    assert "Make the report" in client.get(reverse("report", args=[2022])).content.decode()
    job = worker.finish(client, client.post(reverse("report", args=[2022]), {"language": "en"}))
    assert "The annual report for 2022 is ready." in job.outcome
    response = client.get(reverse("job_output", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Organisation A — 2022" in text_of(response.content)


def test_each_table_is_titled_once_charted_and_never_left_behind_its_heading(
    world, ninety_acts, tmp_path
):
    out = tmp_path / "report.pdf"
    call_command("report", year=2022, organisation="a", language="en", out=out)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages]
    text = "\n".join(pages)
    assert text.count("Acts by alleged perpetrator agency") == 1  # a heading, no caption too
    assert text.count("New cases by year and country") == 1
    # Each agency's name: once in its table, once under its bar in the chart.
    assert text.count("Police (internal affairs)") == 2
    headings = ["New cases by year and country", "From complaint to redress", "Acts by region"]
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip() and not line.isdigit()]
        assert lines[-1] not in headings  # a heading never ends a page


def test_the_russian_coalition_report_names_the_coalition_in_russian(world, ninety_acts, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", year=2022, language="ru", out=out)
    assert "Коалиция — 2022" in text_of(out.read_bytes())
