import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Role
from kuzot.audit import checkpoints, keys
from kuzot.audit.log import Action, record, verify
from kuzot.audit.models import AuditEvent, DayEvent
from kuzot.spreadsheets import safe_cell

EXPORT_COLUMNS = ["id", "at", "actor_name", "action", "object_type", "object_id", "detail", "hash"]
DAY_EVENTS_SHOWN = 50
CHECKPOINT_MAX_BYTES = 64 * 1024


def _organisation_log(user, model=AuditEvent):
    return model.objects.filter(organisation_id=user.organisation_id).order_by("-id")


@staff_required(Role.COORDINATOR)
def audit_log(request, result: dict | None = None):
    page = Paginator(_organisation_log(request.user), 100).get_page(request.GET.get("page"))
    days = _organisation_log(request.user, DayEvent)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
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
