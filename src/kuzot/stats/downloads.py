"""A serialised table as a CSV or XLSX file any tool reads: the header on the first line, one
row per cell (a column per dimension, then the number, then why a number is missing), numbers
as numbers.

A withheld number is an empty cell with its reason in the ``note`` column, never a dash in a
numeric column; a total has "Total" in its dimension's column. The title and the footnotes are
on the page; the file's name says which table it is. Every cell goes through
``kuzot.spreadsheets`` (never a formula).
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kuzot.spreadsheets import csv_bytes, xlsx_bytes
from kuzot.stats.publishing import TOTALS, UNITS, dim_label, label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def records(table: dict, withheld_note: str = "") -> list[list]:
    """The header, then a row per cell of ``table`` in the order of its categories, totals
    last."""
    dims, categories = table["dims"], table["categories"]
    unit = table.get("unit", "acts")
    cells = {tuple(labels): value for labels, value in table["cells"]}
    total = str(TOTALS.get(unit, _("Total")))
    header = [*(dim_label(d) for d in dims), str(UNITS.get(unit, _("Acts"))), _("note")]
    keys: list[tuple] = [(c,) for c in categories[0]]
    if len(dims) == 2:
        keys = [(r, c) for r in categories[0] for c in categories[1]]
        keys += [(r, None) for r in categories[0]] + [(None, c) for c in categories[1]]
    keys.append((None,) * len(dims))
    rows = []
    for key in keys:
        if key not in cells:
            continue
        value = cells[key]
        names = [total if c is None else label(d, c) for d, c in zip(dims, key, strict=True)]
        rows.append([*names, value, "" if value is not None else withheld_note])
    return [header, *rows]


def table_file(
    table: dict, file_format: str, filename: str, withheld_note: str = ""
) -> HttpResponse:
    """``table`` as a CSV or XLSX download named ``filename`` (without its extension)."""
    rows = records(table, withheld_note)
    if file_format == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, table["name"]), content_type=XLSX)
    else:
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
