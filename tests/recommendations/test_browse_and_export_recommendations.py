"""A lawyer finds recommendations by mechanism, country, theme, status and words (Russian or
English), and downloads them as CSV or XLSX that read back and never hold a formula."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from kuzot.cases.imports import read_table
from kuzot.recommendations import actions, imports
from kuzot.recommendations.models import Recommendation, Theme
from tests.recommendations.fixture import uhri_table


def listed(client, **filters) -> str:
    return client.get(reverse("recommendations"), filters).content.decode()


def test_filters_narrow_the_list(world, signed_in):
    imports.run_import(world.user("a-coordinator"), uhri_table())
    actions.save_recommendation(
        world.user("a-lawyer"),
        {"symbol": "CAT/C/TJK/CO/3", "mechanism": "cat", "country": "TJ", "paragraph": "40",
         "text": "The State party should ensure prompt investigations.",
         "text_ru": "Государству-участнику следует обеспечить безотлагательные расследования."},
    )  # fmt: skip
    tajik = Recommendation.objects.get(document__symbol="CAT/C/TJK/CO/3", paragraph="12")
    actions.record_assessment(
        world.user("a-lawyer"),
        world.vault("a"),
        tajik,
        status="partial",
        assessor="ngo",
        date=date(2024, 1, 1),
    )
    client = signed_in("a-lawyer")
    assert "225 recommendations" in listed(client)
    assert "43 recommendations" in listed(client, country="TJ")
    assert "14 recommendations" in listed(client, mechanism="spt")
    impunity = Theme.objects.get(name="Impunity")
    assert "16 recommendations" in listed(client, theme=impunity.pk)
    partial = listed(client, status="partial")
    assert "1 recommendation" in partial and "CAT/C/TJK/CO/3, para. 12" in partial
    assert "224 recommendations" in listed(client, status="none")
    found = listed(client, q="БЕЗОТЛАГАТЕЛЬНЫЕ расследования")
    assert "1 recommendation" in found and "CAT/C/TJK/CO/3, para. 40" in found
    assert "16 recommendations" in listed(client, q="Hazing conscripts")
    # Another organisation does not see organisation A's private assessment.
    assert "0 recommendations" in listed(signed_in("b-lawyer"), status="partial")


def test_the_export_reads_back_and_holds_no_formula(world, signed_in):
    lawyer = world.user("a-lawyer")
    actions.save_recommendation(
        lawyer,
        {"symbol": "CAT/C/KGZ/CO/3", "mechanism": "cat", "country": "KG", "paragraph": "=1+1",
         "text": "=HYPERLINK(\"http://evil.example\")", "themes": ["@risk"]},
    )  # fmt: skip
    client = signed_in("a-lawyer")
    data = client.get(reverse("export_recommendations", args=["csv"])).content
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'=1+1" in text and "'@risk" in text
    book = client.get(reverse("export_recommendations", args=["xlsx"])).content
    sheet = load_workbook(io.BytesIO(book)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.startswith(("=", "@", "+", "-")) for c in cells)
    # The export's columns are the import's: a re-import finds the recommendation.
    source = read_table(
        "\n".join(text.splitlines()).replace("'=", "=").replace("'@", "@").encode(), "x.csv"
    )
    report = imports.run_import(world.user("a-coordinator"), source)
    assert report.counts["unchanged"] == 1, [r.reason for r in report.rejected]


def test_the_matrix_counts_a_countrys_recommendations_by_theme_and_mechanism(world, signed_in):
    imports.run_import(world.user("a-coordinator"), uhri_table())
    impunity = Recommendation.objects.get(document__symbol="CAT/C/KGZ/CO/3", paragraph="14")
    actions.record_assessment(
        world.user("a-lawyer"), world.vault("a"), impunity, status="not_implemented",
        assessor="ngo", date=date(2024, 1, 1),
    )  # fmt: skip
    page = signed_in("a-analyst").get(reverse("recommendation_matrix"), {"country": "KG"})
    text = page.content.decode()
    assert "Recommendations to Kyrgyzstan by theme and mechanism" in text
    row = text[text.index('<th scope="row">Impunity</th>') :].split("</tr>")[0]
    # CAT/C/KGZ/CO/2 and CO/3, CCPR/C/KGZ/CO/3 and the UPR's A/HRC/29/4: one paragraph each.
    assert "2</a>: 1 not implemented, 1 not assessed" in row
    assert row.count("1</a>: 1 not assessed") == 2
    assert "Universal Periodic Review" in text and "Subcommittee" not in text
