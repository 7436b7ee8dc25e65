"""State changes of recommendations: each checks permission, validates, writes and audits.

``save_recommendation`` is the one writer of documents and recommendations: the form and the
spreadsheet import both call it, so a recommendation is identified, its document found or
created and its themes kept the same way whichever door it came in by.
"""

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot.accounts.models import Role, User
from kuzot.accounts.vault import Vault, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases.models import Case
from kuzot.recommendations.models import (
    Assessment,
    CaseLink,
    Document,
    Mechanism,
    PlannedAction,
    Position,
    Recommendation,
    StatisticsLink,
    Status,
    Theme,
)
from kuzot.recommendations.schema import (
    ACTION_FIELDS,
    ASSESSMENT_FIELDS,
    DOCUMENT_FIELDS,
    RECOMMENDATION_FIELDS,
)

EDITORS = frozenset({Role.COORDINATOR, Role.LAWYER, Role.MONITOR})
IMPORTERS = frozenset({Role.COORDINATOR})

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"
NULLABLE = {"upr_action_category", "follow_up_deadline"}  # the others are "" when empty


class Invalid(ValueError):
    """A value an action refuses; the message is for the person who typed it."""


def _require(actor: User, roles) -> None:
    if actor.role not in roles or actor.organisation_id is None:
        raise PermissionError(f"{actor.role} may not do this")


def _check_choices(values: dict, fields) -> None:
    for field in fields:
        value = values.get(field.name)
        if field.required and value in (None, "", []):
            raise Invalid(_("%(field)s is required.") % {"field": field.label})
        if field.choices is not None and value and value not in field.choices.values:
            raise Invalid(
                _("“%(value)s” is not a known %(field)s.") % {"value": value, "field": field.label}
            )


def recommendation_key(paragraph: str, text: str) -> str:
    """The paragraph; without one (UPR Info gives none), a digest of the text as written."""
    if paragraph:
        return paragraph
    return "#" + hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:16]


def search_text(*parts: str) -> str:
    return " ".join(" ".join(part.split()) for part in parts if part).casefold()


def _document(values: dict) -> tuple[Document, bool]:
    symbol = " ".join(values["symbol"].split())
    document = Document.objects.filter(symbol=symbol).first()
    fields = {f.name: values.get(f.name) for f in DOCUMENT_FIELDS if f.name != "symbol"}
    if document is None:
        clean = {k: v for k, v in fields.items() if v not in (None, "")}
        return Document.objects.create(symbol=symbol, **clean), True
    if document.country != fields["country"]:
        raise Invalid(
            _("%(symbol)s is a document of %(country)s.")
            % {"symbol": symbol, "country": document.get_country_display()}
        )
    changed = False
    for name, value in fields.items():
        if value not in (None, "") and getattr(document, name) != value:
            setattr(document, name, value)
            changed = True
    if changed:
        document.save()
    return document, changed


def save_recommendation(
    actor: User, values: dict, *, recommendation: Recommendation | None = None
) -> tuple[Recommendation, str]:
    """Add a recommendation, or update the one with the same document, recommending state and
    paragraph (or text, when there is no paragraph): ``values`` holds the schema's document
    and recommendation fields, ``themes`` as a list of names. Returns it with ADDED, UPDATED or
    UNCHANGED. ``recommendation``: the one being edited (it may move to another paragraph)."""
    _require(actor, EDITORS)
    values = {**values, "mechanism": values.get("mechanism") or ""}
    _check_choices(values, DOCUMENT_FIELDS + RECOMMENDATION_FIELDS)
    if values["mechanism"] not in Mechanism.values:
        raise Invalid(_("The mechanism is required."))
    category = values.get("upr_action_category")
    if category is not None and not 1 <= category <= 5:
        raise Invalid(_("The UPR action category is a number from 1 to 5."))
    text = values["text"].strip()
    fields = {
        f.name: values.get(f.name)
        for f in RECOMMENDATION_FIELDS
        if f.name != "themes" and f.name in values
    }
    fields = {k: ("" if v is None and k not in NULLABLE else v) for k, v in fields.items()}
    fields["text"] = text
    fields["language"] = (fields.get("language") or "en").lower()[:5]
    fields["position"] = fields.get("position") or Position.UNKNOWN
    themes = sorted({" ".join(t.split()) for t in values.get("themes") or [] if t.strip()})
    with transaction.atomic():
        document, document_changed = _document(values)
        key = recommendation_key(fields.get("paragraph", ""), text)
        state = fields.get("recommending_state", "")
        found = Recommendation.objects.filter(
            document=document, recommending_state=state, key=key
        ).first()
        if recommendation is not None and found is not None and found.pk != recommendation.pk:
            raise Invalid(_("%(found)s is already recorded.") % {"found": found})
        target = recommendation or found
        fields["search"] = search_text(
            document.symbol,
            *themes,
            *(
                fields.get(name, "")
                for name in ("text", "text_en", "text_ru", "recommending_state")
            ),
        )
        if target is None:
            target = Recommendation.objects.create(document=document, key=key, **fields)
            target.themes.set(_themes(themes))
            record(actor, Action.CREATE, target, detail={"document": document.symbol})
            return target, ADDED
        changed = [
            name for name, value in {**fields, "key": key}.items() if getattr(target, name) != value
        ]
        if target.document_id != document.pk:
            changed.append("document")
        if sorted(target.themes.values_list("name", flat=True)) != themes:
            changed.append("themes")
        if not changed:
            return target, UPDATED if document_changed else UNCHANGED
        target.document, target.key = document, key
        for name, value in fields.items():
            setattr(target, name, value)
        target.updated_at = timezone.now()
        target.save()
        target.themes.set(_themes(themes))
        record(actor, Action.UPDATE, target, detail={"fields": sorted(changed)})
    return target, UPDATED


def _themes(names: list[str]) -> list[Theme]:
    return [Theme.objects.get_or_create(name=name)[0] for name in names]


def link_repeat(actor: User, later: Recommendation, earlier: Recommendation | None) -> None:
    """``later`` reiterates ``earlier`` (None: it repeats nothing): one thread across cycles."""
    _require(actor, EDITORS)
    if earlier is not None:
        if earlier.pk == later.pk:
            raise Invalid(_("A recommendation does not repeat itself."))
        if earlier.document.country != later.document.country:
            raise Invalid(_("A recommendation repeats one made to the same country."))
        if _descends(earlier, later):  # later would then repeat itself, through earlier
            raise Invalid(_("That recommendation already repeats this one."))
    with transaction.atomic():
        later.repeats = earlier
        later.save(update_fields=["repeats"])
        record(actor, Action.UPDATE, later, detail={"repeats": earlier.pk if earlier else None})


def _descends(candidate: Recommendation, ancestor: Recommendation) -> bool:
    seen = set()
    while candidate is not None and candidate.pk not in seen:
        if candidate.pk == ancestor.pk:
            return True
        seen.add(candidate.pk)
        candidate = candidate.repeats
    return False


def _owned(values: dict, fields) -> dict:
    unknown = set(values) - {f.name for f in fields}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _check_choices(values, fields)
    return {f.name: values[f.name] for f in fields if values.get(f.name) is not None}


def _sealed(vault: Vault, actor: User, model, fields: dict, names: tuple[str, ...]) -> dict:
    """The free text a member types, sealed under the organisation's key."""
    if vault.organisation_id != actor.organisation_id:
        raise PermissionError("sealed under the actor's own organisation key")
    for name in names:
        fields[name] = vault.seal(fields.get(name) or "", sealed_context(model, name))
    return fields


def record_assessment(
    actor: User, vault: Vault, recommendation: Recommendation, **values
) -> Assessment:
    """An assessment of implementation by the organisation, the state or the body, as of a
    date; only the organisation sees it unless ``public`` (its evidence, sealed, never)."""
    _require(actor, EDITORS)
    fields = _owned(values, ASSESSMENT_FIELDS)
    if fields["date"] > date.today():
        raise Invalid(_("This date is in the future."))
    if fields["status"] not in Status.values:
        raise Invalid(_("Choose a status."))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            recommendation=recommendation,
            organisation_id=actor.organisation_id,
            recorded_by=actor,
            **_sealed(vault, actor, Assessment, fields, ("evidence",)),
        )
        record(
            actor,
            Action.CREATE,
            assessment,
            detail={"recommendation": recommendation.pk, "status": assessment.status},
        )
    return assessment


def plan_action(
    actor: User, vault: Vault, recommendation: Recommendation, **values
) -> PlannedAction:
    """What should be done, by whom, measured how, by when (the organisation's own plan)."""
    _require(actor, EDITORS)
    fields = _owned(values, ACTION_FIELDS)
    with transaction.atomic():
        planned = PlannedAction.objects.create(
            recommendation=recommendation,
            organisation_id=actor.organisation_id,
            recorded_by=actor,
            **_sealed(vault, actor, PlannedAction, fields, ("what", "indicator")),
        )
        record(actor, Action.CREATE, planned, detail={"recommendation": recommendation.pk})
    return planned


def link_case(actor: User, recommendation: Recommendation, case: Case) -> CaseLink:
    """One of the organisation's cases as evidence; only a case the actor sees."""
    from kuzot.cases.selectors import visible_cases

    _require(actor, EDITORS)
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionError("the case is not visible to this member")
    with transaction.atomic():
        link, created = CaseLink.objects.get_or_create(
            recommendation=recommendation,
            case=case,
            defaults={"organisation_id": case.organisation_id, "linked_by": actor},
        )
        if created:
            record(actor, Action.UPDATE, recommendation, detail={"linked_case": case.pk})
    return link


def unlink_case(actor: User, link: CaseLink) -> None:
    _require(actor, EDITORS)
    if link.organisation_id != actor.organisation_id:
        raise PermissionError("the link belongs to another organisation")
    with transaction.atomic():
        record(actor, Action.UPDATE, link.recommendation, detail={"unlinked_case": link.case_id})
        link.delete()


def link_statistics(
    actor: User, recommendation: Recommendation, dimension: str, category: str
) -> StatisticsLink:
    """The organisation's acts of one category per year, as evidence (``stats.queries``)."""
    from kuzot.stats.queries import DIMENSIONS, GROUPS

    _require(actor, EDITORS)
    if dimension not in DIMENSIONS and dimension not in GROUPS or not category:
        raise Invalid(_("Choose a category of the statistics."))
    with transaction.atomic():
        link, created = StatisticsLink.objects.get_or_create(
            recommendation=recommendation,
            organisation_id=actor.organisation_id,
            dimension=dimension,
            category=category,
            defaults={"linked_by": actor},
        )
        if created:
            record(
                actor,
                Action.UPDATE,
                recommendation,
                detail={"statistics": [dimension, category]},
            )
    return link
