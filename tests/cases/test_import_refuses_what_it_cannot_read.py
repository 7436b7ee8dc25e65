"""A spreadsheet that would unpack into gigabytes, go on for millions of rows or spread over
thousands of columns is refused before it is parsed, with a message saying what to do; so is a
damaged workbook. The screen answers with the message (never a 500), the command exits 2."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from kuzot.cases import imports
from kuzot.cases.models import PendingImport

HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c></row>'
DATA_ROW = '<row><c t="inlineStr"><is><t>Иванов Иван Иванович</t></is></c></row>'


def workbook(sheet_rows, *, shared: bytes | None = None) -> bytes:
    """A minimal XLSX whose sheet is written from ``sheet_rows`` (strings, streamed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="R" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        if shared is not None:
            book.writestr("xl/sharedStrings.xml", shared)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for chunk in sheet_rows:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """The attack: a megabyte that unpacks into 300 MB of rows."""
    rows_per_chunk = 10_000
    chunk = DATA_ROW * rows_per_chunk
    chunks = 300 * 2**20 // len(chunk.encode())
    return workbook([HEADER_ROW, *[chunk] * chunks])


def refusal(data: bytes, name: str = "register.xlsx") -> str:
    with pytest.raises(imports.UnreadableFile) as refused:
        imports.read_table(data, name)
    return str(refused.value)


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(zip_bomb):
    assert len(zip_bomb) < 2 * 2**20
    assert "more than the 256 MB an import reads" in refusal(zip_bomb)


def test_the_screen_and_the_command_say_why(world, signed_in, zip_bomb, tmp_path):
    response = signed_in("a-lawyer").post(
        reverse("import_upload"), {"file": SimpleUploadedFile("bomb.xlsx", zip_bomb)}
    )
    assert response.status_code == 200
    assert "more than the 256 MB an import reads" in response.content.decode()
    assert not PendingImport.objects.exists()
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb)
    with pytest.raises(CommandError, match="256 MB") as refused:
        call_command("import", str(path), organisation="a", user="a-lawyer")
    assert refused.value.returncode == 2


def test_shared_strings_count_in_the_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_XLSX_UNPACKED", 2**20)
    strings = b"<sst><si><t>" + b"A" * 2**20 + b"</t></si></sst>"
    assert "more than the 1 MB an import reads" in refusal(workbook([HEADER_ROW], shared=strings))


def test_more_rows_than_an_import_reads_are_refused():
    rows = "ФИО;Дата обращения\n" + "Иванов;01.02.2023\n" * 100_001
    assert "more than 100,000 rows" in refusal(rows.encode(), "register.csv")
    far = workbook([HEADER_ROW, '<row r="5000000"><c t="inlineStr"><is><t>x</t></is></c></row>'])
    assert "more than 100,000 rows" in refusal(far)


def test_a_value_thousands_of_columns_away_is_refused():
    wide = workbook(
        [HEADER_ROW, '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>']
    )
    assert "column 16384" in refusal(wide)
    assert "column 201" in refusal(("a;" * 200 + "b\n").encode(), "register.csv")


def damaged() -> dict[str, bytes]:
    book = Workbook()
    book.active.append(["ФИО", "Дата обращения"])
    book.active.append(["Петров", 45000])
    out = io.BytesIO()
    book.save(out)
    good = out.getvalue()

    def rewrite(part: str, change) -> bytes:
        source, copy = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                target.writestr(info.filename, change(data) if info.filename == part else data)
        return copy.getvalue()

    sheet = "xl/worksheets/sheet1.xml"
    return {
        "cut short": rewrite(sheet, lambda d: d[: len(d) // 2]),
        "a row numbered x": rewrite(sheet, lambda d: d.replace(b'<row r="2"', b'<row r="x"')),
        "a number that is not one": rewrite(sheet, lambda d: d.replace(b">45000<", b">abc<")),
        "a style that is not one": rewrite(
            sheet, lambda d: d.replace(b'<c r="B2"', b'<c s="x" r="B2"')
        ),
        "a shared string that is not there": rewrite(
            sheet, lambda d: d.replace(b'<c r="B2" t="n"><v>45000', b'<c r="B2" t="s"><v>7')
        ),
        "not a zip": b"PK\x03\x04" + b"x" * 100,
        "compressed with bzip2": rewrite_method(good, zipfile.ZIP_BZIP2),
    }


def rewrite_method(good: bytes, method: int) -> bytes:
    source, copy = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(copy, "w", method) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return copy.getvalue()


@pytest.mark.parametrize("kind", list(damaged()))
def test_a_damaged_workbook_gets_a_message_not_a_500(kind, world, signed_in):
    data = damaged()[kind]
    assert refusal(data) == "This is not a readable XLSX file."
    response = signed_in("a-lawyer").post(
        reverse("import_upload"), {"file": SimpleUploadedFile("register.xlsx", data)}
    )
    assert response.status_code == 200
    assert "This is not a readable XLSX file." in response.content.decode()
