"""Capture in the field: the findings checklist as an XLSForm for ODK Collect, KoboCollect or
Tella, and their submissions (ODK's XML instances) back as a visit's findings.

Monitors are inside a colony without connectivity: they fill the form on a phone, offline, and
a member uploads each submission to the visit when back. The form lists the same areas, sources
and severities as the screens (one declaration, the `Finding` model's choices), labelled in every
language Kuzot speaks.
"""

from dataclasses import dataclass, field
from io import BytesIO

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.db import transaction
from django.utils import translation
from openpyxl import Workbook

from kuzot.accounts.models import User
from kuzot.accounts.vault import Vault
from kuzot.monitoring.actions import add_finding
from kuzot.monitoring.models import Finding, Visit
from kuzot.spreadsheets import safe_cell

FORM_ID = "kuzot_visit_findings"
VERSION = "1"
CHOICES = {"area": Finding.Area, "source": Finding.Source, "severity": Finding.Severity}
TEXTS = {
    "rule": ("Rule breached", False),
    "description": ("What was found", True),
    "root_cause": ("Root cause", False),
}
MAX_BYTES = 1024 * 1024


def _labels(text) -> list[str]:
    """A label in every language, for the XLSForm's label::<language> columns."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.append(str(translation.gettext(text) if isinstance(text, str) else text))
    return found


def checklist() -> bytes:
    """The XLSForm (survey, choices, settings), as XLSX bytes."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    label_columns = [f"label::{name} ({code})" for code, name in settings.LANGUAGES]
    survey.append(["type", "name", *label_columns, "required"])
    survey.append(["begin_repeat", "finding", *_labels("Findings"), ""])
    for name in CHOICES:
        verbose = Finding._meta.get_field(name).verbose_name
        survey.append([f"select_one {name}", name, *_labels(verbose), "yes"])
    for name, (label, required) in TEXTS.items():
        survey.append(["text", name, *_labels(label), "yes" if required else ""])
    survey.append(["end_repeat", "", *[""] * len(label_columns), ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *label_columns])
    for name, options in CHOICES.items():
        for value, label in options.choices:
            choices.append([name, value, *(safe_cell(text) for text in _labels(label))])
    form_settings = book.create_sheet("settings")
    form_settings.append(["form_title", "form_id", "version", "default_language"])
    form_settings.append(["Kuzot — findings of a visit", FORM_ID, VERSION, label_columns[0][7:]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


class SubmissionRefused(ValueError):
    """The file is not a submission of this form, or a finding in it is not valid."""


@dataclass
class Imported:
    findings: list[Finding] = field(default_factory=list)


def _text(element, name: str) -> str:
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def import_submission(actor: User, vault: Vault, visit: Visit, data: bytes) -> Imported:
    """Every finding of one submission, or none (with the reason): nothing is half imported."""
    if len(data) > MAX_BYTES:
        raise SubmissionRefused(f"larger than {MAX_BYTES // 1024} KB: not a findings submission")
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise SubmissionRefused(f"not an ODK submission (XML): {error}") from error
    if root.get("id") != FORM_ID:
        raise SubmissionRefused(f"a submission of another form ({root.get('id')!r}), not {FORM_ID}")
    instance = _text(root, "meta/instanceID")
    if instance and Finding.objects.filter(visit=visit, odk_instance=instance).exists():
        raise SubmissionRefused(f"this submission ({instance}) is already imported")
    imported = Imported()
    with transaction.atomic():
        for number, element in enumerate(root.findall("finding"), start=1):
            values = {name: _text(element, name) for name in (*CHOICES, *TEXTS)}
            for name, options in CHOICES.items():
                if values[name] not in options.values:
                    raise SubmissionRefused(
                        f"finding {number}: {name} {values[name]!r} is not one of "
                        f"{', '.join(options.values)}"
                    )
            if not values["description"]:
                raise SubmissionRefused(f"finding {number}: what was found is empty")
            finding = add_finding(actor, vault, visit, **values)
            finding.odk_instance = instance
            finding.save(update_fields=["odk_instance"])
            imported.findings.append(finding)
        if not imported.findings:
            raise SubmissionRefused("the submission holds no finding")
    return imported
