"""Recommendations as CSV or XLSX: the schema's columns and the latest assessment the reader
sees, every cell formula-safe (kuzot.spreadsheets). The columns read back by the import."""

from django.utils.translation import gettext as _

from kuzot.accounts.models import User
from kuzot.audit.log import Action, record
from kuzot.recommendations import selectors
from kuzot.recommendations.schema import DOCUMENT_FIELDS, RECOMMENDATION_FIELDS
from kuzot.spreadsheets import csv_bytes, xlsx_bytes

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = [
    *(f.column for f in DOCUMENT_FIELDS + RECOMMENDATION_FIELDS if f.column),
    "latest_status",
    "latest_assessment_date",
]


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def rows(user: User | None, filters: dict) -> list[list]:
    found = []
    for r in selectors.recommendations(user, filters):
        values = {f.column: getattr(r.document, f.name) for f in DOCUMENT_FIELDS}
        values |= {
            f.column: getattr(r, f.name) for f in RECOMMENDATION_FIELDS if f.kind != "themes"
        }
        values["themes"] = "; ".join(t.name for t in r.themes.all())
        values["latest_status"] = r.latest_status or ""
        values["latest_assessment_date"] = r.latest_date
        found.append([_cell(values[column]) for column in HEADER])
    return found


def export(user: User | None, filters: dict, file_format: str) -> bytes:
    """The recommendations the filters select, with the latest assessment the user sees (for
    the public, None: the public ones); a member's export is audited."""
    body = rows(user, filters)
    if file_format == "xlsx":
        data = xlsx_bytes([HEADER, *body], _("Recommendations"))
    else:
        data = csv_bytes([HEADER, *body])
    if user is None:
        return data
    record(
        user,
        Action.EXPORT,
        organisation=user.organisation,
        detail={"export": "recommendations", "format": file_format, "rows": len(body)},
    )
    return data
