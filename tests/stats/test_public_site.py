"""The public site: published snapshots in six languages, light, with CSV, XLSX and an
embeddable chart."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kuzot.stats.actions import publish
from kuzot.stats.downloads import records
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


def test_csv_and_xlsx_start_with_the_header_and_leave_withheld_numbers_empty(client, publication):
    response = client.get(reverse("public_csv", args=[publication.slug, "agency"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["alleged perpetrator agency", "Acts", "note"]  # no title line
    assert rows[-1] == ["Total", "90", ""]
    for table in publication.content["tables"]:  # withheld numbers: empty, with the reason
        response = client.get(reverse("public_csv", args=[publication.slug, table["name"]]))
        for row in list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]:
            number, note = row[-2:]
            assert number.isdigit() or (number == "" and note.startswith("withheld: fewer than 5"))
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("public_xlsx", args=[publication.slug, "agency"])).content)
    ).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0] and cells[-1] == ["Total", 90, None]
    assert [row[1] for row in cells[1:]] == [int(r[1]) if r[1] else None for r in rows[1:]]


def test_a_withheld_number_is_an_empty_cell_with_its_reason():
    table = {
        "name": "year",
        "dims": ["year"],
        "categories": [["2021", "2022"]],
        "cells": [[["2021"], 12], [["2022"], None], [[None], 15]],
    }
    assert records(table, "withheld: fewer than 5") == [
        ["year", "Acts", "note"],
        ["2021", 12, ""],
        ["2022", None, "withheld: fewer than 5"],
        ["Total", 15, ""],
    ]


def test_a_two_way_table_downloads_one_row_per_cell(client, publication):
    response = client.get(reverse("public_csv", args=[publication.slug, "year_country"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["year", "country", "Acts", "note"]
    assert ["2022", "Kyrgyzstan", "30", ""] in rows
    assert ["2022", "Total", "30", ""] in rows and ["Total", "Total", "90", ""] in rows


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
