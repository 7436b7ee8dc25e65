"""Exports: names only for identity roles who ask, and only where documentation consent is in
force; analysts get categories only; every export is audited."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import add_allegation, record_consent, register_case, register_person
from kuzot.cases.models import Case, Consent, Term
from tests.conftest import PASSWORD

CONSENTING, REFUSING, SILENT = "Айгуль Консентова", "Бакыт Отказов", "Эрлан Молчанов"


@pytest.fixture
def cases(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    made = {}
    for name, documentation in ((CONSENTING, True), (REFUSING, False), (SILENT, None)):
        person = register_person(lawyer, vault, full_name=name, sex="F", birth_year=1987)
        consents = {}
        if documentation is not None:
            consents["documentation"] = (documentation, date(2024, 1, 5), "written")
        case = register_case(
            lawyer,
            vault,
            intake_date=date(2024, 1, 5),
            victim=person,
            summary=f"Рассказ {name}",
            consents=consents,
        )
        add_allegation(
            lawyer,
            vault,
            case,
            date=date(2023, 12, 30),
            act_types=[Term.objects.get(vocabulary="act_type", code="beating")],
            region=Term.objects.get(vocabulary="region", code="kg-chuy"),
            district="Сокулук",
        )
        made[name] = case
    # A later withdrawal wins over the consent before it.
    record_consent(
        lawyer, made[SILENT], scope="documentation", given=True, when=date(2024, 1, 6),
        manner="oral",
    )  # fmt: skip
    record_consent(
        lawyer, made[SILENT], scope="documentation", given=False, when=date(2024, 2, 1),
        manner="written",
    )  # fmt: skip
    return made


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_names_only_where_documentation_consent_is_in_force(world, cases, signed_in):
    client = signed_in("a-lawyer")
    response = client.get(reverse("case_export_csv") + "?identities=1")
    assert response.status_code == 200
    rows = {row["reference"]: row for row in read_csv(response.content)}
    assert rows[cases[CONSENTING].reference]["full_name"] == CONSENTING
    assert rows[cases[CONSENTING].reference]["summary"] == f"Рассказ {CONSENTING}"
    assert rows[cases[REFUSING].reference]["full_name"] == ""
    assert rows[cases[SILENT].reference]["full_name"] == ""
    assert REFUSING not in response.content.decode()
    assert rows[cases[CONSENTING].reference]["region"] == "Chuy"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("id")
    assert event.actor == world.user("a-lawyer")
    assert event.detail["with_names"] == [cases[CONSENTING].pk] and event.detail["cases"] == 3


def test_without_asking_no_names_at_all(world, cases, signed_in):
    response = signed_in("a-coordinator").get(reverse("case_export_csv"))
    rows = read_csv(response.content)
    assert len(rows) == 3 and "full_name" not in rows[0] and "summary" not in rows[0]
    assert CONSENTING not in response.content.decode()


def test_analysts_get_statistics_only_even_when_they_ask_for_names(world, cases, signed_in):
    client = signed_in("a-analyst")
    response = client.get(reverse("case_export_xlsx") + "?identities=1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values[0]
    assert "full_name" not in header and "reference" not in header and "district" not in header
    assert header[:2] == ["intake_year", "act_year"]
    text = repr(values)
    for name in (CONSENTING, REFUSING, SILENT, "Сокулук", "Рассказ"):
        assert name not in text
    assert len(values) == 4
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("id")
    assert event.detail["export"] == "statistics" and event.detail["with_names"] == []


def test_strictly_confidential_cases_only_for_their_lawyer_and_the_coordinator(
    world, cases, signed_in
):
    Case.objects.filter(pk=cases[REFUSING].pk).update(confidentiality=Case.Confidentiality.STRICT)
    rows = read_csv(signed_in("a-monitor").get(reverse("case_export_csv")).content)
    assert cases[REFUSING].reference not in {row["reference"] for row in rows}
    rows = read_csv(signed_in("a-coordinator").get(reverse("case_export_csv")).content)
    assert cases[REFUSING].reference in {row["reference"] for row in rows}


def test_another_organisation_exports_none_of_these(world, cases, signed_in):
    rows = read_csv(signed_in("b-coordinator").get(reverse("case_export_csv")).content)
    assert rows == []


def test_kuzot_export_asks_for_the_password_and_writes_the_file(world, cases, tmp_path):
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    out = tmp_path / "cases.xlsx"
    call_command(
        "export", organisation="a", user="a-lawyer", password_file=password, format="xlsx",
        out=out, identities=True,
    )  # fmt: skip
    header, *rows = load_workbook(out, read_only=True).active.iter_rows(values_only=True)
    names = [row[header.index("full_name")] for row in rows]
    assert sorted(n for n in names if n) == [CONSENTING]
    assert Consent.objects.count() == 4


def test_an_export_can_be_imported_again(world, cases, tmp_path):
    """The register's layout is the import's: an export of one organisation imports as is."""
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    out = tmp_path / "cases.csv"
    call_command(
        "export", organisation="a", user="a-lawyer", password_file=password, format="csv",
        out=out, identities=True,
    )  # fmt: skip
    from kuzot.cases import imports

    table = imports.read_table(out.read_bytes(), "cases.csv")
    mapping = imports.guess_mapping(table.headers)
    assert mapping == [c if c != "stage" else "" for c in table.headers]
    report = imports.check_rows(world.user("a-lawyer"), world.vault("a"), table, mapping)
    # The same references exist: refused as taken, not written twice.
    assert len(report.failed) == 3 and "already the reference" in report.failed[0].reason
