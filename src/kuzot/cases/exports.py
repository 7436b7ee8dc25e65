"""Exporting the case register (CSV, XLSX) through the visibility-checked selectors.

Two shapes (docs/import.md, "Export"):

* the register, for identity roles: one row per case in the layout ``kuzot import`` reads, so
  an export can be imported elsewhere. Names, summaries and the other sealed free text
  (district, unit, the reference a case was imported under) only when asked for, and only for
  cases whose ``documentation`` consent is in force; every other case has them empty and its
  reference is Kuzot's own.
* statistics, for analysts (and anyone who asks for it): categories only: no reference, no
  name, no free text, years instead of dates, birth decade instead of birth year; cases whose
  ``statistics`` consent was refused or withdrawn are left out.

Every export is audited (``Action.EXPORT``), with the ids of the cases exported with names.
People are read only as parties of the visible cases, so only people the user sees
(``selectors.visible_people``: a strictly confidential case's victim stays out).
"""

from django.utils.translation import gettext as _

from kuzot.accounts.models import User
from kuzot.accounts.vault import Keyring, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases import selectors
from kuzot.cases.models import Case, CaseParty, Consent, Person
from kuzot.spreadsheets import csv_bytes, safe_cell, xlsx_bytes

REGISTER_COLUMNS = [
    "reference", "intake_date", "full_name", "sex", "birth_year", "nationality",
    "vulnerable_groups", "source", "act_date", "region", "district", "place_of_detention",
    "act_types", "agency", "unit", "purpose", "context", "summary", "status", "stage",
    "consent_documentation", "consent_statistics", "consent_publication", "consent_un_bodies",
    "consent_sharing", "complaint_date", "criminal_case_date", "court_date",
    "compensation_date", "compensation_paid_date",
]  # fmt: skip
STATISTICS_COLUMNS = [
    "intake_year", "act_year", "sex", "birth_decade", "nationality", "vulnerable_groups",
    "source", "region", "act_types", "agency", "purpose", "context", "status", "stage",
    "complaint_year", "criminal_case_year", "court_year", "conviction_year",
    "compensation_year",
]  # fmt: skip
IDENTITY_COLUMNS = {"full_name", "summary", "district", "unit"}


def may_export_identities(user: User) -> bool:
    return user.sees_identities


def _consents_in_force(case: Case) -> dict[str, bool]:
    """Scope → given, from the newest record of each scope (as consent_in_force decides)."""
    latest: dict[str, Consent] = {}
    for consent in case.consents.all():
        held = latest.get(consent.scope)
        if held is None or (consent.date, consent.pk) > (held.date, held.pk):
            latest[consent.scope] = consent
    return {scope: consent.given for scope, consent in latest.items()}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _label(term) -> str:
    return term.label if term is not None else ""


def _victim(case: Case) -> Person | None:
    for party in case.parties.all():
        if party.role == CaseParty.Role.VICTIM:
            return party.person
    return None


def _groups(person: Person | None) -> str:
    if person is None:
        return ""
    return "; ".join(g for g in Person.VULNERABLE_GROUPS if getattr(person, g))


def _cases(user: User):
    return (
        selectors.visible_cases(user)
        .select_related("source")
        .prefetch_related(
            "consents",
            "parties__person",
            "allegations__act_types",
            "allegations__region",
            "allegations__agency",
            "allegations__purpose",
            "allegations__context",
            "allegations__place_of_detention",
        )
        .order_by("intake_date", "id")
    )


def _year(day) -> str:
    return str(day.year) if day else ""


def register_rows(user: User, keyring: Keyring, *, identities: bool) -> tuple[list, list, list]:
    """(header, rows, ids of cases exported with a name)."""
    if not user.sees_identities:
        raise PermissionError("this role exports statistics only")
    identities = identities and may_export_identities(user)
    vault = keyring.vault(user.organisation_id) if identities else None
    columns = [c for c in REGISTER_COLUMNS if identities or c not in IDENTITY_COLUMNS]

    def opened(record, field: str) -> str:
        return vault.open(getattr(record, field), sealed_context(type(record), field))

    rows, named = [], []
    for case in _cases(user):
        consents = _consents_in_force(case)
        person = _victim(case)
        allegation = next(iter(case.allegations.all()), None)
        values = {
            "reference": case.reference,
            "intake_date": case.intake_date.isoformat(),
            "sex": person.sex if person else "",
            "birth_year": (person.birth_year or "") if person else "",
            "nationality": person.nationality if person else "",
            "vulnerable_groups": _groups(person),
            "source": _label(case.source),
            "status": case.get_status_display(),
            "stage": case.get_stage_display(),
            "complaint_date": case.complaint_on or "",
            "criminal_case_date": case.criminal_case_on or "",
            "court_date": case.court_on or "",
            "compensation_date": case.compensation_awarded_on or "",
            "compensation_paid_date": case.compensation_paid_on or "",
        }
        for scope in ("documentation", "statistics", "publication", "un_bodies", "sharing"):
            values[f"consent_{scope}"] = _yes_no(consents.get(scope))
        if allegation is not None:
            values.update(
                act_date=allegation.date.isoformat(),
                region=_label(allegation.region),
                place_of_detention=str(allegation.place_of_detention or ""),
                act_types="; ".join(t.label for t in allegation.act_types.all()),
                agency=_label(allegation.agency),
                purpose=_label(allegation.purpose),
                context=_label(allegation.context),
            )
        if identities and consents.get(Consent.Scope.DOCUMENTATION):
            if person is not None:
                values["full_name"] = opened(person, "full_name")
            values["summary"] = opened(case, "summary")
            # Imported again, the row is recognised by the reference it came with.
            values["reference"] = opened(case, "external_reference") or case.reference
            if allegation is not None:
                values.update(
                    district=opened(allegation, "district"), unit=opened(allegation, "unit")
                )
            named.append(case.pk)
        rows.append([_cell(values.get(c, "")) for c in columns])
    return columns, rows, named


def statistics_rows(user: User) -> tuple[list, list]:
    rows = []
    for case in _cases(user):
        if _consents_in_force(case).get(Consent.Scope.STATISTICS) is False:
            continue
        person = _victim(case)
        allegation = next(iter(case.allegations.all()), None)
        birth = person.birth_year if person else None
        values = {
            "intake_year": case.intake_date.year,
            "sex": person.sex if person else "",
            "birth_decade": f"{birth // 10 * 10}s" if birth else "",
            "nationality": person.nationality if person else "",
            "vulnerable_groups": _groups(person),
            "source": _label(case.source),
            "status": case.get_status_display(),
            "stage": case.get_stage_display(),
            "complaint_year": _year(case.complaint_on),
            "criminal_case_year": _year(case.criminal_case_on),
            "court_year": _year(case.court_on),
            "conviction_year": _year(case.conviction_on),
            "compensation_year": _year(case.compensation_awarded_on),
        }
        if allegation is not None:
            values.update(
                act_year=allegation.date.year,
                region=_label(allegation.region),
                act_types="; ".join(t.label for t in allegation.act_types.all()),
                agency=_label(allegation.agency),
                purpose=_label(allegation.purpose),
                context=_label(allegation.context),
            )
        rows.append([_cell(values.get(c, "")) for c in STATISTICS_COLUMNS])
    return STATISTICS_COLUMNS, rows


def _cell(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_cell(value)  # never a formula in someone's spreadsheet


def export(
    user: User,
    keyring: Keyring,
    *,
    file_format: str,
    identities: bool = False,
    statistics: bool = False,
) -> tuple[bytes, str]:
    """The export as (bytes, file name), audited. Analysts always get statistics."""
    statistics = statistics or not user.sees_identities
    if statistics:
        header, rows, named = *statistics_rows(user), []
        shape = "statistics"
    else:
        header, rows, named = register_rows(user, keyring, identities=identities)
        shape = "register"
    if file_format == "xlsx":
        data = xlsx_bytes([header, *rows], _("Cases"))
    elif file_format == "csv":
        data = csv_bytes([header, *rows])
    else:
        raise ValueError(f"unknown format {file_format!r}")
    record(
        user,
        Action.EXPORT,
        organisation=user.organisation,
        detail={
            "export": shape,
            "format": file_format,
            "cases": len(rows),
            "with_names": named,
        },
    )
    return data, f"kuzot-{shape}.{file_format}"
