"""Visibility-checked reads. Every view, export and API reads people and cases through here."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Case as DbCase
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from kuzot.accounts.models import Role, User
from kuzot.accounts.vault import Keyring, SealedField, organisation_private_key, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.log import Action, record
from kuzot.cases import schema
from kuzot.cases.actions import import_key, open_share
from kuzot.cases.imports import import_fingerprint
from kuzot.cases.models import (
    Allegation,
    Case,
    CaseParty,
    CaseShare,
    Consent,
    EvidenceFile,
    LegalEvent,
    MedicalEvaluation,
    NameToken,
    Person,
    PlaceOfDetention,
    Revision,
    SavedFilter,
    Stage,
    Term,
)

IDENTITY_FIELDS = tuple(schema.names(schema.PERSON, kinds={"text"}))


def _organisation_member(user: User) -> bool:
    return user.is_authenticated and not user.is_system_admin and user.organisation_id is not None


def _not_found(user: User, model, pk) -> Http404:
    """404, and an audit row when the record exists but is not the user's to see."""
    if (other := model.objects.filter(pk=pk).only("pk", "organisation_id").first()) is not None:
        record(user, Action.VIEW_DENIED, other, organisation=user.organisation)
    return Http404()


# --- People --------------------------------------------------------------------------------


def visible_people(user: User) -> QuerySet[Person]:
    """People of the user's own organisation whom the user meets in a case they see: hidden
    are those whose every case is hidden from the user (a strictly confidential case of another
    lawyer), so that its victim is not read, found, picked or exported around the case. People
    without a case yet are visible. The system administrator reads none."""
    if not _organisation_member(user):
        return Person.objects.none()
    people = Person.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return people
    hidden = Case.objects.filter(organisation_id=user.organisation_id).exclude(_visible(user))
    # Parties of the few hidden cases, each checked for a visible case of theirs by the
    # person's index, rather than the set of every visible case's parties built per request.
    seen = CaseParty.objects.filter(_visible(user, "case__"), person_id=OuterRef("person_id"))
    only_hidden = CaseParty.objects.filter(case__in=hidden).exclude(Exists(seen))
    return people.exclude(pk__in=only_hidden.values("person_id"))


def get_person(user: User, pk: int) -> Person:
    try:
        return visible_people(user).get(pk=pk)
    except Person.DoesNotExist:
        raise _not_found(user, Person, pk) from None


def search_people(user: User, keyring: Keyring, query: str) -> QuerySet[Person]:
    """People whose name holds every token of the query, in any script or spelling."""
    tokens = name_tokens(query)
    people = visible_people(user)
    if not tokens or not user.sees_identities:
        return people.none()
    vault = keyring.vault(user.organisation_id)
    for digest in {vault.blind_index(token) for token in tokens}:
        people = people.filter(
            pk__in=NameToken.objects.filter(
                organisation_id=user.organisation_id, digest=digest
            ).values("person_id")
        )
    return people


def find_people(user: User, keyring: Keyring, query: str) -> QuerySet[Person]:
    """The people list's one search box: a record number (P-12, or 12) for every role, else a
    name (search_people); every visible person when it is empty."""
    query = query.strip()
    if not query:
        return visible_people(user)
    if number := re.fullmatch(r"(?:[Pp]-?)?(\d{1,12})", query):
        return visible_people(user).filter(pk=int(number[1]))
    return search_people(user, keyring, query)


@dataclass(frozen=True)
class Identity:
    full_name: str
    contact: str
    address: str
    birth_date: str
    id_number: str


def read_identity(user: User, keyring: Keyring, person: Person) -> Identity | None:
    """Decrypt a person's identity for a user allowed to see it; every look is audited."""
    if not user.sees_identities or person.organisation_id != user.organisation_id:
        record(user, Action.VIEW, person)
        return None
    vault = keyring.vault(person.organisation_id)
    identity = Identity(
        **{f: vault.open(getattr(person, f), sealed_context(Person, f)) for f in IDENTITY_FIELDS}
    )
    record(user, Action.VIEW_IDENTITY, person)
    return identity


def person_names(keyring: Keyring, people) -> dict[int, str]:
    """Names of people the caller already read through a selector (no audit of its own)."""
    context = sealed_context(Person, "full_name")
    return {p.pk: keyring.vault(p.organisation_id).open(p.full_name, context) for p in people}


def listed_names(user: User, keyring: Keyring, people) -> dict[int, str]:
    """Names of a page of people (from visible_people or search_people) for the roles that
    see identities, audited as one look at that page; nothing for the others."""
    people = list(people)
    if not user.sees_identities or not people:
        return {}
    names = person_names(keyring, people)
    record(user, Action.VIEW_IDENTITY, detail={"people": [p.pk for p in people]})
    return names


# --- Cases ---------------------------------------------------------------------------------


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases of the user's organisation; strictly confidential ones only to their lawyer and
    the coordinator."""
    if not _organisation_member(user):
        return Case.objects.none()
    return Case.objects.filter(_visible(user))


def _visible(user: User, case: str = "") -> Q:
    """The rule of visible_cases on the case at the path ``case`` ("case__" from its records)."""
    rule = Q(**{f"{case}organisation_id": user.organisation_id})
    if user.role != Role.COORDINATOR:
        rule &= ~Q(**{f"{case}confidentiality": Case.Confidentiality.STRICT}) | Q(
            **{f"{case}assigned_lawyer": user}
        )
    return rule


def get_case(user: User, pk: int) -> Case:
    try:
        return visible_cases(user).select_related("source", "assigned_lawyer").get(pk=pk)
    except Case.DoesNotExist:
        raise _not_found(user, Case, pk) from None


def can_read_medical(user: User, case: Case) -> bool:
    """Only doctors of the organisation and the case's own lawyer read medical evaluations."""
    if user.organisation_id != case.organisation_id:
        return False
    return user.role == Role.DOCTOR or (
        user.role == Role.LAWYER and case.assigned_lawyer_id == user.pk
    )


def medical_evaluations(user: User, case: Case) -> QuerySet[MedicalEvaluation]:
    if not can_read_medical(user, case):
        return MedicalEvaluation.objects.none()
    return case.medical_evaluations.prefetch_related("findings").order_by("date")


def timeline(case: Case) -> QuerySet[LegalEvent]:
    return case.legal_events.select_related("body").order_by("date", "id")


def allegations(case: Case) -> QuerySet[Allegation]:
    """A case's acts with every declared term and place (``schema.ACT``), and their victims."""
    related = schema.names(schema.ACT, kinds={"term", "place"})
    many = schema.names(schema.ACT, kinds={"terms"})
    return case.allegations.select_related(*related, "victim").prefetch_related(*many)


def upcoming(user: User, days: int = 30) -> QuerySet[LegalEvent]:
    """Next hearings and deadlines of the cases the user sees (their own first)."""
    if not _organisation_member(user):
        return LegalEvent.objects.none()
    today = date.today()
    return (
        LegalEvent.objects.filter(
            _visible(user, "case__"),
            organisation_id=user.organisation_id,  # the (organisation, next_date) index
            next_date__gte=today,
            next_date__lte=today + timedelta(days=days),
        )
        .select_related("case")
        .annotate(
            others=DbCase(When(case__assigned_lawyer_id=user.pk, then=Value(0)), default=Value(1))
        )
        .order_by("others", "next_date", "pk")
    )


def shares_received(user: User, query: str = "") -> QuerySet[CaseShare]:
    """Cases shared with the user's organisation; ``query`` narrows them by a part of the
    case's reference or of the sharing organisation's name."""
    if not user.sees_identities:
        return CaseShare.objects.none()
    shares = CaseShare.objects.filter(
        organisation_id=user.organisation_id, revoked_at__isnull=True
    ).select_related("case", "case__organisation")
    if query := query.strip():
        shares = shares.filter(
            Q(case__reference__icontains=query) | Q(case__organisation__name__icontains=query)
        )
    return shares


def read_share(user: User, keyring: Keyring, pk: int) -> tuple[CaseShare, dict]:
    """A case another organisation shared with the user's: the snapshot, opened and audited."""
    try:
        share = shares_received(user).get(pk=pk)
    except CaseShare.DoesNotExist:
        raise Http404 from None
    private_key = organisation_private_key(user.organisation, keyring.vault(user.organisation_id))
    snapshot = open_share(share, private_key)
    record(
        user,
        Action.VIEW_IDENTITY,
        share.case,
        organisation=user.organisation,
        detail={"shared_by": share.case.organisation_id},
    )
    return share, snapshot


def get_evidence(user: User, pk: int) -> EvidenceFile:
    """An evidence file of a case the user sees (404 otherwise, audited)."""
    try:
        return EvidenceFile.objects.select_related("case").get(pk=pk, case__in=visible_cases(user))
    except EvidenceFile.DoesNotExist:
        raise _not_found(user, EvidenceFile, pk) from None


def evidence_of(case: Case) -> QuerySet[EvidenceFile]:
    return case.evidence.prefetch_related("custody").order_by("uploaded_at")


# --- Case register screens -----------------------------------------------------------------


def _active_terms(user: User) -> QuerySet[Term]:
    """Active terms: the shipped ones and the user's organisation's own."""
    return Term.objects.filter(active=True).filter(
        Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id)
    )


def terms(user: User, vocabulary: str) -> QuerySet[Term]:
    """Active terms of a vocabulary: the shipped ones and the user's organisation's own."""
    return _active_terms(user).filter(vocabulary=vocabulary)


def term_choices(user: User, *vocabularies: str) -> dict[str, list[tuple[int, str]]]:
    """(id, label) of the active terms of several vocabularies, in one query."""
    found: dict[str, list[tuple[int, str]]] = {vocabulary: [] for vocabulary in vocabularies}
    for term in _active_terms(user).filter(vocabulary__in=vocabularies):
        found[term.vocabulary].append((term.pk, term.label))
    return found


def organisation_lawyers(user: User) -> QuerySet[User]:
    if not _organisation_member(user):
        return User.objects.none()
    return User.objects.filter(
        organisation_id=user.organisation_id, role=Role.LAWYER, is_active=True
    )


CASE_ORDERINGS = {
    "-intake_date": ("-intake_date", "-id"),
    "intake_date": ("intake_date", "id"),
    "reference": ("reference",),
    "-reference": ("-reference",),
    "stage": ("stage_rank", "-intake_date", "-id"),
    "-stage": ("-stage_rank", "-intake_date", "-id"),
}


def case_list(
    user: User, filters: dict, ordering: str = "-intake_date", keyring: Keyring | None = None
) -> QuerySet[Case]:
    """Visible cases filtered on indexed columns (allegation and victim filters as semi-joins),
    with the assigned lawyer joined and the victims prefetched for a page. A reference is
    Kuzot's, or the sealed one a case was imported under, found by its keyed import key (with
    the organisation's key only)."""
    cases = visible_cases(user)
    if reference := filters.get("reference", "").strip():
        cases = cases.filter(_reference_is(user, keyring, reference))
    if filters.get("mine"):
        cases = cases.filter(assigned_lawyer_id=user.pk)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("stage"):
        cases = cases.filter(stage=filters["stage"])
    if filters.get("year"):
        year = filters["year"]
        cases = cases.filter(
            intake_date__gte=date(year, 1, 1), intake_date__lt=date(year + 1, 1, 1)
        )
    if filters.get("lawyer"):
        cases = cases.filter(assigned_lawyer=filters["lawyer"])
    acts = {
        name: filters[key]
        for key, name in (("region", "region"), ("agency", "agency"), ("act_type", "act_types"))
        if filters.get(key)
    }
    # Semi-joins as "id IN (…)", evaluated once: as correlated EXISTS, SQLite without
    # statistics searched the acts by region for every case (minutes at 100,000 cases).
    if acts:
        cases = cases.filter(
            pk__in=Allegation.objects.filter(organisation_id=user.organisation_id, **acts).values(
                "case_id"
            )
        )
    if filters.get("group") in Person.VULNERABLE_GROUPS:
        cases = cases.filter(
            pk__in=CaseParty.objects.filter(
                role=CaseParty.Role.VICTIM,
                person__organisation_id=user.organisation_id,
                **{f"person__{filters['group']}": True},
            ).values("case_id")
        )
    if text := filters.get("q", "").strip():
        cases = cases.filter(pk__in=_text_matches(user, keyring, cases, text))
    victims = CaseParty.objects.filter(role=CaseParty.Role.VICTIM).select_related("person")
    victims = victims.only("case_id", "person__id", "person__organisation_id", "person__full_name")
    return (
        cases.select_related("assigned_lawyer")
        .defer("summary", "import_fingerprint", "external_reference")
        .prefetch_related(Prefetch("parties", queryset=victims, to_attr="victims"))
        .order_by(*CASE_ORDERINGS.get(ordering, CASE_ORDERINGS["-intake_date"]))
    )


def _reference_is(user: User, keyring: Keyring | None, reference: str) -> Q:
    matches = Q(reference=reference)
    if keyring is not None and user.sees_identities:
        fingerprint = import_fingerprint(user.organisation_id, {"reference": reference})
        matches |= Q(import_key=import_key(keyring.vault(user.organisation_id), fingerprint))
    return matches


def _text_matches(user: User, keyring: Keyring | None, cases: QuerySet[Case], text: str) -> list:
    """Ids of the cases (already filtered) that one search box finds: by reference (Kuzot's or
    the imported one); for identity roles also by a party's name (every token, through the
    blind index, as people search) and by words of the summary, opened here one case at a time
    and audited as one look at the cases it found. Opening costs 63 µs a summary (measured on
    the shared 2-core development machine under load, December 2026): some 6 s for an
    organisation of 100,000 cases unless other filters narrow the list first."""
    found = set(cases.filter(_reference_is(user, keyring, text)).values_list("pk", flat=True))
    if keyring is None or not user.sees_identities:
        return list(found)
    people = search_people(user, keyring, text)
    found |= set(
        cases.filter(
            pk__in=CaseParty.objects.filter(person__in=people).values("case_id")
        ).values_list("pk", flat=True)
    )
    vault, context = keyring.vault(user.organisation_id), sealed_context(Case, "summary")
    words = text.casefold()
    in_summary = [
        pk
        for pk, summary in cases.exclude(summary=None).values_list("pk", "summary").iterator(2000)
        if words in vault.open(summary, context).casefold()
    ]
    if in_summary:
        record(user, Action.VIEW_IDENTITY, detail={"summary_search": in_summary[:1000]})
    return list(found | set(in_summary))


def saved_filters(user: User, keyring: Keyring) -> list[tuple[SavedFilter, str]]:
    """The user's own saved filters, each with the case list's query string it stands for."""
    found = []
    for saved in SavedFilter.objects.filter(user=user):
        params = dict(sorted(saved.params.items()))  # PostgreSQL's jsonb keeps no order
        if saved.search is not None and user.sees_identities:
            vault = keyring.vault(saved.organisation_id)
            params["q"] = vault.open(saved.search, sealed_context(SavedFilter, "search"))
        found.append((saved, urlencode(params)))
    return found


def victim_names(user: User, keyring: Keyring, cases) -> dict[int, list[str]]:
    """Victims' names of a page of cases (from case_list): one audit row for the whole page.
    Roles that do not see identities get nothing, and a row saying they saw the list."""
    cases = list(cases)
    ids = [case.pk for case in cases]
    if not user.sees_identities:
        if ids:
            record(user, Action.VIEW, detail={"case_list": ids})
        return {}
    people = [party.person for case in cases for party in case.victims]
    names = person_names(keyring, people)
    if ids:
        record(user, Action.VIEW_IDENTITY, detail={"case_list": ids})
    return {case.pk: [names[party.person_id] for party in case.victims] for case in cases}


def case_counts(user: User) -> dict[str, int]:
    """Open cases the user sees, and those assigned to them: one query."""
    return (
        visible_cases(user)
        .filter(status=Case.Status.OPEN)
        .aggregate(open=Count("pk"), mine=Count("pk", filter=Q(assigned_lawyer_id=user.pk)))
    )


def open_by_stage(user: User) -> list[tuple[str, str, int]]:
    """Open cases the user sees, counted by stage in the stages' order: (stage, label, n)."""
    counted = dict(
        visible_cases(user)
        .filter(status=Case.Status.OPEN)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(stage, str(name), counted[stage]) for stage, name in Stage.choices if stage in counted]


def my_open_cases(user: User) -> QuerySet[Case]:
    """The open cases assigned to the user, the most advanced first."""
    return (
        visible_cases(user)
        .filter(assigned_lawyer=user, status=Case.Status.OPEN)
        .order_by("-stage_rank", "-intake_date", "-id")
    )


@dataclass
class CaseFile:
    """A case as its page shows it: sealed fields opened only for identity roles (acts and
    legal events carry theirs in ``opened``)."""

    case: Case
    summary: str
    external_reference: str
    victims: list
    parties: list
    consents: list
    allegations: list
    events: list
    evaluations: list
    shares: list
    evidence: list


def consent_by_scope(case: Case) -> list[tuple[str, str, Consent | None]]:
    """(scope, label, the record in force or None when never asked) for every scope."""
    latest = {}
    for consent in case.consents.order_by("-date", "-id"):
        latest.setdefault(consent.scope, consent)
    return [(scope, label, latest.get(scope)) for scope, label in Consent.Scope.choices]


def read_case(user: User, keyring: Keyring, pk: int) -> CaseFile:
    """A case's whole file for its page, audited as one look (with or without identities)."""
    case = get_case(user, pk)
    identities = user.sees_identities
    vault = keyring.vault(case.organisation_id) if identities else None

    def opened(obj, field: str) -> str:
        if vault is None:
            return ""
        return vault.open(getattr(obj, field), sealed_context(type(obj), field))

    def open_all(obj) -> None:
        """Every sealed field of ``obj``, readable in ``obj.opened`` (empty for others)."""
        fields = type(obj)._meta.concrete_fields
        obj.opened = {f.name: opened(obj, f.name) for f in fields if isinstance(f, SealedField)}

    parties = list(case.parties.select_related("person").order_by("role", "pk"))
    names = person_names(keyring, [p.person for p in parties]) if identities else {}
    for party in parties:
        party.name = names.get(party.person_id, "")
    found = list(allegations(case))
    for allegation in found:
        open_all(allegation)
        allegation.victim_name = names.get(allegation.victim_id, "")
    events = list(timeline(case))
    for event in events:
        open_all(event)
    evaluations = list(medical_evaluations(user, case))
    labels = {a.pk: a for a in found}
    for evaluation in evaluations:
        evaluation.physical = opened(evaluation, "physical_findings")
        evaluation.psychological = opened(evaluation, "psychological_findings")
        evaluation.text = opened(evaluation, "conclusion")
        for finding in evaluation.findings.all():
            finding.act = labels.get(finding.allegation_id)
    evidence = list(evidence_of(case)) if identities else []
    for item in evidence:
        item.name = opened(item, "filename")
        item.text = opened(item, "description")
    record(user, Action.VIEW_IDENTITY if identities else Action.VIEW, case)
    return CaseFile(
        case=case,
        summary=opened(case, "summary"),
        external_reference=opened(case, "external_reference"),
        victims=[p for p in parties if p.role == CaseParty.Role.VICTIM],
        parties=parties,
        consents=consent_by_scope(case),
        allegations=found,
        events=events,
        evaluations=evaluations,
        shares=list(
            case.shares.filter(revoked_at__isnull=True)
            .select_related("organisation")
            .order_by("shared_at")
        ),
        evidence=evidence,
    )


def case_victims(user: User, keyring: Keyring, case: Case) -> list[tuple[Person, str]]:
    """The case's victims with their names (for choosing one), audited as one look."""
    if not user.sees_identities or case.organisation_id != user.organisation_id:
        return []
    people = [
        party.person
        for party in case.parties.filter(role=CaseParty.Role.VICTIM).select_related("person")
    ]
    if not people:
        return []
    names = person_names(keyring, people)
    record(user, Action.VIEW_IDENTITY, case, detail={"victims": [p.pk for p in people]})
    return [(person, names[person.pk]) for person in people]


def read_summary(user: User, keyring: Keyring, case: Case) -> str:
    """A case's sealed summary, for editing it: audited as a look at identities."""
    if not user.sees_identities or case.organisation_id != user.organisation_id:
        return ""
    record(user, Action.VIEW_IDENTITY, case, detail={"summary": True})
    return keyring.vault(case.organisation_id).open(case.summary, sealed_context(Case, "summary"))


def _term(term: Term | None) -> dict | None:
    return None if term is None else {"code": term.code, "en": term.label_en, "ru": term.label_ru}


def case_snapshot(user: User, keyring: Keyring, case: Case) -> dict:
    """What a partner lawyer needs of a case, for sharing: reference, dates, stage, victims'
    names, sex and birth year, allegations with their labels (in English and Russian), the legal
    path with notes. Medical evaluations and contacts stay with the organisation. The caller
    audits the export (actions.share_case)."""
    if not user.sees_identities or case.organisation_id != user.organisation_id:
        raise PermissionError("only the organisation's identity roles build a snapshot")
    vault = keyring.vault(case.organisation_id)

    def opened(obj, field: str) -> str:
        return vault.open(getattr(obj, field), sealed_context(type(obj), field))

    victims = [
        p.person for p in case.parties.filter(role=CaseParty.Role.VICTIM).select_related("person")
    ]
    names = person_names(keyring, victims)
    return {
        "reference": case.reference,
        "organisation": case.organisation.name,
        "intake_date": case.intake_date.isoformat(),
        "status": case.status,
        "stage": case.stage,
        "summary": opened(case, "summary"),
        "victims": [
            {"name": names[p.pk], "sex": p.sex, "birth_year": p.birth_year} for p in victims
        ],
        "allegations": [
            {
                "date": a.date.isoformat(),
                "date_precision": a.date_precision,
                "region": _term(a.region),
                "district": opened(a, "district"),
                "place_of_detention": str(a.place_of_detention or ""),
                "act_types": [_term(t) for t in a.act_types.all()],
                "agency": _term(a.agency),
                "unit": opened(a, "unit"),
                "purpose": _term(a.purpose),
                "context": _term(a.context),
                "description": opened(a, "description"),
            }
            for a in allegations(case)
        ],
        "timeline": [
            {
                "kind": e.kind,
                "date": e.date.isoformat(),
                "body": _term(e.body),
                "article": opened(e, "article"),
                "outcome": e.outcome,
                "amount": None if e.amount is None else str(e.amount),
                "currency": e.currency,
                "sentence": opened(e, "sentence"),
                "next_date": e.next_date.isoformat() if e.next_date else None,
                "notes": opened(e, "notes"),
            }
            for e in timeline(case)
        ],
    }


# --- Places of detention -------------------------------------------------------------------


def visible_places(user: User) -> QuerySet[PlaceOfDetention]:
    """Places the user's organisation recorded, and the shared ones (no organisation), as
    for vocabulary terms and as a register import finds them."""
    if not _organisation_member(user):
        return PlaceOfDetention.objects.none()
    return PlaceOfDetention.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id)
    ).select_related("kind", "region", "authority", "organisation")


# --- Corrections: who changed what, and earlier values ----------------------------------------

# Fields a history does not show: the record's place in the register, and copies of others.
NOT_SHOWN = {"organisation", "case", "recorded_by", "created_by", "created_at"}


def _history_of(case: Case | None = None, people: list[int] = ()) -> QuerySet[Revision]:
    """Revisions of a case's records and of the people in it (or merged into them)."""
    rule = Q(object_type="cases.person", object_id__in=people) | Q(
        change=Revision.Change.MERGED, clear__merged_into__in=list(people)
    )
    if case is not None:
        rule |= Q(case=case)
    return Revision.objects.filter(rule).select_related("changed_by").order_by("-changed_at", "-id")


def mark_changes(file: CaseFile) -> Revision | None:
    """Give each act, step and party of a case's file its latest correction (``last_change``);
    return the case's latest of all, for "changed by …, on …" on its page."""
    people = [p.person_id for p in file.parties]
    revisions = list(_history_of(file.case, people))
    latest = {}
    for revision in revisions:
        latest.setdefault((revision.object_type, revision.object_id), revision)
    for act in file.allegations:
        act.last_change = latest.get(("cases.allegation", act.pk))
    for event in file.events:
        event.last_change = latest.get(("cases.legalevent", event.pk))
    for party in file.parties:
        party.last_change = latest.get(("cases.person", party.person_id))
    return revisions[0] if revisions else None


@dataclass
class HistoryEntry:
    revision: Revision
    what: str  # the record, without identities: "act of 2024-02-01", "P-12"
    values: list[tuple[str, str]]  # (field label, earlier value)
    restorable: bool


def _shown(model, name: str, value) -> str:
    field = model._meta.get_field(name)
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(t.label for t in field.related_model.objects.filter(pk__in=value))
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first()
        if field.related_model is Person:
            return f"P-{value}"
        return str(target) if target is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _what(revision: Revision) -> str:
    clear = revision.clear
    if revision.object_type == "cases.person":
        return f"P-{revision.object_id}"
    if revision.object_type == "cases.legalevent":
        found = LegalEvent.objects.filter(pk=revision.object_id).first()
        kind = clear.get("kind") or (found.kind if found else "")
        return _("step of the legal path: %(kind)s") % {
            "kind": dict(LegalEvent.Kind.choices).get(kind, kind)
        }
    found = Allegation.objects.filter(pk=revision.object_id).first()
    when = clear.get("date") or (found.date.isoformat() if found else "")
    return _("act of %(date)s") % {"date": when}


def read_history(user: User, keyring: Keyring, subject: Case | Person) -> list[HistoryEntry]:
    """The corrections of a case (its acts, steps and people) or of a person, newest first,
    with the earlier values: sealed ones opened only for the organisation's identity roles,
    audited as one look."""
    if isinstance(subject, Case):
        people = list(subject.parties.values_list("person_id", flat=True))
        revisions = list(_history_of(subject, people).prefetch_related("sealed"))
    else:
        revisions = list(_history_of(None, [subject.pk]).prefetch_related("sealed"))
    identities = user.sees_identities and subject.organisation_id == user.organisation_id
    vault = keyring.vault(subject.organisation_id) if identities else None
    entries = []
    for revision in revisions:
        model = apps.get_model(revision.object_type)
        values = {}
        for name in revision.fields:
            if name in NOT_SHOWN or name.startswith("victim_") or name not in revision.clear:
                continue
            values[name] = _shown(model, name, revision.clear[name])
        hidden = _("not shown to your role")
        for sealed in revision.sealed.all():
            if sealed.field in revision.fields:
                values[sealed.field] = vault.open(sealed.value, sealed.purpose) if vault else hidden
        labels = [
            (str(model._meta.get_field(name).verbose_name), value)
            for name, value in values.items()
        ]
        restorable = revision.change == Revision.Change.DELETED and revision.restored_at is None
        entries.append(HistoryEntry(revision, _what(revision), labels, restorable))
    record(
        user,
        Action.VIEW_IDENTITY if identities else Action.VIEW,
        subject,
        detail={"history": True},
    )
    return entries


def get_revision(user: User, pk: int) -> Revision:
    """A revision of a record the user sees (404 otherwise)."""
    revision = Revision.objects.filter(pk=pk, organisation_id=user.organisation_id).first()
    if revision is None or (revision.case_id and not visible_cases(user).filter(
        pk=revision.case_id
    ).exists()):
        raise _not_found(user, Revision, pk)
    return revision


def deleted_records(case: Case) -> list[tuple[Revision, str]]:
    """Acts and steps of the case deleted and not put back, with what they were."""
    revisions = case.revisions.filter(change=Revision.Change.DELETED, restored_at__isnull=True)
    return [(r, _what(r)) for r in revisions.select_related("changed_by")]


def read_sealed(user: User, keyring: Keyring, obj: Allegation | LegalEvent) -> dict[str, str]:
    """An act's or a step's sealed fields opened, for correcting it: audited as a look at
    identities."""
    if not user.sees_identities or obj.organisation_id != user.organisation_id:
        return {}
    vault = keyring.vault(obj.organisation_id)
    record(user, Action.VIEW_IDENTITY, obj, detail={"case": obj.case_id})
    return {
        f.name: vault.open(getattr(obj, f.name), sealed_context(type(obj), f.name))
        for f in type(obj)._meta.concrete_fields
        if isinstance(f, SealedField)
    }


def vocabularies(user: User) -> list[tuple[str, list[Term], list[Term]]]:
    """Each vocabulary's label, the organisation's own terms (retired ones too) and the
    shipped ones."""
    terms = Term.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id)
    ).order_by("vocabulary", "country", "position", "label_en")
    grouped: dict[str, tuple[list[Term], list[Term]]] = {
        code: ([], []) for code in Term.Vocabulary.values
    }
    for term in terms:
        grouped[term.vocabulary][term.organisation_id is None].append(term)
    return [(label, *grouped[code]) for code, label in Term.Vocabulary.choices]


def last_change(person: Person) -> Revision | None:
    """The person's latest correction or merge, for "changed by …, on …" on their page."""
    return _history_of(None, [person.pk]).first()
