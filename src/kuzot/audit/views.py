import csv
from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Role
from kuzot.audit import checkpoints, keys
from kuzot.audit.forms import AuditFilterForm
from kuzot.audit.log import Action, record, verify
from kuzot.audit.models import AuditEvent, DayEvent
from kuzot.cases.selectors import visible_cases
from kuzot.spreadsheets import safe_cell

EXPORT_COLUMNS = ["id", "at", "actor_name", "action", "object_type", "object_id", "detail", "hash"]
DAY_EVENTS_SHOWN = 50
CHECKPOINT_MAX_BYTES = 64 * 1024


def _organisation_log(user, model=AuditEvent):
    return model.objects.filter(organisation_id=user.organisation_id).order_by("-id")


# What a record is, in words; other types fall back on their model's name.
NOUNS = {
    "cases.case": _lazy("case"),
    "cases.person": _lazy("person"),
    "cases.allegation": _lazy("act"),
    "cases.legalevent": _lazy("legal step"),
    "cases.consent": _lazy("consent"),
    "cases.caseparty": _lazy("person in a case"),
    "cases.caseshare": _lazy("sharing with another organisation"),
    "cases.evidencefile": _lazy("evidence file"),
    "cases.medicalevaluation": _lazy("medical evaluation"),
    "accounts.user": _lazy("account"),
    "accounts.organisation": _lazy("organisation"),
    "intake.submission": _lazy("complaint"),
}


@dataclass
class Row:
    event: AuditEvent
    record: str = ""  # "case 901", "legal step 17"
    case: tuple[int, str] | None = None  # (id, reference) of a case the viewer may open

    @property
    def details(self) -> str:
        """What the event adds ("password: reset", "format: csv"), ids and verbs only."""
        detail = self.event.detail if isinstance(self.event.detail, dict) else {}
        return ", ".join(
            f"{key.replace('_', ' ')}: {value}"
            for key, value in detail.items()
            if isinstance(value, str | int | float | bool)
        )


def _rows(user, events: list[AuditEvent]) -> list[Row]:
    """Each event with its record in words and, when it is a case or belongs to one that the
    viewer may see, that case (a deleted record or a case they may not see gets no link)."""
    rows = [Row(event) for event in events]
    case_of: dict[tuple[str, str], int] = {}
    by_type: dict[str, set[str]] = {}
    for event in events:
        if event.object_type and event.object_id:
            by_type.setdefault(event.object_type, set()).add(event.object_id)
    for label, ids in by_type.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        numeric = [int(i) for i in ids if i.isdigit()]
        if label == "cases.case":
            case_of.update({(label, str(i)): i for i in numeric})
        elif any(f.name == "case" for f in model._meta.fields):
            found = model.objects.filter(pk__in=numeric).values_list("pk", "case_id")
            case_of.update({(label, str(pk)): case_id for pk, case_id in found})
    visible = dict(
        visible_cases(user).filter(pk__in=set(case_of.values())).values_list("pk", "reference")
    )
    for row in rows:
        event = row.event
        if not event.object_type:
            continue
        noun = NOUNS.get(event.object_type)
        if noun is None:
            try:
                noun = apps.get_model(event.object_type)._meta.verbose_name
            except (LookupError, ValueError):
                noun = event.object_type
        row.record = f"{noun} {event.object_id}"
        case_id = case_of.get((event.object_type, event.object_id))
        if case_id in visible:
            row.case = (case_id, visible[case_id])
    return rows


@staff_required(Role.COORDINATOR)
def audit_log(request, result: dict | None = None):
    form = AuditFilterForm(request.GET or None, organisation_id=request.user.organisation_id)
    events = form.filter(_organisation_log(request.user))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    days = _organisation_log(request.user, DayEvent)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "query": f"{query.urlencode()}&" if query else "",
            "page": page,
            "rows": _rows(request.user, list(page.object_list)),
            "day_events": days[:DAY_EVENTS_SHOWN],
            "day_events_more": days[DAY_EVENTS_SHOWN:].exists(),
            "key_fingerprint": keys.key_id(),
            "result": result,
        },
    )


@staff_required(Role.COORDINATOR)
def audit_export(request):
    """Both chains: timed events, then the date-only ones (their ``at`` is a date)."""
    record(request.user, Action.EXPORT, detail={"what": "audit log"})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kuzot-audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["log", *EXPORT_COLUMNS])
    for event in _organisation_log(request.user).iterator():
        writer.writerow(["timed", *(safe_cell(getattr(event, c)) for c in EXPORT_COLUMNS)])
    for event in _organisation_log(request.user, DayEvent).iterator():
        writer.writerow(
            [
                "daily",
                *(safe_cell(event.on if c == "at" else getattr(event, c)) for c in EXPORT_COLUMNS),
            ]
        )
    return response


@staff_required(Role.COORDINATOR)
@require_POST
def audit_checkpoint(request):
    """A signed checkpoint to keep off the server (kuzot.audit.checkpoints)."""
    record(request.user, Action.EXPORT, detail={"what": "audit checkpoint"})
    try:
        data = checkpoints.make()
    except checkpoints.CheckpointError as error:
        messages.error(request, str(error))
        return redirect("audit_log")
    response = HttpResponse(data, content_type="application/json")
    name = f"kuzot-audit-checkpoint-{checkpoints.load(data).date}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required(Role.COORDINATOR)
@require_POST
def audit_check(request):
    """Check the log against a checkpoint the coordinator kept."""
    upload = request.FILES.get("checkpoint")
    if upload is None or upload.size > CHECKPOINT_MAX_BYTES:
        messages.error(request, _("Choose a checkpoint file downloaded from this page."))
        return redirect("audit_log")
    try:
        checkpoint = checkpoints.load(upload.read())
    except checkpoints.CheckpointError as error:
        return audit_log(request, {"refused": str(error)})
    checked, problems = verify(checkpoint.marks)
    return audit_log(request, {"date": checkpoint.date, "checked": checked, "problems": problems})
