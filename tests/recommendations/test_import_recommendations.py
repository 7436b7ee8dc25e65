"""A coordinator imports UHRI's and UPR Info's exports: re-imports add nothing, broken rows are
reported one by one and never half-imported."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from kuzot.audit.models import AuditEvent
from kuzot.cases.imports import read_table
from kuzot.recommendations import imports
from kuzot.recommendations.models import Document, Mechanism, Position, Recommendation, Theme
from tests.recommendations.fixture import HEADERS, csv_file, uhri_export, uhri_rows, uhri_table


def test_a_uhri_export_imports_whole_and_again_adds_nothing(world):
    coordinator = world.user("a-coordinator")
    report = imports.run_import(coordinator, uhri_table())
    assert report.counts["added"] == 224 and report.counts["rejected"] == 0
    assert Recommendation.objects.count() == 224
    assert Document.objects.count() == 16
    assert set(Document.objects.values_list("country", flat=True)) == {"KG", "KZ", "TJ", "UZ"}
    spt = Document.objects.get(symbol="CAT/OP/KAZ/ROSP/1")
    assert (spt.mechanism, spt.date) == (Mechanism.SPT, date(2025, 4, 7))
    upr = Recommendation.objects.get(document__symbol="A/HRC/29/4", paragraph="117.9")
    assert upr.recommending_state == "France" and upr.document.mechanism == Mechanism.UPR
    themes = set(upr.themes.values_list("name", flat=True))
    assert themes == {
        "Administration of justice & fair trial",
        "Torture and other cruel, inhuman or degrading treatment",
    }
    events = AuditEvent.objects.count()

    again = imports.run_import(coordinator, uhri_table())
    assert again.counts["unchanged"] == 224 and again.counts["added"] == 0
    assert Recommendation.objects.count() == 224 and Theme.objects.count() == 11
    assert AuditEvent.objects.count() == events + 1  # the import's own event, nothing else


def test_a_changed_row_updates_its_recommendation(world):
    coordinator = world.user("a-coordinator")
    imports.run_import(coordinator, uhri_table())
    rows = uhri_rows()
    rows[0][5] = "The State party should act urgently to combat a culture of impunity."
    report = imports.run_import(coordinator, read_table(csv_file(HEADERS, rows), "x.csv"))
    assert report.counts == {
        "rows": 224, "added": 0, "updated": 1, "unchanged": 223, "repeated": 0, "rejected": 0
    }  # fmt: skip
    assert Recommendation.objects.count() == 224
    updated = Recommendation.objects.get(document__symbol="CAT/C/KGZ/CO/2", paragraph="7")
    assert "culture of impunity" in updated.text


def test_broken_rows_are_reported_one_by_one_and_nothing_half_imported(world):
    rows = uhri_rows()[:3]
    broken = [
        ["CAT/C/TKM/CO/9", "4", "CAT", "31.02.2024", "Turkmenistan", "Text", "", "", "", ""],
        ["CAT/C/KGZ/CO/2", "99", "Nobody", "2013-12-20", "Kyrgyzstan", "Text", "", "", "", ""],
        ["CAT/C/KGZ/CO/2", "100", "CAT", "2013-12-20", "Kyrgyzstan", "", "", "", "", ""],
        ["CAT/C/KGZ/CO/2", "101", "CAT", "2013-12-20", "Tajikistan", "Text", "", "", "", ""],
        rows[0],
    ]
    table = read_table(csv_file(HEADERS, rows + broken), "broken.csv")
    report = imports.run_import(world.user("a-coordinator"), table)
    reasons = {row.line: row.reason for row in report.rejected}
    assert set(reasons) == {5, 6, 7, 8, 9}
    assert "Document Publication Date" in reasons[5] and "31.02.2024" in reasons[5]
    assert "Reccomending Body" in reasons[6] and "Nobody" in reasons[6]
    assert "Text of the recommendation is missing" in reasons[7]
    assert "CAT/C/KGZ/CO/2 is a document of Kyrgyzstan" in reasons[8]
    assert reasons[9] == "repeats line 2"
    assert report.counts["added"] == 3
    # The broken rows left nothing behind: no document of theirs, no paragraph.
    assert not Document.objects.filter(symbol="CAT/C/TKM/CO/9").exists()
    assert Recommendation.objects.count() == 3
    rejected = report.rejected_csv().decode("utf-8-sig").splitlines()
    assert rejected[0].endswith("line,reason") and len(rejected) == 6


def test_a_dry_run_writes_nothing_and_says_what_would_happen(world):
    events = AuditEvent.objects.count()
    report = imports.run_import(world.user("a-coordinator"), uhri_table(), dry_run=True)
    assert report.counts["added"] == 224
    assert Recommendation.objects.count() == 0 and Document.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_upr_infos_spreadsheet_imports_without_symbols(world):
    """UPR Info's database exports state, cycle, recommending state, response and issues."""
    book = Workbook()
    sheet = book.active
    sheet.append(["State under Review", "Cycle", "Recommending State", "Recommendation",
                  "Response", "Issues", "Action Category", "Mechanism"])  # fmt: skip
    sheet.append(["Kyrgyzstan", "3rd cycle", "United States of America",
                  "Credibly address allegations of arbitrary detention and torture by "
                  "authorities and uphold obligations under the Convention against Torture",
                  "Supported", "Torture and other CID", 5, "UPR"])  # fmt: skip
    sheet.append(["Kyrgyzstan", "3rd cycle", "Germany", "Ratify the Rome Statute",
                  "Noted", "International instruments", 4, "UPR"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "upr-info.xlsx")
    report = imports.run_import(world.user("a-coordinator"), table)
    assert report.counts["added"] == 2, [r.reason for r in report.rejected]
    found = Recommendation.objects.get(recommending_state="United States of America")
    assert found.document.symbol == "UPR KG 3rd cycle"
    assert (found.position, found.upr_action_category) == (Position.SUPPORTED, 5)
    assert imports.run_import(world.user("a-coordinator"), table).counts["unchanged"] == 2


def test_only_coordinators_import(world):
    with pytest.raises(PermissionError):
        imports.run_import(world.user("a-lawyer"), uhri_table())


def test_the_import_screen_reports_rejected_rows(world, signed_in):
    client = signed_in("a-coordinator")
    rows = [*uhri_rows()[:2], ["CAT/C/KGZ/CO/2", "1", "CAT", "never", "Kyrgyzstan", "T"]]
    upload = io.BytesIO(csv_file(HEADERS, rows))
    upload.name = "uhri.csv"
    page = client.post(reverse("import_recommendations"), {"file": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Added: 2" in text and "Rejected: 1" in text and "“never” is not a date" in text
    assert Recommendation.objects.count() == 2


def test_the_import_screen_refuses_what_it_cannot_read(world, signed_in):
    upload = io.BytesIO(b"just,some\ncolumns,here\n")
    upload.name = "other.csv"
    page = signed_in("a-coordinator").post(reverse("import_recommendations"), {"file": upload})
    assert page.status_code == 200
    assert "No column holds the text of the recommendations." in page.content.decode()


def test_the_command_imports_and_writes_the_rejected_rows(world, tmp_path):
    source = tmp_path / "uhri.csv"
    source.write_bytes(uhri_export() + b"CAT/C/KGZ/CO/2,1,CAT,2013-12-20,Mars,Text\n")
    rejected = tmp_path / "rejected.csv"
    out = io.StringIO()
    call_command(
        "import_recommendations", str(source), "--organisation", "a",
        "--user", "a-coordinator", "--rejected", str(rejected), stdout=out,
    )  # fmt: skip
    assert "added: 224" in out.getvalue() and "line 226" in out.getvalue()
    assert "Mars" in rejected.read_text(encoding="utf-8-sig")
