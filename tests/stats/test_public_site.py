"""The public site: published snapshots in six languages, light, with CSV, XLSX and an
embeddable chart."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kuzot.stats.actions import publish
from tests.jobs import worker


@pytest.fixture
def publication(world, ninety_acts):
    return publish(
        world.user("a-coordinator"),
        title="Kyrgyzstan 2021-2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=["year_country", "agency", "region", "act_type"],
    )


@pytest.mark.parametrize("language", ["en", "ru", "ky", "kk", "tg", "uz", "tk"])
def test_a_publication_page_in_every_language_is_light_and_needs_no_javascript(
    client, settings, publication, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("public_publication", args=[publication.slug]))
    html = response.content.decode()
    assert response.status_code == 200 and f'<html lang="{language}">' in html
    assert "<script" not in html
    assert len(response.content) < 200 * 1024
    assert "Kyrgyzstan 2021-2023" in html and "<svg" in html and "<caption>" in html


def test_the_page_shows_only_the_protected_numbers(client, publication):
    html = client.get(reverse("public_publication", args=[publication.slug])).content.decode()
    agency = next(t for t in publication.content["tables"] if t["name"] == "agency")
    for _labels, value in agency["cells"]:
        if value is not None and value >= publication.threshold:
            assert f"<td>{value}</td>" in html
    assert "–" in html  # something is withheld in this register


def test_csv_and_xlsx_carry_the_same_numbers_and_the_footnote(client, publication):
    response = client.get(reverse("public_csv", args=[publication.slug, "agency"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Acts by alleged perpetrator agency"]
    assert rows[1][0] == "alleged perpetrator agency"
    assert rows[-2][0] == "Total" and rows[-2][1] == "90"
    assert rows[-1][0].startswith("– fewer than 5")
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("public_xlsx", args=[publication.slug, "agency"])).content)
    ).active
    assert [c.value for c in sheet[len(rows) - 1]] == rows[-2]


def test_a_chart_can_be_embedded_on_other_websites(client, publication):
    response = client.get(reverse("public_chart", args=[publication.slug, "region"]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.content.startswith(b"<svg")


def test_the_index_lists_publications_and_unknown_ones_are_404(client, publication):
    assert publication.title in client.get(reverse("public_index")).content.decode()
    assert client.get(reverse("public_publication", args=["nope"])).status_code == 404
    assert client.get(reverse("public_csv", args=[publication.slug, "nope"])).status_code == 404


def test_a_coordinator_previews_then_publishes(world, ninety_acts, signed_in):
    client = signed_in("a-coordinator")
    form = {
        "title": "Preview test",
        "year_from": 2021,
        "year_to": 2023,
        "tables": ["agency", "region"],
        "threshold": 5,
        "rounding_base": "",
    }
    preview = client.post(reverse("publications"), {**form, "preview": ""})
    assert "Nothing is published yet" in preview.content.decode()
    job = worker.finish(client, client.post(reverse("publications"), {**form, "publish": ""}))
    assert "/public/preview-test-" in job.result_url
    assert "Preview test" in client.get(job.result_url).content.decode()


def test_the_coalition_view_withholds_other_organisations_small_numbers(
    world, ninety_acts, signed_in
):
    client = signed_in("b-coordinator")
    client.post(reverse("statistics") + "?coalition=on", {"refresh": ""})
    page = client.get(reverse("statistics"), {"coalition": "on"}).content.decode()
    assert "Statistics of the coalition" in page and "–" in page
