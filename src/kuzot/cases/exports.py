"""Exporting the case register (CSV, XLSX) through the visibility-checked selectors.

Two shapes (docs/import.md, "Export"):

* the register, for identity roles: one row per act (a case without acts: one row), in the
  layout ``kuzot import`` reads, so an export can be imported elsewhere (the rows of a case
  repeat its reference, person, consents and legal path). Names, summaries and the other
  sealed free text (``IDENTITY_COLUMNS``, the reference a case was imported under) only when
  asked for, and only for cases whose ``documentation`` consent is in force; every other case
  has them empty and its reference is Kuzot's own.
* statistics, for analysts (and anyone who asks for it): one row per act too, categories only:
  no reference, no name, no free text, years instead of dates, birth decade instead of birth
  year; cases whose ``statistics`` consent was refused or withdrawn are left out.

Every export is audited (``Action.EXPORT``), with the ids of the cases exported with names.
People are read only as parties of the visible cases, so only people the user sees
(``selectors.visible_people``: a strictly confidential case's victim stays out).
"""

from django.utils.translation import gettext as _

from kuzot.accounts.models import User
from kuzot.accounts.vault import Keyring, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases import schema, selectors
from kuzot.cases.imports import TARGETS, VERDICT_WORDS
from kuzot.cases.models import Case, CaseParty, Consent, LegalEvent, Person
from kuzot.spreadsheets import csv_bytes, safe_cell, xlsx_bytes

EVENT_COLUMNS = [t.name for t in TARGETS if t.kind == "event_date" or t.name in {
    "complaint_body", "verdict", "verdict_date", "compensation_amount", "compensation_currency"
}]  # fmt: skip
CONSENT_SCOPES = ("documentation", "statistics", "publication", "un_bodies", "sharing")
RECORDS = (schema.CASE, schema.PERSON, schema.ACT)
REGISTER_COLUMNS = [
    "reference",
    *[f.column for record in RECORDS for f in schema.exchanged(record)],
    "stage",
    *[f"consent_{scope}" for scope in CONSENT_SCOPES],
    *EVENT_COLUMNS,
]
STATISTICS_COLUMNS = [
    "intake_year", "act_year", "sex", "birth_decade", "nationality", "vulnerable_groups",
    "source", "region", "act_types", "agency", "purpose", "context", "status", "stage",
    "complaint_year", "criminal_case_year", "court_year", "conviction_year",
    "compensation_year",
]  # fmt: skip
# Free text and identities: exported only when asked for, with documentation consent.
IDENTITY_COLUMNS = {f.column for record in RECORDS for f in schema.exchanged(record) if f.sealed}


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


RELATED = {"term", "terms", "place"}


def _cases(user: User):
    return (
        selectors.visible_cases(user)
        .select_related(*schema.names(schema.CASE, kinds={"term"}))
        .prefetch_related(
            "consents",
            "parties__person",
            *[f"allegations__{n}" for n in schema.names(schema.ACT, kinds=RELATED)],
            "legal_events__body",
        )
        .order_by("intake_date", "id")
    )


def _year(day) -> str:
    return str(day.year) if day else ""


def _dated(day, precision: str) -> str:
    """A date as precisely as it is known: 2024-05-31, 2024-05 or 2024 (what an import reads
    back with the same precision)."""
    return {"year": day.isoformat()[:4], "month": day.isoformat()[:7]}.get(
        precision, day.isoformat()
    )


def _declared_cells(record: tuple[schema.Field, ...], obj, opened) -> dict:
    """The record's columns (cases.schema); free text only through ``opened`` (None: none)."""
    values = {}
    if obj is None:
        return values
    for f in schema.exchanged(record):
        value = getattr(obj, f.name, None)
        if f.kind == "text":
            if opened is not None:
                values[f.column] = opened(obj, f.name)
        elif f.kind == "groups":
            values[f.column] = _groups(obj)
        elif f.kind in ("term", "place"):
            values[f.column] = _label(value) if f.kind == "term" else str(value or "")
        elif f.kind == "terms":
            values[f.column] = "; ".join(t.label for t in value.all())
        elif f.kind == "choice":
            choices = dict(obj._meta.get_field(f.name).flatchoices)
            values[f.column] = str(choices.get(value, value)) if value else ""
        elif f.kind == "dated":
            values[f.column] = _dated(value, getattr(obj, f"{f.name}_precision"))
        else:
            values[f.column] = "" if value is None else value
    return values


def _event_cells(case: Case) -> dict:
    """The legal path in the import's columns: the first step of each kind it names."""
    events = sorted(case.legal_events.all(), key=lambda e: (e.date, e.pk))
    first = {}
    for event in events:
        first.setdefault(event.kind, event)
    values = {}
    for target in TARGETS:
        if target.kind == "event_date" and target.event in first:
            values[target.name] = first[target.event].date
    complaint = first.get(LegalEvent.Kind.COMPLAINT_LODGED)
    if complaint is not None and complaint.body is not None:
        values["complaint_body"] = complaint.body.label
    verdict = next((e for e in events if e.kind in VERDICT_WORDS), None)
    if verdict is not None:
        values.update(verdict=verdict.kind, verdict_date=verdict.date)
    awarded = first.get(LegalEvent.Kind.COMPENSATION_AWARDED)
    if awarded is not None and awarded.amount is not None:
        values.update(compensation_amount=awarded.amount, compensation_currency=awarded.currency)
    return values


def register_rows(
    user: User, keyring: Keyring, *, identities: bool
) -> tuple[list, list, list, int]:
    """(header, rows: one per act, ids of cases exported with a name, number of cases)."""
    if not user.sees_identities:
        raise PermissionError("this role exports statistics only")
    identities = identities and may_export_identities(user)
    vault = keyring.vault(user.organisation_id) if identities else None
    columns = [c for c in REGISTER_COLUMNS if identities or c not in IDENTITY_COLUMNS]

    def opened(record, field: str) -> str:
        return vault.open(getattr(record, field), sealed_context(type(record), field))

    rows, named, cases = [], [], 0
    for case in _cases(user):
        cases += 1
        consents = _consents_in_force(case)
        with_names = identities and consents.get(Consent.Scope.DOCUMENTATION)
        reader = opened if with_names else None
        person = _victim(case)
        values = {
            "reference": case.reference,
            **_declared_cells(schema.CASE, case, reader),
            **_declared_cells(schema.PERSON, person, reader),
            "stage": case.get_stage_display(),
            **{f"consent_{s}": _yes_no(consents.get(s)) for s in CONSENT_SCOPES},
            **_event_cells(case),
        }
        if with_names:
            # Imported again, the rows are recognised by the reference they came with.
            values["reference"] = opened(case, "external_reference") or case.reference
            named.append(case.pk)
        for allegation in list(case.allegations.all()) or [None]:
            cells = {**values, **_declared_cells(schema.ACT, allegation, reader)}
            rows.append([_cell(cells.get(c, "")) for c in columns])
    return columns, rows, named, cases


def statistics_rows(user: User) -> tuple[list, list, list, int]:
    """(header, rows: one per act, no case with a name, number of cases)."""
    rows, cases = [], 0
    for case in _cases(user):
        if _consents_in_force(case).get(Consent.Scope.STATISTICS) is False:
            continue
        cases += 1
        person = _victim(case)
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
        for allegation in case.allegations.all():
            rows.append(_statistics_row(values, allegation))
        if not case.allegations.all():
            rows.append(_statistics_row(values, None))
    return STATISTICS_COLUMNS, rows, [], cases


def _statistics_row(values: dict, allegation) -> list:
    if allegation is not None:
        values = values | {
            "act_year": allegation.date.year,
            "region": _label(allegation.region),
            "act_types": "; ".join(t.label for t in allegation.act_types.all()),
            "agency": _label(allegation.agency),
            "purpose": _label(allegation.purpose),
            "context": _label(allegation.context),
        }
    return [_cell(values.get(c, "")) for c in STATISTICS_COLUMNS]


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
        header, rows, named, cases = statistics_rows(user)
        shape = "statistics"
    else:
        header, rows, named, cases = register_rows(user, keyring, identities=identities)
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
            "cases": cases,
            "rows": len(rows),
            "with_names": named,
        },
    )
    return data, f"kuzot-{shape}.{file_format}"
