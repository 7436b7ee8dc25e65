"""Corrections: a person or an act edited, an act or a step of the legal path entered by
mistake deleted (and put back), two records of one person merged.

Each action checks permission, keeps the record as it was (``actions.keep_revision``: who,
when, the earlier values, sealed ones still sealed), writes, audits, and keeps right what
depends on the record: the name index, the copies an act keeps of its victim
(``Allegation.victim_copies``), the case's derived stage.
"""

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from kuzot.accounts.models import IDENTITY_ROLES, User
from kuzot.accounts.vault import SealedField, Vault, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases.actions import (
    CASE_EDITORS,
    _require,
    _require_visible,
    _restage,
    index_name,
    keep_revision,
)
from kuzot.cases.models import (
    Allegation,
    CaseParty,
    ConsistencyFinding,
    LegalEvent,
    Person,
    Revision,
    Term,
)

PERSON_CLEAR = ("sex", "birth_year", "nationality", *Person.VULNERABLE_GROUPS)
PERSON_SEALED = ("full_name", "contact", "address", "birth_date", "id_number")
ALLEGATION_CLEAR = (
    "date",
    "date_precision",
    "victim",
    "region",
    "place_of_detention",
    "agency",
    "purpose",
    "context",
)
ALLEGATION_SEALED = ("district", "unit", "description", "perpetrators")
RESTORABLE = (Allegation, LegalEvent)


def _changed(vault: Vault, obj, values: dict) -> list[str]:
    """The names of ``values`` that differ from ``obj``'s (sealed ones compared opened)."""
    changed = []
    for name, value in values.items():
        field = type(obj)._meta.get_field(name)
        if isinstance(field, SealedField):
            current = vault.open(getattr(obj, name), sealed_context(type(obj), name))
            if (value or "") != current:
                changed.append(name)
        elif field.many_to_many:
            if {t.pk for t in value} != set(getattr(obj, name).values_list("pk", flat=True)):
                changed.append(name)
        elif getattr(obj, name) != value:
            changed.append(name)
    return sorted(changed)


def _write(vault: Vault, obj, values: dict, names: list[str]) -> None:
    for name in names:
        field = type(obj)._meta.get_field(name)
        if isinstance(field, SealedField):
            setattr(obj, name, vault.seal(values[name] or "", sealed_context(type(obj), name)))
        elif not field.many_to_many:
            setattr(obj, name, values[name])


def refresh_victim_copies(person: Person) -> int:
    """Every act of the person keeps their current sex, age and groups again; how many."""
    acts = Allegation.objects.filter(victim=person)
    updated = 0
    for act_date in acts.values_list("date", flat=True).distinct().order_by():
        updated += acts.filter(date=act_date).update(**Allegation.victim_copies(person, act_date))
    return updated


# --- People --------------------------------------------------------------------------------


def update_person(actor: User, vault: Vault, person: Person, **values) -> Revision | None:
    """Correct a person: identity sealed as when recorded, the name index rebuilt when the name
    changes, and every act's copies of the person refreshed. Returns the revision keeping the
    earlier values (None when nothing changed)."""
    if not actor.sees_identities:
        raise PermissionError("this role does not record identities")
    _require(actor, IDENTITY_ROLES, person.organisation_id)
    _require_visible(actor, person)
    if vault.organisation_id != person.organisation_id:
        raise PermissionError("a person is sealed under their organisation's key")
    unknown = set(values) - set(PERSON_CLEAR) - set(PERSON_SEALED)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "full_name" in values:
        values["full_name"] = (values["full_name"] or "").strip()
        if not values["full_name"]:
            raise ValueError("a person has a name")
    changed = _changed(vault, person, values)
    if not changed:
        return None
    with transaction.atomic():
        revision = keep_revision(actor, person, Revision.Change.UPDATED, changed)
        _write(vault, person, values, changed)
        person.save()
        if "full_name" in changed:
            index_name(vault, person, values["full_name"])
        if set(changed) & {"sex", "birth_year", *Person.VULNERABLE_GROUPS}:
            refresh_victim_copies(person)
        record(actor, Action.UPDATE, person, detail={"fields": changed, "revision": revision.pk})
    return revision


def merge_people(actor: User, kept: Person, other: Person) -> Revision:
    """Two records of one organisation that turn out to be one person: every case and act of
    ``other`` passes to ``kept``, whose values stand (the acts take its sex, age and groups);
    ``other`` is deleted, its values kept in the revision returned."""
    if not actor.sees_identities:
        raise PermissionError("this role does not record identities")
    _require(actor, CASE_EDITORS, kept.organisation_id)
    if other.organisation_id != kept.organisation_id:
        raise PermissionError("only records of one organisation are merged")
    if other.pk == kept.pk:
        raise ValueError("a record is not merged with itself")
    _require_visible(actor, kept)
    _require_visible(actor, other)
    with transaction.atomic():
        parties = list(CaseParty.objects.filter(person=other).values_list("case_id", "role"))
        revision = keep_revision(actor, other, Revision.Change.MERGED)
        revision.clear |= {"merged_into": kept.pk, "parties": parties}
        revision.save(update_fields=["clear"])
        held = set(CaseParty.objects.filter(person=kept).values_list("case_id", "role"))
        for case_id, role in parties:
            if (case_id, role) in held:
                CaseParty.objects.filter(person=other, case_id=case_id, role=role).delete()
        CaseParty.objects.filter(person=other).update(person=kept)
        Allegation.objects.filter(victim=other).update(victim=kept)
        refresh_victim_copies(kept)
        record(actor, Action.UPDATE, kept, detail={"merged": other.pk, "revision": revision.pk})
        record(
            actor, Action.DELETE, other, detail={"merged_into": kept.pk, "revision": revision.pk}
        )
        other.delete()
    return revision


def current_person(person_id: int | None) -> Person | None:
    """The person a record id stands for now: itself, or the record it was merged into."""
    seen = set()
    while person_id is not None and person_id not in seen:
        if (person := Person.objects.filter(pk=person_id).first()) is not None:
            return person
        seen.add(person_id)
        merged = Revision.objects.filter(
            object_type="cases.person", object_id=person_id, change=Revision.Change.MERGED
        ).first()
        person_id = merged.clear.get("merged_into") if merged else None
    return None


# --- Acts ----------------------------------------------------------------------------------


def update_allegation(
    actor: User,
    vault: Vault,
    allegation: Allegation,
    *,
    act_types: list[Term],
    **values,
) -> Revision | None:
    """Correct an act (add_allegation's arguments): the earlier values kept, the copies of its
    victim taken again (the victim or the date may have changed)."""
    case = allegation.case
    _require(actor, CASE_EDITORS, case.organisation_id)
    unknown = set(values) - set(ALLEGATION_CLEAR) - set(ALLEGATION_SEALED)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if not act_types:
        raise ValueError("an allegation names at least one act type")
    victim = values.get("victim", allegation.victim)
    if victim is not None and not case.parties.filter(person=victim).exists():
        raise PermissionError("the victim of an act is a party to its case")
    values["act_types"] = act_types
    changed = _changed(vault, allegation, values)
    if not changed:
        return None
    with transaction.atomic():
        revision = keep_revision(actor, allegation, Revision.Change.UPDATED, changed, case=case)
        _write(vault, allegation, values, changed)
        # Person(): no victim, no copies (sex unknown, age unknown, in no group).
        copies = Allegation.victim_copies(allegation.victim or Person(), allegation.date)
        for name, value in copies.items():
            setattr(allegation, name, value)
        allegation.save()
        if "act_types" in changed:
            allegation.act_types.set(act_types)
        record(
            actor,
            Action.UPDATE,
            allegation,
            detail={"case": case.pk, "fields": changed, "revision": revision.pk},
        )
    return revision


def delete_allegation(actor: User, allegation: Allegation) -> Revision:
    """An act entered by mistake: removed with the medical findings on it, all kept in the
    case's history (``restore`` puts them back)."""
    case = allegation.case
    _require(actor, CASE_EDITORS, case.organisation_id)
    with transaction.atomic():
        revision = keep_revision(actor, allegation, Revision.Change.DELETED, case=case)
        findings = ConsistencyFinding.objects.filter(allegation=allegation)
        revision.clear["findings"] = list(findings.values_list("evaluation_id", "level"))
        revision.save(update_fields=["clear"])
        record(actor, Action.DELETE, allegation, detail={"case": case.pk, "revision": revision.pk})
        allegation.delete()
    return revision


# --- Steps of the legal path --------------------------------------------------------------

EVENT_FIELDS = ("kind", "date", "body", "outcome", "amount", "currency", "next_date")
EVENT_SEALED = ("article", "sentence", "notes")


def update_legal_event(actor: User, vault: Vault, event: LegalEvent, **values) -> Revision | None:
    """Correct a step (record_legal_event's arguments): the earlier values kept, the case's
    stage and step dates derived again from the whole path."""
    case = event.case
    _require(actor, CASE_EDITORS, case.organisation_id)
    unknown = set(values) - set(EVENT_FIELDS) - set(EVENT_SEALED)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "currency" in values:
        values["currency"] = (values["currency"] or "").upper()
    amount, currency = values.get("amount", event.amount), values.get("currency", event.currency)
    if amount is not None and not currency:
        raise ValueError("an amount needs its currency")
    changed = _changed(vault, event, values)
    if not changed:
        return None
    with transaction.atomic():
        revision = keep_revision(actor, event, Revision.Change.UPDATED, changed, case=case)
        _write(vault, event, values, changed)
        event.save()
        _restage(case)
        record(
            actor,
            Action.UPDATE,
            event,
            detail={"case": case.pk, "fields": changed, "revision": revision.pk},
        )
    return revision


# --- Undoing a deletion --------------------------------------------------------------------


def restore(actor: User, revision: Revision):
    """Put back an act or a step of the legal path deleted by mistake, under its own id, as it
    was (its victim's copies as the victim is now; the stage derived again)."""
    model = apps.get_model(revision.object_type)
    _require(actor, CASE_EDITORS, revision.organisation_id)
    if model not in RESTORABLE or revision.change != Revision.Change.DELETED:
        raise ValueError("only a deleted act or step of the legal path is put back")
    if revision.restored_at is not None:
        raise ValueError("this deletion was already undone")
    values, many = {}, {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.name in revision.clear:
            value = revision.clear[field.name]
            if field.many_to_many:
                many[field.name] = value
            else:
                values[field.attname] = None if value is None else field.to_python(value)
    values |= {v.field: bytes(v.value) for v in revision.sealed.all()}
    with transaction.atomic():
        obj = model(pk=revision.object_id, **values)
        if model is Allegation:
            victim = current_person(obj.victim_id)
            obj.victim = victim
            for name, value in Allegation.victim_copies(victim or Person(), obj.date).items():
                setattr(obj, name, value)
        obj.save(force_insert=True)
        for name, ids in many.items():
            getattr(obj, name).set(ids)
        if model is Allegation:
            evaluations = set(obj.case.medical_evaluations.values_list("pk", flat=True))
            ConsistencyFinding.objects.bulk_create(
                ConsistencyFinding(evaluation_id=e, allegation=obj, level=level)
                for e, level in revision.clear.get("findings", [])
                if e in evaluations
            )
        else:
            _restage(obj.case)
        revision.restored_at = timezone.now()
        revision.save(update_fields=["restored_at"])
        record(actor, Action.CREATE, obj, detail={"case": obj.case_id, "restored": revision.pk})
    return obj
