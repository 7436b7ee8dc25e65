"""Importing a case register (upload → map columns → dry run → import → rejected rows) and
exporting it. The uploaded file, the mapping and the rejected rows are identifying: they are
kept only sealed with the organisation's key (``PendingImport``), never as plaintext on disk —
uploads stay in memory (settings.FILE_UPLOAD_HANDLERS) and are sealed before they are stored."""

import json
from datetime import timedelta
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES, Role
from kuzot.audit.log import Action, record
from kuzot.cases import exports, imports
from kuzot.cases.models import PendingImport
from kuzot.jobs.actions import start_job
from kuzot.jobs.keys import NoWorker

IMPORT_ROLES = (Role.COORDINATOR, Role.LAWYER)
EXPORT_ROLES = (*IDENTITY_ROLES, Role.ANALYST)
IMPORT_KEEP_DAYS = 7


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy("Up to 20 MB. The first row holds the column names."),
    )
    sheet = forms.CharField(
        label=gettext_lazy("Sheet"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("XLSX only; empty for the first sheet."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def _seal(request, pending: PendingImport, name: str, data: bytes) -> bytes:
    return imports.seal_part(request.keyring.vault(pending.organisation_id), name, data)


def _open(request, pending: PendingImport, name: str) -> bytes:
    return imports.open_part(request.keyring.vault(pending.organisation_id), pending, name)


def purge_expired() -> int:
    cutoff = timezone.now() - timedelta(days=IMPORT_KEEP_DAYS)
    deleted, _count = PendingImport.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _pending(request, pk: int) -> PendingImport:
    """The user's own import (404 for anyone else's)."""
    pending = PendingImport.objects.filter(
        pk=pk, user=request.user, organisation_id=request.user.organisation_id
    ).first()
    if pending is None:
        raise Http404
    return pending


def _table(request, pending: PendingImport) -> tuple[imports.Table, str]:
    return imports.pending_table(request.keyring.vault(pending.organisation_id), pending)


def _mapping(request, pending: PendingImport) -> list[str]:
    return imports.pending_mapping(request.keyring.vault(pending.organisation_id), pending)


@staff_required(*IMPORT_ROLES)
def upload(request):
    purge_expired()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, sheet = upload.read(), form.cleaned_data["sheet"]
        try:
            table = imports.read_table(data, upload.name, sheet or None)
        except imports.UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            if not table.rows:
                form.add_error("file", _("The file has no rows below its header."))
            else:
                pending = PendingImport(organisation=request.user.organisation, user=request.user)
                name = json.dumps({"name": upload.name, "sheet": sheet}).encode()
                pending.filename = _seal(request, pending, "filename", name)
                pending.file = _seal(request, pending, "file", data)
                mapping = json.dumps(imports.guess_mapping(table.headers)).encode()
                pending.mapping = _seal(request, pending, "mapping", mapping)
                pending.total = len(table.rows)
                pending.save()
                return redirect("import_map", pk=pending.pk)
    pending = PendingImport.objects.filter(user=request.user).only(
        "pk", "status", "total", "imported", "failed", "created_at"
    )
    return render(
        request,
        "cases/import_upload.html",
        {"form": form, "pending": pending, "keep_days": IMPORT_KEEP_DAYS},
    )


@staff_required(*IMPORT_ROLES)
def map_columns(request, pk: int):
    pending = _pending(request, pk)
    if pending.status == PendingImport.Status.IMPORTED:
        return redirect("import_result", pk=pending.pk)
    table, filename = _table(request, pending)
    mapping = _mapping(request, pending)
    problems = []
    if request.method == "POST":
        valid = {name for name, _label in imports.target_choices()}
        mapping = [
            choice if (choice := request.POST.get(f"column-{i}", "")) in valid else ""
            for i in range(len(table.headers))
        ]
        problems = imports.check_mapping(mapping)
        if not problems:
            pending.mapping = _seal(request, pending, "mapping", json.dumps(mapping).encode())
            pending.status = PendingImport.Status.MAPPED
            pending.save(update_fields=["mapping", "status"])
            return redirect("import_check", pk=pending.pk)
    columns = [
        {
            "index": i,
            "header": header,
            "chosen": mapping[i] if i < len(mapping) else "",
            "examples": [
                imports._text(values[i])
                for _line, values in table.rows[:3]
                if i < len(values) and values[i] != ""
            ],
        }
        for i, header in enumerate(table.headers)
    ]
    return render(
        request,
        "cases/import_map.html",
        {
            "pending": pending,
            "filename": filename,
            "columns": columns,
            "choices": imports.target_choices(),
            "problems": problems,
        },
    )


@staff_required(*IMPORT_ROLES)
def check(request, pk: int):
    """The dry run: every row checked, nothing written."""
    pending = _pending(request, pk)
    if pending.status == PendingImport.Status.IMPORTED:
        return redirect("import_result", pk=pending.pk)
    table, filename = _table(request, pending)
    mapping = _mapping(request, pending)
    if problems := imports.check_mapping(mapping):
        for problem in problems:
            messages.error(request, problem)
        return redirect("import_map", pk=pending.pk)
    report = imports.check_rows(
        request.user, request.keyring.vault(request.user.organisation_id), table, mapping
    )
    return render(
        request,
        "cases/import_check.html",
        {"pending": pending, "filename": filename, "report": report, "counts": report.counts},
    )


@staff_required(*IMPORT_ROLES)
@require_POST
def run(request, pk: int):
    """The import itself, as a background job (``cases.jobs``): it writes sealed records, so
    the organisation's key goes with it, sealed to the running workers only."""
    pending = _pending(request, pk)
    if pending.status == PendingImport.Status.IMPORTED:
        return redirect("import_result", pk=pending.pk)
    if imports.check_mapping(_mapping(request, pending)):
        return redirect("import_map", pk=pending.pk)
    vault = request.keyring.vault(request.user.organisation_id)
    try:
        job = start_job(request.user, "import", {"pending": pending.pk}, vault=vault)
    except NoWorker:
        messages.error(
            request,
            _(
                "No background worker is running, so the import cannot start. Ask the "
                "administrator to start one (kuzot worker); your file stays here."
            ),
        )
        return redirect("import_check", pk=pending.pk)
    return redirect("job", pk=job.pk)


@staff_required(*IMPORT_ROLES)
def result(request, pk: int):
    pending = _pending(request, pk)
    if pending.status != PendingImport.Status.IMPORTED:
        return redirect("import_map", pk=pending.pk)
    return render(
        request, "cases/import_result.html", {"pending": pending, "keep_days": IMPORT_KEEP_DAYS}
    )


@staff_required(*IMPORT_ROLES)
def rejected(request, pk: int):
    pending = _pending(request, pk)
    if pending.rejected is None:
        raise Http404
    data = _open(request, pending, "rejected")
    record(request.user, Action.EXPORT, pending, detail={"rejected_rows": pending.failed})
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('rejected.csv')}"
    return response


@staff_required(*IMPORT_ROLES)
@require_POST
def dismiss(request, pk: int):
    _pending(request, pk).delete()
    messages.success(request, _("The import's file and rejected rows are deleted."))
    return redirect("import_upload")


def _export(request, file_format: str):
    data, filename = exports.export(
        request.user,
        request.keyring,
        file_format=file_format,
        identities=request.GET.get("identities") == "1",
        statistics=request.GET.get("statistics") == "1",
    )
    content_type = (
        "text/csv; charset=utf-8"
        if file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required(*EXPORT_ROLES)
def export_csv(request):
    return _export(request, "csv")


@staff_required(*EXPORT_ROLES)
def export_xlsx(request):
    return _export(request, "xlsx")
