"""What an organisation's register holds, read back whole, and the writer's invariants over it:
used by the export round trip and the random-writes test."""

from kuzot.accounts.vault import Vault, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.models import AuditEvent
from kuzot.cases import schema
from kuzot.cases.actions import consent_in_force
from kuzot.cases.models import Allegation, Case, CaseParty, Consent, LegalEvent, NameToken, Person
from kuzot.cases.stages import derive


def _opened(vault: Vault, record, name: str) -> str:
    return vault.open(getattr(record, name), sealed_context(type(record), name))


def _declared(vault: Vault, record, fields) -> tuple:
    values = []
    for f in fields:
        if f.kind == "text":
            values.append(_opened(vault, record, f.name))
        elif f.kind == "groups":
            values.append(tuple(getattr(record, g) for g in Person.VULNERABLE_GROUPS))
        elif f.kind in ("term", "place", "lawyer"):
            values.append(getattr(record, f"{f.name}_id"))
        elif f.kind == "terms":
            values.append(tuple(sorted(t.code for t in getattr(record, f.name).all())))
        elif f.kind == "dated":
            values.append((getattr(record, f.name), getattr(record, f"{f.name}_precision")))
        else:
            values.append(getattr(record, f.name))
    return tuple(values)


def register(vault: Vault) -> list[tuple]:
    """Every case of the vault's organisation with everything the exchange format carries:
    its declared fields, its victim's, its acts', its legal path and consents; sorted, with
    nothing that names the organisation (ids of people and cases, references)."""
    found = []
    cases = Case.objects.filter(organisation_id=vault.organisation_id).prefetch_related(
        "parties__person", "allegations__act_types", "legal_events", "consents"
    )
    exchanged = {
        record: [f for f in schema.exchanged(record) if f.form]
        for record in (schema.CASE, schema.PERSON, schema.ACT)
    }
    for case in cases:
        victims = [p.person for p in case.parties.all() if p.role == CaseParty.Role.VICTIM]
        found.append(
            (
                _declared(vault, case, exchanged[schema.CASE]),
                case.stage,
                tuple(_declared(vault, v, exchanged[schema.PERSON]) for v in victims),
                tuple(
                    sorted(
                        _declared(vault, act, exchanged[schema.ACT]) + (act.victim is not None,)
                        for act in case.allegations.all()
                    )
                ),
                tuple(
                    sorted(
                        (e.kind, e.date, e.body_id, e.amount, e.currency)
                        for e in case.legal_events.all()
                    )
                ),
                tuple(consent_in_force(case, scope) for scope in Consent.Scope.values),
            )
        )
    return sorted(found, key=repr)


def broken_invariants(vault: Vault) -> list[str]:
    """What the one writer promises, checked over the organisation's whole register: the acts'
    copies of their victims, the stage and step dates derived from the legal path, the name
    keys of every person, and an audit event for every record created."""
    problems = []
    organisation = vault.organisation_id
    for act in Allegation.objects.filter(organisation_id=organisation).select_related("victim"):
        copies = Allegation.victim_copies(act.victim, act.date)
        held = {name: getattr(act, name) for name in copies}
        if held != copies:
            problems.append(f"act {act.pk}: copies {held} != {copies}")
    for case in Case.objects.filter(organisation_id=organisation).prefetch_related("legal_events"):
        derived = derive(list(case.legal_events.all()))
        held = {name: getattr(case, name) for name in derived}
        if held != derived:
            problems.append(f"case {case.pk}: {held} != derived {derived}")
    tokens: dict[int, set[str]] = {}
    for person_id, digest in NameToken.objects.filter(organisation_id=organisation).values_list(
        "person_id", "digest"
    ):
        tokens.setdefault(person_id, set()).add(digest)
    for person in Person.objects.filter(organisation_id=organisation):
        name = _opened(vault, person, "full_name")
        expected = {vault.blind_index(t) for t in name_tokens(name)}
        if tokens.get(person.pk, set()) != expected:
            problems.append(f"person {person.pk}: name keys do not match the name")
    for model in (Person, Case, Allegation, LegalEvent):
        records = model.objects.filter(organisation_id=organisation)
        ids = {str(pk) for pk in records.values_list("pk", flat=True)}
        audited = set(
            AuditEvent.objects.filter(
                object_type=model._meta.label_lower, action=AuditEvent.Action.CREATE
            ).values_list("object_id", flat=True)
        )
        if ids - audited:
            problems.append(f"{model.__name__} {sorted(ids - audited)}: created without audit")
    return problems
