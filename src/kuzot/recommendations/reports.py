"""The NGO follow-up report to one body on one country, as PDF and as DOCX (the treaty bodies'
secretariats ask for Word), in English or Russian: for each recommendation, its text, the
state's position, the assessments the organisation sees, with their evidence, and the actions
(the sealed texts opened for members who hold the organisation's key, blank for analysts).

The report leaves the organisation, so it names no case and holds no count of cases: the
organisation's numbers reach a report through a publication (stats), which protects them,
and the report's evidence text cites it.
"""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kuzot.accounts.models import Organisation, User
from kuzot.accounts.vault import Keyring
from kuzot.audit.log import Action, record
from kuzot.recommendations import selectors
from kuzot.recommendations.models import Assessment, Mechanism, PlannedAction, Recommendation


@dataclass
class Entry:
    recommendation: Recommendation
    text: str
    assessments: list[Assessment]
    actions: list[PlannedAction]


@dataclass
class FollowUpReport:
    title: str
    organisation: str
    date: str
    entries: list[Entry]


def _report(user: User, keyring: Keyring, mechanism: str, country: str) -> FollowUpReport:
    found = selectors.recommendations(user, {"mechanism": mechanism, "country": country})
    found = found.order_by("-follow_up", "-document__date", "document__symbol", "key")
    entries = []
    for r in found:
        assessments = next(
            s.assessments for s in selectors.thread(user, r, keyring) if s.recommendation.pk == r.pk
        )
        entries.append(
            Entry(r, r.reader_text, assessments, selectors.planned_actions(user, r, keyring))
        )
    title = _("Follow-up report to the %(body)s on %(country)s") % {
        "body": Mechanism(mechanism).label,
        "country": Organisation.Country(country).label,
    }
    return FollowUpReport(title, str(user.organisation), timezone.localdate().isoformat(), entries)


def follow_up_report(
    user: User,
    keyring: Keyring,
    mechanism: str,
    country: str,
    *,
    file_format: str,
    language: str,
) -> bytes:
    """The report as PDF or DOCX bytes, audited."""
    if mechanism not in Mechanism.values or country not in Organisation.Country.values:
        raise ValueError("unknown mechanism or country")
    with translation.override(language):
        report = _report(user, keyring, mechanism, country)
        data = _pdf(report) if file_format == "pdf" else _docx(report)
    record(
        user,
        Action.EXPORT,
        organisation=user.organisation,
        detail={
            "follow_up_report": [mechanism, country],
            "format": file_format,
            "recommendations": len(report.entries),
        },
    )
    return data


def _pdf(report: FollowUpReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("recommendations/follow_up_report.html", {"report": report})
    return HTML(string=html).write_pdf()


def _docx(report: FollowUpReport) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.organisation}, {report.date}")
    for entry in report.entries:
        r = entry.recommendation
        document.add_heading(str(r), level=1)
        document.add_paragraph(entry.text)
        position = r.get_position_display()
        if r.position_wording:
            position = f"{position}: “{r.position_wording}”"
        document.add_paragraph(_("State's position") + f": {position}")
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Date"), _("Assessed by"), _("Status"), _("Evidence")),
            strict=True,
        ):
            cell.text = text
        for a in entry.assessments:
            cells = table.add_row().cells
            cells[0].text = a.date.isoformat()
            cells[1].text = str(a.get_assessor_display())
            cells[2].text = str(a.get_status_display())
            cells[3].text = "; ".join(part for part in (a.source, a.evidence_text) if part)
        if not entry.assessments:
            table.add_row().cells[0].text = _("Not assessed yet.")
        for action in entry.actions:
            due = f" ({action.due.isoformat()})" if action.due else ""
            lead = f" — {action.lead_institution}" if action.lead_institution else ""
            document.add_paragraph(f"{action.what_text}{lead}{due}", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
