from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES
from kuzot.cases import selectors
from kuzot.cases.evidence import EvidenceRefused, read_evidence, store_evidence
from kuzot.cases.forms import EvidenceForm


@staff_required(*IDENTITY_ROLES)
@require_POST
def upload(request, pk: int):
    case = selectors.get_case(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("case", pk=case.pk)
    upload = form.cleaned_data["file"]
    try:
        store_evidence(request.user, request.keyring.vault(case.organisation_id), case,
                       filename=upload.name, data=upload.read(),
                       description=form.cleaned_data["description"])
    except EvidenceRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The file is stored, encrypted."))
    return redirect("case", pk=case.pk)


def _download(request, pk: int, *, stripped: bool):
    evidence = selectors.get_evidence(request.user, pk)
    try:
        name, data = read_evidence(request.user, request.keyring, evidence, stripped=stripped)
    except EvidenceRefused as refused:
        messages.error(request, str(refused))
        return redirect("case", pk=evidence.case_id)
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = _attachment(name, stripped)
    return response


def _attachment(name: str, stripped: bool) -> str:
    if stripped:
        name = f"no-metadata-{name}"
    return f"attachment; filename*=UTF-8''{quote(name)}"


@staff_required(*IDENTITY_ROLES)
def download(request, pk: int):
    return _download(request, pk, stripped=False)


@staff_required(*IDENTITY_ROLES)
def download_stripped(request, pk: int):
    return _download(request, pk, stripped=True)

