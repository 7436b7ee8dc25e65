"""State changes of people and cases: each validates, writes and audits in one place."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db import connections, router, transaction
from django.utils import timezone

from kuzot import bulk, countries
from kuzot.accounts import crypto, purposes
from kuzot.accounts.models import IDENTITY_ROLES, Organisation, Role, User
from kuzot.accounts.vault import SealedField, Vault, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.log import Action, record, record_many
from kuzot.audit.models import AuditEvent
from kuzot.cases import schema
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
    Revision,
    RevisionValue,
    SavedFilter,
    Term,
)
from kuzot.cases.stages import derive

CASE_EDITORS = frozenset({Role.COORDINATOR, Role.LAWYER, Role.MONITOR})


class ConsentMissing(Exception):
    """The person's consent does not cover this use."""


def _require(actor: User, roles, organisation_id: int) -> None:
    if actor.role not in roles or actor.organisation_id != organisation_id:
        raise PermissionError(
            f"{actor.role} of organisation {actor.organisation_id} may not do this"
        )


def _require_visible(actor: User, person: Person) -> None:
    """A person the actor does not see (every case of theirs is hidden from the actor) is
    not linked to a case of the actor's: its page would show their name."""
    from kuzot.cases.selectors import visible_people  # selectors read through this module

    if not visible_people(actor).filter(pk=person.pk).exists():
        raise PermissionError("the person is not visible to this member")


def _seal(vault: Vault, model, **values: str) -> dict[str, bytes | None]:
    return {
        field: vault.seal(value, sealed_context(model, field)) for field, value in values.items()
    }


def _seal_every(vault: Vault, model, values: dict) -> dict[str, bytes | None]:
    """Take every sealed field of ``model`` out of ``values`` (an action's arguments), sealed;
    those not given are empty."""
    names = [f.name for f in model._meta.concrete_fields if isinstance(f, SealedField)]
    return _seal(vault, model, **{name: values.pop(name, "") or "" for name in names})


def _check_arguments(record: tuple[schema.Field, ...], values: dict) -> None:
    """An action takes the record's declared fields (cases.schema), and needs the required ones
    a record cannot be without (free text may stay empty: a complaint may name nobody)."""
    unknown = set(values) - schema.action_arguments(record)
    if unknown:
        raise TypeError(f"not a declared field: {sorted(unknown)}")
    needed = [f.name for f in schema.entered(record) if f.required and not f.sealed]
    missing = [name for name in needed if not values.get(name)]
    if missing:
        raise ValueError(f"missing: {missing}")


def _check_lawyer(lawyer: User | None, organisation_id: int) -> None:
    if lawyer is not None and lawyer.organisation_id != organisation_id:
        raise PermissionError("the assigned lawyer works for another organisation")


def _columns(vault: Vault, model, values: dict) -> dict:
    """A declared record's arguments (checked by _check_arguments) as the model's columns:
    free text sealed, related records by id; fields not given keep the model's default. The
    act's terms (many to many) are not columns: the caller sets them."""
    row = {}
    for f in schema.entered(schema.RECORDS[model]):
        if f.kind == "text":
            text = str(values.get(f.name, "") or "")
            row[f.name] = vault.seal(text.strip(), sealed_context(model, f.name))
        elif f.kind in ("term", "place", "lawyer"):
            row[f"{f.name}_id"] = getattr(values.get(f.name), "pk", None)
        elif f.kind == "groups":
            row.update({g: bool(values.get(g, False)) for g in Person.VULNERABLE_GROUPS})
        elif f.kind == "dated":
            row[f.name] = values[f.name]
            if values.get(f"{f.name}_precision"):
                row[f"{f.name}_precision"] = values[f"{f.name}_precision"]
        elif f.kind != "terms" and values.get(f.name) not in (None, ""):
            row[f.name] = values[f.name]
    return row


# --- People --------------------------------------------------------------------------------


def index_name(vault: Vault, person: Person, full_name: str) -> None:
    NameToken.objects.filter(person=person).delete()
    digests = {vault.blind_index(token) for token in name_tokens(full_name)}
    NameToken.objects.bulk_create(
        NameToken(organisation_id=person.organisation_id, person=person, digest=d) for d in digests
    )


def register_person(actor: User, vault: Vault, **values) -> Person:
    """Record a person in the actor's organisation (the arguments: ``schema.PERSON``, each
    vulnerable group by its name), identity sealed, name indexed blind."""
    if not actor.sees_identities:
        raise PermissionError("this role does not record identities")
    if vault.organisation_id != actor.organisation_id:
        raise PermissionError("a person is recorded under the actor's own organisation key")
    _check_arguments(schema.PERSON, values)
    nationality = values.get("nationality", "")
    if nationality and not countries.is_code(nationality):
        raise ValueError(f"nationality {nationality!r} is not an ISO 3166-1 alpha-2 code")
    with transaction.atomic():
        person = Person.objects.create(
            organisation_id=actor.organisation_id,
            created_by=actor,
            **_columns(vault, Person, values),
        )
        index_name(vault, person, values.get("full_name", ""))
        record(actor, Action.CREATE, person)
    return person


IMPORT_KEY = purposes.IMPORT_KEY  # the purpose of the import key's subkey (Vault.digest)


def import_key(vault: Vault, fingerprint: str) -> str:
    """The clear key of an imported row: a keyed digest of its fingerprint, which holds a name
    and is stored only sealed (``Case.import_fingerprint``)."""
    return vault.digest(IMPORT_KEY, fingerprint)


def rekey_imports(sender, *, organisation, old: Vault, new: Vault, **kwargs) -> None:
    """After a key rotation the import keys are computed again under the new key, from the
    fingerprints (already sealed again under it)."""
    context = sealed_context(Case, "import_fingerprint")
    imported = Case.objects.filter(organisation=organisation, import_fingerprint__isnull=False)
    ids = list(imported.values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        batch = list(
            Case.objects.filter(pk__in=ids[start : start + 1000]).only("pk", "import_fingerprint")
        )
        for case in batch:
            case.import_key = import_key(new, new.open(case.import_fingerprint, context))
        Case.objects.bulk_update(batch, ["import_key"])


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
    victim: Person | None = None,
    consents: dict[str, tuple[bool, date, str]] | None = None,
    reference: str = "",
    **values,
) -> Case:
    """Open a case file (the arguments: ``schema.CASE``); ``consents`` maps a scope to
    (given, date, manner)."""
    _require(actor, CASE_EDITORS, vault.organisation_id)
    _check_arguments(schema.CASE, values)
    if victim is not None:
        _require_visible(actor, victim)
    _check_lawyer(values.get("assigned_lawyer"), actor.organisation_id)
    with transaction.atomic():
        case = Case.objects.create(
            organisation_id=actor.organisation_id,
            reference=reference or next_reference(actor.organisation, values["intake_date"].year),
            created_by=actor,
            **_columns(vault, Case, values),
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
    allowed = schema.action_arguments(schema.CASE) - {"summary"}
    if set(fields) - allowed:
        raise TypeError(f"not editable: {sorted(set(fields) - allowed)}")
    _check_lawyer(fields.get("assigned_lawyer"), case.organisation_id)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(case, name, value)
        if summary is not None:
            case.summary = _seal(vault, Case, summary=summary)["summary"]
        case.save()
        record(actor, Action.UPDATE, case, detail={"fields": sorted(fields)})
    return case


def update_cases(actor: User, vault: Vault, cases, **fields) -> int:
    """The same change (``assigned_lawyer``, ``status``) to several cases the actor picked
    from the list, each through update_case (checked and audited one by one), all or none."""
    if not fields or set(fields) - {"assigned_lawyer", "status"}:
        raise TypeError(f"a bulk change sets the lawyer or the status, not {sorted(fields)}")
    with transaction.atomic():
        count = 0
        for case in cases:
            update_case(actor, vault, case, **fields)
            count += 1
    return count


def save_filter(
    actor: User, vault: Vault | None, *, name: str, params: dict[str, str], search: str = ""
) -> SavedFilter:
    """Keep the case list's filters under a name, for the actor only (the same name replaces
    the older one). The search text, which may hold a name, is sealed; roles without the
    data key search references only and keep none."""
    if actor.organisation_id is None or actor.role not in (*IDENTITY_ROLES, Role.ANALYST):
        raise PermissionError("only members of an organisation keep filters")
    name = name.strip()
    if not name or len(name) > 80:
        raise ValueError("a saved filter has a name of 1 to 80 characters")
    if (
        "q" in params
        or len(params) > 20
        or not all(
            key.isidentifier() and isinstance(value, str) and len(value) <= 100
            for key, value in params.items()
        )
    ):
        raise ValueError(f"not a case list filter: {params!r}")
    if search and (vault is None or vault.organisation_id != actor.organisation_id):
        raise PermissionError("the search text is sealed under the actor's organisation key")
    with transaction.atomic():
        SavedFilter.objects.filter(user=actor, name=name).delete()
        saved = SavedFilter.objects.create(
            organisation_id=actor.organisation_id,
            user=actor,
            name=name,
            params=params,
            **(_seal(vault, SavedFilter, search=search) if search else {}),
        )
        record(actor, Action.CREATE, saved)
    return saved


def delete_filter(actor: User, saved: SavedFilter) -> None:
    if saved.user_id != actor.pk:
        raise PermissionError("a saved filter is its owner's only")
    with transaction.atomic():
        record(actor, Action.DELETE, saved)
        saved.delete()


def add_party(actor: User, case: Case, person: Person, role: str) -> CaseParty:
    _require(actor, CASE_EDITORS, case.organisation_id)
    _require_visible(actor, person)
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
    actor: User, vault: Vault, case: Case, *, victim: Person | None = None, **values
) -> Allegation:
    """Record an act of the case (the arguments: ``schema.ACT``), with its victim's copies."""
    _require(actor, CASE_EDITORS, case.organisation_id)
    _check_arguments(schema.ACT, values)
    if victim is not None and not case.parties.filter(person=victim).exists():
        # A party of the case, so that who sees the person follows the case (visible_people).
        raise PermissionError("the victim of an act is a party to its case")
    with transaction.atomic():
        allegation = Allegation.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            victim=victim,
            **Allegation.victim_copies(victim, values["date"]),
            **_columns(vault, Allegation, values),
        )
        allegation.act_types.set(values["act_types"])
        record(actor, Action.CREATE, allegation, detail={"case": case.pk})
    return allegation


def _restage(case: Case) -> None:
    """Stage and step dates follow from the whole legal path."""
    events = list(case.legal_events.all())
    derived = derive(events)
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
            outcome=outcome,
            amount=amount,
            currency=currency.upper(),
            next_date=next_date,
            recorded_by=actor,
            **_seal(vault, LegalEvent, article=article, sentence=sentence, notes=notes),
        )
        _restage(case)
        record(actor, Action.CREATE, event, detail={"case": case.pk, "kind": kind})
    return event


def delete_legal_event(actor: User, event: LegalEvent) -> Revision:
    """A step entered by mistake: removed, kept in the case's history (``corrections.restore``
    puts it back), the stage derived again."""
    case = event.case
    _require(actor, CASE_EDITORS, case.organisation_id)
    with transaction.atomic():
        revision = keep_revision(actor, event, Revision.Change.DELETED, case=case)
        record(
            actor,
            Action.DELETE,
            event,
            detail={"case": case.pk, "kind": event.kind, "revision": revision.pk},
        )
        event.delete()
        _restage(case)
    return revision


def _recorded_fields(model) -> list:
    """The fields a revision keeps of a deleted record: every one but its id."""
    return [
        f for f in [*model._meta.concrete_fields, *model._meta.many_to_many] if not f.primary_key
    ]


def keep_revision(
    actor: User, obj, change: str, names: list[str] | None = None, *, case: Case | None = None
) -> Revision:
    """Keep ``obj`` as it is now, before ``change``: the fields ``names`` (every field when
    None). Clear values are kept as they are; sealed ones as their ciphertext, which needs no
    key and stays bound to its own field's purpose. The caller writes the change and audits."""
    model = type(obj)
    fields = _recorded_fields(model)
    if names is not None:
        fields = [f for f in fields if f.name in names]
    clear = {}
    for f in fields:
        if f.many_to_many:
            clear[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
        elif not isinstance(f, SealedField):
            clear[f.name] = getattr(obj, f.attname)
    revision = Revision.objects.create(
        organisation_id=obj.organisation_id,
        case=case,
        object_type=model._meta.label_lower,
        object_id=obj.pk,
        change=change,
        fields=sorted(f.name for f in fields),
        clear=clear,
        changed_by=actor,
    )
    RevisionValue.objects.bulk_create(
        RevisionValue(
            revision=revision,
            organisation_id=obj.organisation_id,
            field=f.name,
            purpose=sealed_context(model, f.name),
            value=getattr(obj, f.name),
        )
        for f in fields
        if isinstance(f, SealedField) and getattr(obj, f.name) is not None
    )
    return revision


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
        purposes.share(case.pk, case.organisation_id, organisation.pk),
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
        private_key,
        bytes(share.snapshot),
        purposes.share(share.case_id, share.case.organisation_id, share.organisation_id),
    )
    return json.loads(raw)


def reseal_shares(sender, *, organisation: Organisation, reseal, **kwargs) -> None:
    """After a rotation, the snapshots shared with the organisation follow its new key pair."""
    for share in CaseShare.objects.filter(organisation=organisation, revoked_at__isnull=True):
        if share.snapshot:
            aad = purposes.share(share.case_id, share.case.organisation_id, organisation.pk)
            share.snapshot = reseal(bytes(share.snapshot), aad)
            share.save(update_fields=["snapshot"])


def revoke_share(actor: User, share: CaseShare) -> None:
    _require(actor, {Role.COORDINATOR, Role.LAWYER}, share.case.organisation_id)
    with transaction.atomic():
        share.revoked_at = timezone.now()
        share.snapshot = b""
        share.save(update_fields=["revoked_at", "snapshot"])
        record(actor, Action.UPDATE, share.case, detail={"share_revoked": share.organisation_id})


# --- Bulk registration (spreadsheet imports) -----------------------------------------------


@dataclass
class NewCase:
    """One case to register in bulk: what register_person, register_case, add_allegation and
    record_legal_event would take for it. ``case`` holds register_case's declared arguments
    (``schema.CASE``), ``victim`` register_person's, each of ``allegations`` add_allegation's
    (their victim is the case's), each of ``events`` record_legal_event's."""

    case: dict
    import_fingerprint: str = ""  # the row's fingerprint (imports.import_fingerprint)
    external_reference: str = ""  # its number in the register it comes from; sealed
    reference: str = ""  # the case's own reference, when the caller numbers it
    victim: dict | None = None
    consents: dict[str, tuple[bool, date, str]] = field(default_factory=dict)
    allegations: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    @property
    def intake_date(self) -> date:
        return self.case["intake_date"]


def _check_new_case(actor: User, new: NewCase) -> None:
    if new.victim is not None:
        if not actor.sees_identities:
            raise PermissionError("this role does not record identities")
        _check_arguments(schema.PERSON, new.victim)
    _check_arguments(schema.CASE, new.case)
    _check_lawyer(new.case.get("assigned_lawyer"), actor.organisation_id)
    for allegation in new.allegations:
        _check_arguments(schema.ACT, allegation)
        if not allegation.get("act_types"):
            raise ValueError("an allegation names at least one act type")
    for event in new.events:
        if event.get("amount") is not None and not event.get("currency"):
            raise ValueError("an amount needs its currency")


def free_references(organisation: Organisation, years: set[int]) -> Callable[[int], str]:
    """Next references per year, as next_reference numbers them, skipping any in use."""
    counters = {}
    for year in years:
        prefix = f"{organisation.country}-{year}-"
        used = set(
            Case.objects.filter(
                organisation=organisation, reference__startswith=prefix
            ).values_list("reference", flat=True)
        )
        counters[year] = (prefix, len(used) + 1, used)

    def next_free(year: int) -> str:
        prefix, number, used = counters[year]
        while (reference := f"{prefix}{number:04d}") in used:
            number += 1
        counters[year] = (prefix, number + 1, used)
        return reference

    return next_free


def _insert(model, rows: list[dict], *, returning: bool = True) -> list[int]:
    """Insert ``rows`` (attname → value; every other column its default) without building
    model instances: the bulk path's writes. Returns the new ids in order."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    needs = bulk.prepare(fields, connection)
    prepared = [
        [
            f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
            if need
            else row.get(f.attname, defaults[f.attname])
            for f, need in zip(fields, needs, strict=True)
        ]
        for row in rows
    ]
    return bulk.insert_rows(model, fields, prepared, returning=returning)


def refresh_statistics() -> None:
    """After registering many cases at once (an import, invented demo cases)."""
    bulk.analyze(
        [
            Person,
            NameToken,
            Case,
            CaseParty,
            Consent,
            Allegation,
            Allegation.act_types.through,
            LegalEvent,
            AuditEvent,
        ]
    )


def register_cases(actor: User, vault: Vault, new_cases: list[NewCase]) -> list[int]:
    """Register many cases at once (person, case, consents, allegation, legal events): the
    same checks, the same sealing and the same derived stage as the one-by-one actions,
    written in bulk in one transaction, every created record audited with its own event.
    Returns the new cases' ids."""
    _require(actor, CASE_EDITORS, vault.organisation_id)
    for new in new_cases:
        _check_new_case(actor, new)
    organisation = actor.organisation
    org_id, now = actor.organisation_id, timezone.now()
    with transaction.atomic():
        people = [
            {
                "organisation_id": org_id,
                "created_at": now,
                "created_by_id": actor.pk,
                **_columns(vault, Person, new.victim),
            }
            for new in new_cases
            if new.victim is not None
        ]
        names = [new.victim.get("full_name", "") for new in new_cases if new.victim is not None]
        person_ids = iter(_insert(Person, people))
        victim_ids = [None if n.victim is None else next(person_ids) for n in new_cases]
        person_ids = [pk for pk in victim_ids if pk is not None]
        _insert(
            NameToken,
            [
                {"organisation_id": org_id, "person_id": pk, "digest": digest}
                for pk, name in zip(person_ids, names, strict=True)
                for digest in {vault.blind_index(t) for t in name_tokens(name)}
            ],
            returning=False,
        )
        next_free = free_references(organisation, {n.intake_date.year for n in new_cases})
        cases = []
        for new in new_cases:
            events = [SimpleNamespace(pk=None, **e) for e in new.events]
            cases.append(
                {
                    "organisation_id": org_id,
                    "reference": new.reference or next_free(new.intake_date.year),
                    "import_key": (
                        import_key(vault, new.import_fingerprint) if new.import_fingerprint else ""
                    ),
                    "created_at": now,
                    "updated_at": now,
                    "created_by_id": actor.pk,
                    **derive(events),
                    **_columns(vault, Case, new.case),
                    **_seal(
                        vault,
                        Case,
                        import_fingerprint=new.import_fingerprint,
                        external_reference=new.external_reference,
                    ),
                }
            )
        case_ids = _insert(Case, cases)
        _insert(
            CaseParty,
            [
                {"case_id": case_id, "person_id": person_id, "role": CaseParty.Role.VICTIM}
                for case_id, person_id in zip(case_ids, victim_ids, strict=True)
                if person_id is not None
            ],
            returning=False,
        )
        _insert(
            Consent,
            [
                {
                    "case_id": case_id,
                    "scope": scope,
                    "given": given,
                    "date": when,
                    "manner": manner,
                    "recorded_by_id": actor.pk,
                    "recorded_at": now,
                }
                for case_id, new in zip(case_ids, new_cases, strict=True)
                for scope, (given, when, manner) in new.consents.items()
            ],
            returning=False,
        )
        allegations, act_types, allegation_cases = [], [], []
        for case_id, victim_id, new in zip(case_ids, victim_ids, new_cases, strict=True):
            for values in new.allegations:
                act_types.append({t.pk for t in values["act_types"]})
                allegation_cases.append(case_id)
                allegations.append(
                    {
                        "case_id": case_id,
                        "organisation_id": org_id,
                        "victim_id": victim_id,
                        **Allegation.victim_copies(new.victim, values["date"]),
                        **_columns(vault, Allegation, values),
                    }
                )
        allegation_ids = _insert(Allegation, allegations)
        _insert(
            Allegation.act_types.through,
            [
                {"allegation_id": allegation_id, "term_id": term_id}
                for allegation_id, terms in zip(allegation_ids, act_types, strict=True)
                for term_id in terms
            ],
            returning=False,
        )
        events, event_cases = [], []
        for case_id, new in zip(case_ids, new_cases, strict=True):
            for event in new.events:
                values = {k: v for k, v in event.items() if k != "body"}
                sealed = _seal_every(vault, LegalEvent, values)
                events.append(
                    {
                        **values,
                        "case_id": case_id,
                        "organisation_id": org_id,
                        "body_id": getattr(event.get("body"), "pk", None),
                        "currency": (event.get("currency") or "").upper(),
                        "recorded_by_id": actor.pk,
                        **sealed,
                    }
                )
                event_cases.append(case_id)
        event_ids = _insert(LegalEvent, events)
        record_many(actor, Action.CREATE, Person, person_ids, organisation=organisation)
        record_many(actor, Action.CREATE, Case, case_ids, organisation=organisation)
        record_many(
            actor,
            Action.CREATE,
            Allegation,
            allegation_ids,
            organisation=organisation,
            detail=[{"case": c} for c in allegation_cases],
        )
        record_many(
            actor,
            Action.CREATE,
            LegalEvent,
            event_ids,
            organisation=organisation,
            detail=[
                {"case": c, "kind": e["kind"]} for c, e in zip(event_cases, events, strict=True)
            ],
        )
    return case_ids
