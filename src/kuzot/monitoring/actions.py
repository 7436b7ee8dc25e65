"""Planning, recording and following up monitoring visits: each validates, writes and audits."""

from datetime import date

from django.db import transaction

from kuzot.accounts.models import IDENTITY_ROLES, User
from kuzot.accounts.vault import Vault, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases import actions as cases
from kuzot.cases.models import Case, Consent, PlaceOfDetention, Term
from kuzot.monitoring.models import Finding, Interview, TeamMember, Visit
from kuzot.recommendations.actions import record_assessment, save_recommendation
from kuzot.recommendations.models import Assessment, Mechanism, Recommendation

VISITORS = IDENTITY_ROLES  # coordinators, lawyers, doctors and monitors visit; analysts count


def _require(actor: User, organisation_id: int) -> None:
    if actor.role not in VISITORS or actor.organisation_id != organisation_id:
        raise PermissionError("only members of the organisation who visit")


def _seal(vault: Vault, model, **values: str) -> dict[str, bytes | None]:
    return {name: vault.seal(value, sealed_context(model, name)) for name, value in values.items()}


def plan_visit(
    actor: User,
    vault: Vault,
    *,
    place: PlaceOfDetention,
    planned_for: date,
    announced: bool = False,
    objectives: str = "",
    team: list[tuple[User, str]] = (),
    follow_up_of: Visit | None = None,
) -> Visit:
    _require(actor, vault.organisation_id)
    if place.organisation_id not in (None, actor.organisation_id):
        raise PermissionError("a place of another organisation")
    if any(member.organisation_id != actor.organisation_id for member, _role in team):
        raise PermissionError("the team is of the organisation's members")
    if follow_up_of is not None and follow_up_of.organisation_id != actor.organisation_id:
        raise PermissionError("a visit of another organisation")
    with transaction.atomic():
        visit = Visit.objects.create(
            organisation_id=actor.organisation_id,
            place=place,
            planned_for=planned_for,
            announced=announced,
            follow_up_of=follow_up_of,
            created_by=actor,
            **_seal(vault, Visit, objectives=objectives),
        )
        TeamMember.objects.bulk_create(
            TeamMember(visit=visit, user=member, role=role) for member, role in team
        )
        record(actor, Action.CREATE, visit, detail={"place": place.pk})
    return visit


def record_visit(
    actor: User,
    vault: Vault,
    visit: Visit,
    *,
    started_on: date,
    ended_on: date | None = None,
    access: str,
    access_notes: str = "",
    registers_checked: str = "",
) -> Visit:
    """The visit took place: its days, the access the team got, the registers it checked."""
    _require(actor, visit.organisation_id)
    if ended_on is not None and ended_on < started_on:
        raise ValueError("the last day is before the first")
    if access not in Visit.Access.values:
        raise ValueError(f"unknown access {access!r}")
    visit.started_on, visit.ended_on, visit.access = started_on, ended_on or started_on, access
    for name, blob in _seal(
        vault, Visit, access_notes=access_notes, registers_checked=registers_checked
    ).items():
        setattr(visit, name, blob)
    with transaction.atomic():
        visit.save()
        record(actor, Action.UPDATE, visit, detail={"carried_out": True, "access": access})
    return visit


def add_interview(
    actor: User,
    vault: Vault,
    visit: Visit,
    *,
    interviewee: str,
    private: bool,
    consent_to_record: bool,
    consent_to_transmit: bool = False,
    check_on_next_visit: bool = False,
    name: str = "",
    notes: str = "",
) -> Interview:
    """An interview; without the person's consent to notes, no name or notes are kept."""
    _require(actor, visit.organisation_id)
    if not consent_to_record and (name or notes):
        raise ValueError("no notes or name without the person's consent to notes being kept")
    if consent_to_transmit and not consent_to_record:
        raise ValueError("an allegation is taken up only with notes the person agreed to")
    with transaction.atomic():
        interview = Interview.objects.create(
            visit=visit,
            organisation_id=visit.organisation_id,
            interviewee=interviewee,
            private=private,
            consent_to_record=consent_to_record,
            consent_to_transmit=consent_to_transmit,
            check_on_next_visit=check_on_next_visit,
            created_by=actor,
            **_seal(vault, Interview, name=name, notes=notes),
        )
        record(actor, Action.CREATE, interview, detail={"visit": visit.pk})
    return interview


def add_finding(
    actor: User,
    vault: Vault,
    visit: Visit,
    *,
    area: str,
    source: str,
    severity: str,
    rule: str = "",
    description: str = "",
    root_cause: str = "",
    interview: Interview | None = None,
    act_types: list[Term] = (),
) -> Finding:
    _require(actor, visit.organisation_id)
    if interview is not None and interview.visit_id != visit.pk:
        raise ValueError("the interview is of another visit")
    if act_types and area != Finding.Area.TREATMENT:
        raise ValueError("act types belong to a finding of torture or ill-treatment")
    with transaction.atomic():
        finding = Finding.objects.create(
            visit=visit,
            organisation_id=visit.organisation_id,
            area=area,
            source=source,
            severity=severity,
            rule=rule,
            interview=interview,
            created_by=actor,
            **_seal(vault, Finding, description=description, root_cause=root_cause),
        )
        finding.act_types.set(act_types)
        record(actor, Action.CREATE, finding, detail={"visit": visit.pk, "area": area})
    return finding


def recommend(actor: User, visit: Visit, *, text: str, deadline: date | None) -> Recommendation:
    """A recommendation of the visit's report to the authority, with the deadline given: a
    recommendation of the coalition on the place's country, followed up like any other."""
    _require(actor, visit.organisation_id)
    if not visit.carried_out:
        raise ValueError("recommendations follow a visit that took place")
    with transaction.atomic():
        recommendation, _state = save_recommendation(
            actor,
            {
                "symbol": f"{visit.organisation.slug.upper()}/VISIT/{visit.pk}",
                "mechanism": Mechanism.COALITION,
                "country": visit.place.country,
                "date": visit.ended_on,
                "text": text,
                "follow_up": deadline is not None,
                "follow_up_deadline": deadline,
            },
        )
        if visit.report_id is None:
            visit.report_id = recommendation.document_id
            visit.save(update_fields=["report"])
    return recommendation


def assess_at_follow_up(
    actor: User, vault: Vault, visit: Visit, recommendation: Recommendation, *, status: str
) -> Assessment:
    """The follow-up visit checks an earlier visit's recommendation on the spot."""
    _require(actor, visit.organisation_id)
    earlier = visit.follow_up_of
    if earlier is None or earlier.report_id != recommendation.document_id:
        raise ValueError("a follow-up visit assesses the recommendations of the visit it follows")
    return record_assessment(
        actor,
        vault,
        recommendation,
        assessor="ngo",
        status=status,
        date=visit.started_on or visit.planned_for,
        source=f"follow-up visit {visit.pk}",
    )


def open_case(actor: User, vault: Vault, finding: Finding) -> Case:
    """An allegation heard in an interview becomes a case, in one step, when the person consented
    to its transmission: the person (by the name they gave), the case, the act at the place."""
    _require(actor, finding.organisation_id)
    interview = finding.interview
    if not finding.is_allegation or interview is None or not interview.consent_to_transmit:
        raise PermissionError("only an allegation whose person consented to its transmission")
    if finding.case_id is not None:
        return finding.case
    visit = finding.visit
    on = visit.started_on or visit.planned_for
    with transaction.atomic():
        victim = cases.register_person(
            actor, vault, full_name=vault.open(interview.name, sealed_context(Interview, "name"))
        )
        case = cases.register_case(
            actor,
            vault,
            intake_date=on,
            victim=victim,
            summary=vault.open(finding.description, sealed_context(Finding, "description")),
            consents={Consent.Scope.DOCUMENTATION: (True, on, Consent.Manner.ORAL)},
        )
        cases.add_allegation(
            actor,
            vault,
            case,
            date=on,
            date_precision="month",
            act_types=list(finding.act_types.all()),
            victim=victim,
            region=visit.place.region,
            place_of_detention=visit.place,
        )
        finding.case = case
        finding.save(update_fields=["case"])
        record(actor, Action.UPDATE, finding, detail={"case": case.pk})
    return case
