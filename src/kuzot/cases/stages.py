"""The stage of a case, derived from its legal path: never typed twice."""

from collections.abc import Iterable

from kuzot.cases.models import LegalEvent, Stage

Kind = LegalEvent.Kind

# Events that move a case to a stage. Hearings, appeals, sentences, UN steps and reprisals
# are part of the timeline but do not change the stage by themselves.
STAGE_OF = {
    Kind.COMPLAINT_LODGED: Stage.COMPLAINT_LODGED,
    Kind.COMPLAINT_REGISTERED: Stage.PRELIMINARY_CHECK,
    Kind.PRELIMINARY_CHECK: Stage.PRELIMINARY_CHECK,
    Kind.COMPLAINT_REFUSED: Stage.COMPLAINT_REFUSED,
    Kind.CRIMINAL_CASE_OPENED: Stage.CRIMINAL_CASE,
    Kind.CRIMINAL_CASE_REFUSED: Stage.CRIMINAL_CASE_REFUSED,
    Kind.INVESTIGATION_SUSPENDED: Stage.INVESTIGATION_STOPPED,
    Kind.INVESTIGATION_CLOSED: Stage.INVESTIGATION_STOPPED,
    Kind.INDICTMENT: Stage.IN_COURT,
    Kind.CONVICTION_TORTURE: Stage.CONVICTION,
    Kind.CONVICTION_LESSER: Stage.CONVICTION,
    Kind.ACQUITTAL: Stage.ACQUITTAL,
    Kind.COMPENSATION_AWARDED: Stage.COMPENSATION_AWARDED,
    Kind.COMPENSATION_PAID: Stage.COMPENSATION_PAID,
}


def derive_stage(events: Iterable[LegalEvent]) -> str:
    """The stage set by the latest stage-changing event (by date, then by entry)."""
    stage = Stage.DOCUMENTED
    for event in sorted(events, key=lambda e: (e.date, e.pk or 0)):
        stage = STAGE_OF.get(event.kind, stage)
    return stage
