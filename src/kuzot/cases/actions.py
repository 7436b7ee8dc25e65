"""State changes of people and cases: each validates, writes and audits in one place."""

import json
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kuzot.accounts import crypto
from kuzot.accounts.models import Organisation, Role, User
from kuzot.accounts.vault import Vault, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.log import Action, record
from kuzot.cases.models import (
    Allegation,
    Case,
    CaseParty,
    CaseShare,
    Consent,
    ConsistencyFinding,
    LegalEvent,
    MedicalEvaluation,
    NameToken,
    Person,
    Term,
)
from kuzot.cases.stages import derive_stage, derive_steps

CASE_EDITORS = frozenset({Role.COORDINATOR, Role.LAWYER, Role.MONITOR})


class ConsentMissing(Exception):
    """The person's consent does not cover this use."""


def _require(actor: User, roles, organisation_id: int) -> None:
    if actor.role not in roles or actor.organisation_id != organisation_id:
        raise PermissionError(
            f"{actor.role} of organisation {actor.organisation_id} may not do this"
        )


def _seal(vault: Vault, model, **values: str) -> dict[str, bytes | None]:
    return {
        field: vault.seal(value, sealed_context(model, field)) for field, value in values.items()
    }


# --- People --------------------------------------------------------------------------------


def index_name(vault: Vault, person: Person, full_name: str) -> None:
    NameToken.objects.filter(person=person).delete()
    digests = {vault.blind_index(token) for token in name_tokens(full_name)}
    NameToken.objects.bulk_create(
        NameToken(organisation_id=person.organisation_id, person=person, digest=d) for d in digests
    )


def register_person(
    actor: User,
    vault: Vault,
    *,
    full_name: str,
    sex: str = "",
    birth_year: int | None = None,
    nationality: str = "",
    contact: str = "",
    address: str = "",
    birth_date: str = "",
    id_number: str = "",
    **groups: bool,
) -> Person:
    """Record a person in the actor's organisation, identity sealed, name indexed blind."""
    if not actor.sees_identities:
        raise PermissionError("this role does not record identities")
    if vault.organisation_id != actor.organisation_id:
        raise PermissionError("a person is recorded under the actor's own organisation key")
    unknown = set(groups) - set(Person.VULNERABLE_GROUPS)
    if unknown:
        raise TypeError(f"unknown vulnerable groups: {sorted(unknown)}")
    full_name = full_name.strip()
    with transaction.atomic():
        person = Person.objects.create(
            organisation_id=actor.organisation_id,
            sex=sex,
            birth_year=birth_year,
            nationality=nationality,
            created_by=actor,
            **groups,
            **_seal(
                vault,
                Person,
                full_name=full_name,
                contact=contact,
                address=address,
                birth_date=birth_date,
                id_number=id_number,
            ),
        )
        index_name(vault, person, full_name)
        record(actor, Action.CREATE, person)
    return person


def reindex_names(sender, *, organisation, old: Vault, new: Vault, **kwargs) -> None:
    """After a key rotation the blind index is rebuilt under the new key."""
    context = sealed_context(Person, "full_name")
    people = Person.objects.filter(organisation=organisation).only(
        "pk", "organisation_id", "full_name"
    )
    for person in people:
        index_name(new, person, new.open(person.full_name, context))


# --- Cases ---------------------------------------------------------------------------------


def next_reference(organisation: Organisation, year: int) -> str:
    prefix = f"{organisation.country}-{year}-"
    taken = Case.objects.filter(organisation=organisation, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def register_case(
    actor: User,
    vault: Vault,
    *,
    intake_date: date,
    victim: Person | None = None,
    source: Term | None = None,
    assigned_lawyer: User | None = None,
    status: str = Case.Status.OPEN,
    confidentiality: str = Case.Confidentiality.NORMAL,
    reprisal_risk: str = "",
    summary: str = "",
    consents: dict[str, tuple[bool, date, str]] | None = None,
    reference: str = "",
    import_key: str = "",
) -> Case:
    """Open a case file; ``consents`` maps a scope to (given, date, manner)."""
    _require(actor, CASE_EDITORS, vault.organisation_id)
    if victim is not None and victim.organisation_id != actor.organisation_id:
        raise PermissionError("the victim is recorded by another organisation")
    if assigned_lawyer is not None and assigned_lawyer.organisation_id != actor.organisation_id:
        raise PermissionError("the assigned lawyer works for another organisation")
    with transaction.atomic():
        case = Case.objects.create(
            organisation_id=actor.organisation_id,
            reference=reference or next_reference(actor.organisation, intake_date.year),
            intake_date=intake_date,
            source=source,
            assigned_lawyer=assigned_lawyer,
            status=status,
            confidentiality=confidentiality,
            reprisal_risk=reprisal_risk,
            import_key=import_key,
            created_by=actor,
            **_seal(vault, Case, summary=summary),
        )
        if victim is not None:
            CaseParty.objects.create(case=case, person=victim, role=CaseParty.Role.VICTIM)
        for scope, (given, when, manner) in (consents or {}).items():
            Consent.objects.create(
                case=case, scope=scope, given=given, date=when, manner=manner, recorded_by=actor
            )
        record(actor, Action.CREATE, case)
    return case


def update_case(
    actor: User, vault: Vault, case: Case, *, summary: str | None = None, **fields
) -> Case:
    _require(actor, CASE_EDITORS, case.organisation_id)
    allowed = {
        "intake_date",
        "source",
        "assigned_lawyer",
        "status",
        "confidentiality",
        "reprisal_risk",
    }
    if set(fields) - allowed:
        raise TypeError(f"not editable: {sorted(set(fields) - allowed)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(case, name, value)
        if summary is not None:
            case.summary = _seal(vault, Case, summary=summary)["summary"]
        case.save()
        record(actor, Action.UPDATE, case, detail={"fields": sorted(fields)})
    return case


def add_party(actor: User, case: Case, person: Person, role: str) -> CaseParty:
    _require(actor, CASE_EDITORS, case.organisation_id)
    if person.organisation_id != case.organisation_id:
        raise PermissionError("the person is recorded by another organisation")
    with transaction.atomic():
        party, _ = CaseParty.objects.get_or_create(case=case, person=person, role=role)
        record(actor, Action.UPDATE, case, detail={"party": role})
    return party


def record_consent(
    actor: User, case: Case, *, scope: str, given: bool, when: date, manner: str
) -> Consent:
    """A new record for the scope; the newest one is in force (withdrawal included)."""
    _require(actor, CASE_EDITORS, case.organisation_id)
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case, scope=scope, given=given, date=when, manner=manner, recorded_by=actor
        )
        record(actor, Action.UPDATE, case, detail={"consent": scope, "given": given})
    return consent


def consent_in_force(case: Case, scope: str) -> bool:
    latest = case.consents.filter(scope=scope).order_by("-date", "-id").first()
    return bool(latest and latest.given)


def require_consent(case: Case, scope: str) -> None:
    if not consent_in_force(case, scope):
        raise ConsentMissing(scope)


def add_allegation(
    actor: User,
    vault: Vault,
    case: Case,
    *,
    date: date,
    act_types: list[Term],
    date_precision: str = Allegation.Precision.DAY,
    victim: Person | None = None,
    region: Term | None = None,
    district: str = "",
    place_of_detention=None,
    agency: Term | None = None,
    unit: str = "",
    purpose: Term | None = None,
    context: Term | None = None,
    description: str = "",
    perpetrators: str = "",
) -> Allegation:
    _require(actor, CASE_EDITORS, case.organisation_id)
    if not act_types:
        raise ValueError("an allegation names at least one act type")
    with transaction.atomic():
        allegation = Allegation.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            victim=victim,
            date=date,
            date_precision=date_precision,
            region=region,
            district=district,
            place_of_detention=place_of_detention,
            agency=agency,
            unit=unit,
            purpose=purpose,
            context=context,
            **_seal(vault, Allegation, description=description, perpetrators=perpetrators),
        )
        allegation.act_types.set(act_types)
        record(actor, Action.CREATE, allegation, detail={"case": case.pk})
    return allegation


def _restage(case: Case) -> None:
    """Stage and step dates follow from the whole legal path."""
    events = list(case.legal_events.all())
    derived = {"stage": derive_stage(events), **derive_steps(events)}
    if any(getattr(case, name) != value for name, value in derived.items()):
        for name, value in derived.items():
            setattr(case, name, value)
        case.save(update_fields=[*derived, "updated_at"])


def record_legal_event(
    actor: User,
    vault: Vault,
    case: Case,
    *,
    kind: str,
    date: date,
    body: Term | None = None,
    article: str = "",
    outcome: str = "",
    amount: Decimal | None = None,
    currency: str = "",
    sentence: str = "",
    next_date: date | None = None,
    notes: str = "",
) -> LegalEvent:
    """A step of the legal path; the case's stage follows from the whole path."""
    _require(actor, CASE_EDITORS, case.organisation_id)
    if amount is not None and not currency:
        raise ValueError("an amount needs its currency")
    with transaction.atomic():
        event = LegalEvent.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            kind=kind,
            date=date,
            body=body,
            article=article,
            outcome=outcome,
            amount=amount,
            currency=currency.upper(),
            sentence=sentence,
            next_date=next_date,
            recorded_by=actor,
            **_seal(vault, LegalEvent, notes=notes),
        )
        _restage(case)
        record(actor, Action.CREATE, event, detail={"case": case.pk, "kind": kind})
    return event


def delete_legal_event(actor: User, event: LegalEvent) -> None:
    case = event.case
    _require(actor, CASE_EDITORS, case.organisation_id)
    with transaction.atomic():
        record(actor, Action.DELETE, event, detail={"case": case.pk, "kind": event.kind})
        event.delete()
        _restage(case)


def record_medical_evaluation(
    actor: User,
    vault: Vault,
    case: Case,
    *,
    date: date,
    overall: str,
    physical_findings: str = "",
    psychological_findings: str = "",
    conclusion: str = "",
    findings: dict[int, str] | None = None,
) -> MedicalEvaluation:
    """Istanbul Protocol evaluation; ``findings`` maps an allegation id to a consistency level."""
    _require(actor, {Role.DOCTOR}, case.organisation_id)
    allegations = set(case.allegations.values_list("pk", flat=True))
    if set(findings or {}) - allegations:
        raise ValueError("a finding refers to an act of another case")
    with transaction.atomic():
        evaluation = MedicalEvaluation.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            examiner=actor,
            date=date,
            overall=overall,
            **_seal(
                vault,
                MedicalEvaluation,
                physical_findings=physical_findings,
                psychological_findings=psychological_findings,
                conclusion=conclusion,
            ),
        )
        ConsistencyFinding.objects.bulk_create(
            ConsistencyFinding(evaluation=evaluation, allegation_id=a, level=level)
            for a, level in (findings or {}).items()
        )
        record(actor, Action.CREATE, evaluation, detail={"case": case.pk})
    return evaluation


# --- Sharing -------------------------------------------------------------------------------


def _share_aad(case: Case, organisation: Organisation) -> bytes:
    return f"share|case:{case.pk}|from:{case.organisation_id}|to:{organisation.pk}".encode()


def share_case(
    actor: User, vault: Vault, case: Case, organisation: Organisation, snapshot: dict
) -> CaseShare:
    """Seal a snapshot of the case to another member organisation, if consent allows."""
    _require(actor, {Role.COORDINATOR, Role.LAWYER}, case.organisation_id)
    if organisation.pk == case.organisation_id:
        raise ValueError("a case is shared with another organisation")
    if organisation.coalition_id != actor.organisation.coalition_id:
        raise PermissionError("cases are shared within the coalition")
    require_consent(case, Consent.Scope.SHARING)
    sealed = crypto.seal_to(
        bytes(organisation.public_key),
        json.dumps(snapshot, ensure_ascii=False).encode(),
        _share_aad(case, organisation),
    )
    with transaction.atomic():
        share, _ = CaseShare.objects.update_or_create(
            case=case,
            organisation=organisation,
            defaults={
                "snapshot": sealed,
                "shared_by": actor,
                "shared_at": timezone.now(),
                "revoked_at": None,
            },
        )
        record(actor, Action.EXPORT, case, detail={"shared_with": organisation.pk})
    return share


def open_share(share: CaseShare, private_key: bytes) -> dict:
    raw = crypto.open_sealed(
        private_key, bytes(share.snapshot), _share_aad(share.case, share.organisation)
    )
    return json.loads(raw)


def revoke_share(actor: User, share: CaseShare) -> None:
    _require(actor, {Role.COORDINATOR, Role.LAWYER}, share.case.organisation_id)
    with transaction.atomic():
        share.revoked_at = timezone.now()
        share.snapshot = b""
        share.save(update_fields=["revoked_at", "snapshot"])
        record(actor, Action.UPDATE, share.case, detail={"share_revoked": share.organisation_id})
