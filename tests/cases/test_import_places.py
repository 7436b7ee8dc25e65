"""`kuzot places import FILE` loads a list of places of detention from CSV or XLSX: every row,
or — when a row is wrong — none, each problem named by line and column."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kuzot.audit.models import AuditEvent
from kuzot.cases.models import PlaceOfDetention
from tests.conftest import PASSWORD

HEADER = ["Name", "Название", "Country", "Region", "Type", "Authority", "Address", "Capacity"]
ROWS = [
    ["IVS of Osh", "ИВС УВД г. Ош", "KG", "Osh (city)", "temporary_detention", "police",
     "ул. Ленина 1", "40"],
    ["SIZO-1 Bishkek", "СИЗО-1", "kg", "kg-bishkek", "Pre-trial detention centre (SIZO)",
     "Penitentiary service", "", "1200"],
]  # fmt: skip


def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return path


def run(tmp_path, path, *extra) -> str:
    out = io.StringIO()
    call_command(
        "places", "import", str(path), "--organisation", "a", "--user", "a-coordinator",
        "--password-file", str(password_file(tmp_path)), *extra, stdout=out, stderr=out,
    )  # fmt: skip
    return out.getvalue()


def csv_file(tmp_path, rows, name="places.csv"):
    path = tmp_path / name
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in [HEADER, *rows]))
    return path


def test_a_csv_list_is_loaded_and_loading_it_again_adds_nothing(world, tmp_path):
    path = csv_file(tmp_path, ROWS)
    assert "2 places created" in run(tmp_path, path)
    osh = PlaceOfDetention.objects.get(name_en="IVS of Osh")
    assert (osh.name_ru, osh.country, osh.region.code, osh.kind.code, osh.authority.code) == (
        "ИВС УВД г. Ош", "KG", "kg-osh-city", "temporary_detention", "police",
    )  # fmt: skip
    assert osh.address == "ул. Ленина 1" and osh.capacity == 40
    assert osh.organisation == world.orgs["a"]
    sizo = PlaceOfDetention.objects.get(name_en="SIZO-1 Bishkek")
    assert (sizo.kind.code, sizo.authority.code, sizo.capacity) == ("sizo", "penitentiary", 1200)
    assert (
        AuditEvent.objects.filter(action="create", object_type="cases.placeofdetention").count()
        == 2
    )

    changed = [ROWS[0][:7] + ["45"], ROWS[1]]
    assert "1 updated, 1 unchanged" in run(tmp_path, csv_file(tmp_path, changed, "again.csv"))
    assert PlaceOfDetention.objects.count() == 2
    assert PlaceOfDetention.objects.get(name_en="IVS of Osh").capacity == 45


def test_an_xlsx_list_is_loaded(world, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROWS[0][:7] + [40])
    path = tmp_path / "places.xlsx"
    book.save(path)
    assert "1 places created" in run(tmp_path, path)
    assert PlaceOfDetention.objects.get().capacity == 40


def test_a_wrong_row_stops_the_import_and_every_problem_is_named(world, tmp_path):
    rows = [
        ROWS[0],
        ["", "", "KG", "", "sizo", "", "", ""],
        ["Camp", "", "Kyrgyzstan", "", "jail", "", "", "many"],
        ["Colony 47", "", "KG", "Almaty", "colony", "", "", ""],
    ]
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "places", "import", str(csv_file(tmp_path, rows)), "--organisation", "a",
            "--user", "a-coordinator", "--password-file", str(password_file(tmp_path)),
            stderr=out,
        )  # fmt: skip
    assert raised.value.returncode == 2 and "nothing was imported" in str(raised.value)
    problems = out.getvalue()
    assert "places.csv: line 3, column “name”: the place has no name" in problems
    assert "line 4, column “Country”: “KYRGYZSTAN” is not a two-letter country code" in problems
    assert "line 4, column “Type”: “jail” is not in the list" in problems
    assert "line 4, column “Capacity”: “many” is not a whole number" in problems
    assert "line 5, column “Region”: “Almaty” is not in the list" in problems  # a KZ region
    assert not PlaceOfDetention.objects.exists()


def test_only_a_coordinator_imports_places(world, tmp_path):
    with pytest.raises(CommandError, match="not a coordinator"):
        call_command(
            "places", "import", str(csv_file(tmp_path, ROWS)), "--organisation", "a",
            "--user", "a-lawyer", "--password-file", str(password_file(tmp_path)),
        )  # fmt: skip
    assert not PlaceOfDetention.objects.exists()
