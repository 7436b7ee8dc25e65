"""Cells of the CSV and XLSX files people open in a spreadsheet: never a formula.

Excel, LibreOffice and Google Sheets read a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula (CSV injection, OWASP): a name, a reason or a username
typed by anyone (a complainant, a row of an imported file) could then fetch a URL or run a
command when a coordinator opens the file. Such a cell is written with a leading apostrophe,
which spreadsheets show as the text typed. Every CSV or XLSX Kuzot writes goes through here.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, or a text that begins like a formula with an apostrophe before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def read_cell(text: str) -> str:
    """A text cell as it was before safe_cell: an export imported back gives the same text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(rows) -> bytes:
    """UTF-8 CSV with a byte-order mark (so that Excel reads it as UTF-8), every cell safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows, title: str) -> bytes:
    """One sheet named ``title`` (at most 31 characters, as Excel allows), every cell safe."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
