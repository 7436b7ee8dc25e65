"""Visibility-checked reads. Every view, export and API reads people and cases through here."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from kuzot.accounts.models import Role, User
from kuzot.accounts.vault import Keyring, organisation_private_key, sealed_context
from kuzot.analysis.names import name_tokens
from kuzot.audit.log import Action, record
from kuzot.cases.actions import open_share
from kuzot.cases.models import (
    Allegation,
    Case,
    CaseShare,
    EvidenceFile,
    LegalEvent,
    MedicalEvaluation,
    NameToken,
    Person,
)

IDENTITY_FIELDS = ("full_name", "contact", "address", "birth_date", "id_number")


def _organisation_member(user: User) -> bool:
    return user.is_authenticated and not user.is_system_admin and user.organisation_id is not None


def _not_found(user: User, model, pk) -> Http404:
    """404, and an audit row when the record exists but is not the user's to see."""
    if (other := model.objects.filter(pk=pk).only("pk", "organisation_id").first()) is not None:
        record(user, Action.VIEW_DENIED, other, organisation=user.organisation)
    return Http404()


# --- People --------------------------------------------------------------------------------


def visible_people(user: User) -> QuerySet[Person]:
    """People of the user's own organisation; the system administrator reads none."""
    if not _organisation_member(user):
        return Person.objects.none()
    return Person.objects.filter(organisation_id=user.organisation_id)


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


# --- Cases ---------------------------------------------------------------------------------


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases of the user's organisation; strictly confidential ones only to their lawyer and
    the coordinator."""
    if not _organisation_member(user):
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=user.organisation_id)
    if user.role != Role.COORDINATOR:
        cases = cases.filter(
            ~Q(confidentiality=Case.Confidentiality.STRICT) | Q(assigned_lawyer=user)
        )
    return cases


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
    return case.allegations.select_related(
        "region", "place_of_detention", "agency", "purpose", "context", "victim"
    ).prefetch_related("act_types")


def upcoming(user: User, days: int = 30) -> QuerySet[LegalEvent]:
    """Next hearings and deadlines of the cases the user sees (their own first)."""
    today = date.today()
    return (
        LegalEvent.objects.filter(
            case__in=visible_cases(user),
            next_date__gte=today,
            next_date__lte=today + timedelta(days=days),
        )
        .select_related("case")
        .order_by("next_date")
    )


def shares_received(user: User) -> QuerySet[CaseShare]:
    if not user.sees_identities:
        return CaseShare.objects.none()
    return CaseShare.objects.filter(
        organisation_id=user.organisation_id, revoked_at__isnull=True
    ).select_related("case", "case__organisation")


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
        return EvidenceFile.objects.select_related("case").get(
            pk=pk, case__in=visible_cases(user)
        )
    except EvidenceFile.DoesNotExist:
        raise _not_found(user, EvidenceFile, pk) from None


def evidence_of(case: Case) -> QuerySet[EvidenceFile]:
    return case.evidence.prefetch_related("custody").order_by("uploaded_at")
