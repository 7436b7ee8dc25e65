"""The statistics screen: every table with its chart (bars in the table's order, small
multiples for two-way tables, a map for regions), CSV and XLSX downloads, variables named in
the reader's language."""

import csv
import io
from xml.etree import ElementTree

from django.urls import reverse
from openpyxl import load_workbook

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ElementTree.Element]:
    found, rest = [], html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ElementTree.fromstring(rest[start:end]))
        rest = rest[end:]
    return found


def page(client, **query) -> str:
    response = client.get(reverse("statistics"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_year_chart_is_in_the_order_of_the_years(world, ninety_acts, signed_in):
    html = page(signed_in("a-analyst"), rows="year")
    funnel, acts = svgs(html)
    assert funnel.find(f"{SVG}title").text.startswith("The accountability funnel")
    assert acts.find(f"{SVG}desc").text == "2021: 30; 2022: 30; 2023: 30"


def test_a_two_way_table_has_small_multiples(world, ninety_acts, signed_in):
    html = page(signed_in("a-analyst"), rows="sex", columns="age_group")
    chart = svgs(html)[1]
    assert chart.find(f"{SVG}title").text == "Acts by sex and age group"
    headings = [
        "".join(t.itertext()) for t in chart.iter(f"{SVG}text") if t.get("font-weight") == "bold"
    ]
    assert headings and all(h.startswith("sex: ") for h in headings)


def test_regions_are_drawn_on_a_map(world, ninety_acts, signed_in):
    html = page(signed_in("a-coordinator"), rows="region")
    drawn = [s for s in svgs(html) if "map" in s.get("class")]
    assert len(drawn) == 1
    regions = [p.get("data-regions") for p in drawn[0].iter(f"{SVG}path")]
    assert "kg-bishkek" in regions and not any(r.startswith("kz-") for r in regions)


def test_the_table_downloads_as_csv_and_xlsx(world, ninety_acts, signed_in):
    client = signed_in("a-analyst")
    html = page(client, rows="agency")
    assert "format=csv" in html and "format=xlsx" in html
    response = client.get(reverse("statistics"), {"rows": "agency", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="kuzot-statistics.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["alleged perpetrator agency", "Acts", "note"]
    assert rows[-1] == ["Total", "90", ""]
    response = client.get(reverse("statistics"), {"rows": "agency", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()][-1] == ["Total", 90, None]


def test_variables_are_named_in_russian(world, ninety_acts, signed_in, settings):
    client = signed_in("a-analyst")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = page(client, rows="minor", columns="sex")
    assert "несовершеннолетний" in html and ">minor<" not in html
    assert "ethnic_minority" not in html.replace('value="ethnic_minority"', "")
    assert '<th scope="row">нет</th>' in html
