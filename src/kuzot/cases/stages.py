"""The stage of a case and the dates of its steps, derived from its legal path: never typed
twice."""

from collections.abc import Iterable
from datetime import date

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


# The order of the stages, kept beside the stage so that the case list sorts by an index.
STAGE_RANK = {stage: rank for rank, stage in enumerate(Stage.values)}


def derive_stage(events: Iterable[LegalEvent]) -> str:
    """The stage set by the latest stage-changing event (by date, then by entry)."""
    stage = Stage.DOCUMENTED
    for event in sorted(events, key=lambda e: (e.date, e.pk or 0)):
        stage = STAGE_OF.get(event.kind, stage)
    return stage


# The accountability funnel's steps, each reached by the first of these events (verdicts: see
# derive_steps).
STEPS = {
    "complaint_on": {Kind.COMPLAINT_LODGED},
    "registered_on": {Kind.COMPLAINT_REGISTERED, Kind.PRELIMINARY_CHECK, Kind.CRIMINAL_CASE_OPENED},
    "criminal_case_on": {Kind.CRIMINAL_CASE_OPENED},
    "court_on": {
        Kind.INDICTMENT,
        Kind.HEARING,
        Kind.CONVICTION_TORTURE,
        Kind.CONVICTION_LESSER,
        Kind.ACQUITTAL,
    },
    "conviction_on": {Kind.CONVICTION_TORTURE, Kind.CONVICTION_LESSER},
    "torture_conviction_on": {Kind.CONVICTION_TORTURE},
    "compensation_awarded_on": {Kind.COMPENSATION_AWARDED},
    "compensation_paid_on": {Kind.COMPENSATION_PAID},
}


VERDICTS = {Kind.CONVICTION_TORTURE, Kind.CONVICTION_LESSER, Kind.ACQUITTAL}
# Steps a later verdict can undo: a conviction overturned on appeal is not a conviction.
FINAL = ("conviction_on", "torture_conviction_on")


def derive_steps(events: Iterable[LegalEvent]) -> dict[str, date | None]:
    """The first date of each funnel step the legal path reached (None where not reached).

    Convictions count by the final outcome: a case is convicted (under the torture article) when
    its latest verdict is such a conviction, since the first verdict of the unbroken run of such
    convictions that ends the path. An acquittal on appeal undoes the conviction before it;
    requalification to a lesser article undoes the torture conviction but not the conviction."""
    events = list(events)
    found = {
        step: min((e.date for e in events if e.kind in kinds), default=None)
        for step, kinds in STEPS.items()
        if step not in FINAL
    }
    verdicts = sorted((e for e in events if e.kind in VERDICTS), key=lambda e: (e.date, e.pk or 0))
    for step in FINAL:
        since = None
        for verdict in reversed(verdicts):
            if verdict.kind not in STEPS[step]:
                break
            since = verdict.date
        found[step] = since
    return {step: found[step] for step in STEPS}


DERIVED = ["stage", "stage_rank", *STEPS]


def derive(events: Iterable[LegalEvent]) -> dict:
    """Everything a case keeps that follows from its legal path (the fields in DERIVED)."""
    events = list(events)
    stage = derive_stage(events)
    return {"stage": stage, "stage_rank": STAGE_RANK[stage], **derive_steps(events)}
