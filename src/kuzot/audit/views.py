import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import Role
from kuzot.audit.log import Action, record
from kuzot.audit.models import AuditEvent
from kuzot.spreadsheets import safe_cell

EXPORT_COLUMNS = ["id", "at", "actor_name", "action", "object_type", "object_id", "detail", "hash"]


def _organisation_log(user):
    return AuditEvent.objects.filter(organisation_id=user.organisation_id).order_by("-id")


@staff_required(Role.COORDINATOR)
def audit_log(request):
    page = Paginator(_organisation_log(request.user), 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page})


@staff_required(Role.COORDINATOR)
def audit_export(request):
    record(request.user, Action.EXPORT, detail={"what": "audit log"})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kuzot-audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for event in _organisation_log(request.user).iterator():
        writer.writerow([safe_cell(getattr(event, c)) for c in EXPORT_COLUMNS])
    return response
