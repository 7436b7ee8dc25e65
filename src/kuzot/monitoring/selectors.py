"""Who sees which visits, and reading what was sealed in them (every look is audited)."""

from django.db.models import QuerySet
from django.http import Http404

from kuzot.accounts.models import User
from kuzot.accounts.vault import Keyring, sealed_context
from kuzot.audit.log import Action, record
from kuzot.monitoring.actions import VISITORS
from kuzot.monitoring.models import Finding, Interview, Visit
from kuzot.recommendations.models import Assessment, Recommendation


def visible_visits(user: User) -> QuerySet[Visit]:
    if user.role not in VISITORS or user.organisation_id is None:
        return Visit.objects.none()
    return Visit.objects.filter(organisation_id=user.organisation_id).select_related("place")


def get_visit(user: User, pk: int) -> Visit:
    visit = visible_visits(user).filter(pk=pk).first()
    if visit is None:
        record(user, Action.VIEW_DENIED, None, detail={"visit": pk})
        raise Http404
    return visit


def read_visit(user: User, keyring: Keyring, visit: Visit) -> dict:
    """The visit with its interviews and findings opened, for its page: audited as a look at
    identities (interview notes name people and what they said)."""
    vault = keyring.vault(visit.organisation_id)

    def opened(row, *names: str) -> dict[str, str]:
        model = type(row)
        return {n: vault.open(getattr(row, n), sealed_context(model, n)) for n in names}

    record(user, Action.VIEW_IDENTITY, visit)
    return {
        "visit": visit,
        "text": opened(visit, "objectives", "access_notes", "registers_checked"),
        "team": list(visit.team.select_related("user")),
        "interviews": [
            (interview, opened(interview, "name", "notes")) for interview in visit.interviews.all()
        ],
        "findings": [
            (finding, opened(finding, "description", "root_cause"))
            for finding in visit.findings.prefetch_related("act_types")
        ],
        "recommendations": _followed(user, visit),
        "to_assess": _followed(user, visit.follow_up_of) if visit.follow_up_of else [],
    }


def _followed(user: User, visit: Visit) -> list[tuple[Recommendation, Assessment | None]]:
    """A visit report's recommendations, each with the organisation's latest assessment."""
    if visit.report_id is None:
        return []
    found = []
    for recommendation in Recommendation.objects.filter(document_id=visit.report_id):
        latest = (
            recommendation.assessments.filter(organisation_id=user.organisation_id)
            .order_by("-date", "-pk")
            .first()
        )
        found.append((recommendation, latest))
    return found


def to_check_on(user: User, place_id: int) -> QuerySet[Interview]:
    """People interviewed at a place whom the next visit must check on (OPCAT art. 15)."""
    return Interview.objects.filter(
        visit__in=visible_visits(user).filter(place_id=place_id), check_on_next_visit=True
    ).select_related("visit")


def findings_at(user: User, place_id: int) -> QuerySet[Finding]:
    return Finding.objects.filter(visit__in=visible_visits(user).filter(place_id=place_id))
