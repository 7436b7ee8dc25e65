"""A 10,000-row register with 3 % bad rows: every good row in, every bad row reported with its
line and reason and kept in the rejected file, and a second import adds nothing."""

import csv
import io
from datetime import date

import pytest

from kuzot.accounts.vault import sealed_context
from kuzot.audit.log import verify
from kuzot.audit.models import AuditEvent
from kuzot.cases import actions, imports
from kuzot.cases.models import Allegation, Case, CaseParty, Consent, LegalEvent, NameToken, Person
from tests.cases import register_sample
from tests.conftest import planner_statistics

REASON_OF = {
    "bad date": "Дата обращения: “31.02.2020” is not a date",
    "unknown region": "Регион: “Атлантида” is not a known term",
    "missing name": "ФИО: missing",
    "unknown act type": "Вид пыток: “щекотка” is not a known term",
    "future birth": "Год рождения:",
}


def run(world, data: bytes | imports.Table, name: str = "", **options):
    table = data if isinstance(data, imports.Table) else imports.read_table(data, name)
    mapping = imports.guess_mapping(table.headers)
    assert not imports.check_mapping(mapping)
    return imports.run_import(world.user("a-lawyer"), world.vault("a"), table, mapping, **options)


def rejected_rows(report) -> dict[int, dict]:
    reader = csv.DictReader(io.StringIO(report.rejected_csv().decode("utf-8-sig")))
    return {int(row["line"]): row for row in reader}


def test_ten_thousand_rows_good_in_bad_reported_and_kept_second_import_adds_nothing(world):
    data, bad = register_sample.xlsx(10_000)
    assert len(bad) == 300
    table = imports.read_table(data, "register.xlsx")

    dry = run(world, table, dry_run=True)
    assert dry.counts == {
        "rows": 10_000, "good": 9_700, "imported": 0, "already_imported": 0, "failed": 300,
    }  # fmt: skip
    assert not Case.objects.exists()

    report = run(world, table)
    assert report.counts["imported"] == 9_700
    assert {row.line: row.reason for row in report.failed}.keys() == bad.keys()
    for row in report.failed:
        assert REASON_OF[bad[row.line]] in row.reason, (row.line, row.reason)

    organisation = world.orgs["a"]
    assert Case.objects.filter(organisation=organisation).count() == 9_700
    assert Person.objects.filter(organisation=organisation).count() == 9_700
    assert CaseParty.objects.filter(case__organisation=organisation).count() == 9_700
    assert Allegation.objects.filter(organisation=organisation).count() == 9_700
    assert NameToken.objects.filter(organisation=organisation).count() >= 9_700 * 2
    assert not Case.objects.filter(import_key="").exists()
    # Every record created has its own audit event; the chain holds.
    for model in (Person, Case, Allegation, LegalEvent):
        created = AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATE, object_type=model._meta.label_lower
        ).count()
        assert created == model.objects.count()
    checked, problems = verify()
    assert not problems and checked > 9_700 * 3

    kept = rejected_rows(report)
    assert kept.keys() == bad.keys()
    rows, _ = register_sample.rows(10_000)
    for line, row in kept.items():
        original = rows[line - 2]
        assert row["Номер дела"] == original[0]
        assert row["reason"]

    again = run(world, table)
    assert again.counts["imported"] == 0
    assert again.counts["already_imported"] == 9_700
    assert all(row.reason == "already imported" for row in again.already)
    assert len(again.failed) == 300
    assert Case.objects.filter(organisation=organisation).count() == 9_700


def test_a_row_is_read_as_the_spreadsheet_said(world):
    data, _ = register_sample.xlsx(30)
    run(world, data, "register.xlsx")
    rows, _ = register_sample.rows(30)
    org_vault = world.vault("a")
    fingerprint = imports.import_fingerprint(world.orgs["a"].pk, {"reference": rows[0][0]})
    case = Case.objects.get(import_key=actions.import_key(org_vault, fingerprint))
    # Numbered by Kuzot; the register's own reference is kept sealed.
    assert case.reference.startswith(f"KG-{rows[0][1].year}-")
    context = sealed_context(Case, "external_reference")
    assert org_vault.open(case.external_reference, context) == rows[0][0]
    assert case.intake_date == rows[0][1]  # an Excel date cell
    allegation = case.allegations.get()
    assert allegation.region.code == "kg-batken"  # "Баткенская обл."
    assert {t.code for t in allegation.act_types.all()} == {"beating"}
    assert allegation.agency.code == "police"
    assert case.consents.get(scope=Consent.Scope.DOCUMENTATION).given is True
    complaint = LegalEvent.objects.get(case=case, kind=LegalEvent.Kind.COMPLAINT_LODGED)
    assert complaint.date == date(2018, 8, 19) and complaint.body.code == "prosecutor"
    assert case.stage == "complaint_lodged" and case.complaint_on == date(2018, 8, 19)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("utf-8-sig", ","), ("utf-8", ";"), ("cp1251", ",")],
)
def test_csv_in_windows_1251_or_utf8_with_semicolons_or_commas(world, encoding, delimiter):
    data, bad = register_sample.csv_bytes(300, encoding=encoding, delimiter=delimiter)
    report = run(world, data, "register.csv")
    assert report.counts["imported"] == 300 - len(bad)
    assert {row.line for row in report.failed} == set(bad)
    assert run(world, data, "register.csv").counts["imported"] == 0


def test_an_import_leaves_the_planner_statistics_of_what_it_wrote(world):
    data, _bad = register_sample.csv_bytes(300, encoding="utf-8", delimiter=";")
    run(world, data, "register.csv")
    for model in (Case, Allegation, Person, CaseParty):
        assert planner_statistics(model._meta.db_table) > 0, model


def test_rows_without_reference_are_recognised_by_their_content(world):
    text = (
        "ФИО;Дата обращения;Регион;Вид пыток;Дата пыток\n"
        "Иванов Иван;01.02.2023;Бишкек;Избиение, Угрозы убийством;2023-01-20\n"
        "Петров Пётр;45000;Чуйская область;beating;01.2023\n"
    ).encode("cp1251")
    first = run(world, text, "r.csv")
    assert first.counts["imported"] == 2
    references = sorted(Case.objects.values_list("reference", flat=True))
    assert references == ["KG-2023-0001", "KG-2023-0002"]
    petrov = Allegation.objects.get(region__code="kg-chuy")
    assert petrov.date_precision == "month" and petrov.date == date(2023, 1, 1)
    assert run(world, text, "r.csv").counts["already_imported"] == 2


def test_values_and_headers_in_english_or_russian():
    assert imports.guess_mapping(["Full name", "Intake date", "Region", "Act types", "Agency"]) == [
        "full_name", "intake_date", "region", "act_types", "agency",
    ]  # fmt: skip
    assert imports.guess_mapping(["ФИО", "ФИО", "Орган", "Что-то"]) == [
        "full_name", "", "agency", "",
    ]  # fmt: skip
    assert imports.parse_date("2024-05-31")[0] == date(2024, 5, 31)
    assert imports.parse_date("31.05.2024")[0] == date(2024, 5, 31)
    assert imports.parse_date(45443)[0] == date(2024, 5, 31)
    assert imports.parse_date("2019") == (date(2019, 1, 1), "year")
    with pytest.raises(imports.Bad):
        imports.parse_date("31.02.2020")
    assert imports._split("Удушение (пакет, противогаз), Избиение") == [
        "Удушение (пакет, противогаз)", "Избиение",
    ]  # fmt: skip


def test_kuzot_import_dry_run_writes_nothing_and_rejected_rows_go_where_asked(world, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tests.conftest import PASSWORD

    data, bad = register_sample.csv_bytes(150, encoding="cp1251", delimiter=";")
    spreadsheet, password = tmp_path / "r.csv", tmp_path / "password"
    spreadsheet.write_bytes(data)
    password.write_text(PASSWORD)
    options = {"organisation": "a", "password_file": password, "stdout": io.StringIO()}
    call_command("import", str(spreadsheet), user="a-coordinator", dry_run=True, **options)
    assert not Case.objects.exists()
    assert f"line {min(bad)}:" in options["stdout"].getvalue()

    rejected = tmp_path / "rejected.csv"
    call_command("import", str(spreadsheet), user="a-coordinator", rejected=rejected, **options)
    assert Case.objects.count() == 150 - len(bad)
    kept = list(csv.DictReader(io.StringIO(rejected.read_text("utf-8-sig"))))
    assert sorted(int(row["line"]) for row in kept) == sorted(bad)

    with pytest.raises(CommandError):
        call_command("import", str(spreadsheet), user="a-analyst", **options)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password at all")
    with pytest.raises(CommandError):
        call_command(
            "import", str(spreadsheet), user="a-lawyer", **{**options, "password_file": wrong}
        )
