"""The public complaint form, the submitter's follow-up, and the recipients' triage inbox."""

import base64
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kuzot import clients
from kuzot.accounts.crypto import KdfBusy
from kuzot.accounts.decorators import staff_required
from kuzot.accounts.models import IDENTITY_ROLES, Organisation
from kuzot.accounts.vault import load_secret, stash_secret
from kuzot.cases.selectors import visible_cases
from kuzot.intake import actions
from kuzot.intake.abuse import guard
from kuzot.intake.forms import (
    ComplaintForm,
    DuplicateForm,
    QuestionForm,
    ReceiptForm,
    RejectForm,
    ReplyForm,
)
from kuzot.intake.models import Attachment, Submission
from kuzot.intake.selectors import inbox_for, submission_for, waiting

FOLLOW_UP = "complaint"
NOBODY_CAN_READ = gettext_lazy(
    "This organisation cannot receive complaints online yet: nobody there could read yours. "
    "Nothing was sent. Please contact the organisation another way, or choose another one."
)


def _uploads(files) -> list[actions.Upload]:
    return [actions.Upload(name, content_type, data) for name, content_type, data in files]


# --- Public --------------------------------------------------------------------------------


@never_cache
def complaint(request, slug: str | None = None):
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    notice = None
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, organisation=organisation)
        if form.is_valid():
            problem = guard.token_problem(form.cleaned_data["token"])
            if problem is None:
                return _receive(request, form, organisation)
            form.add_error(
                None,
                _("Please check your answers and send the form again.")
                if problem == "too_fast"
                else _("The form was open too long or sent twice. Send it again."),
            )
        form.data = form.data.copy()
        form.data["token"] = guard.issue_token()
    else:
        form = ComplaintForm(organisation=organisation, initial={"token": guard.issue_token()})
        if organisation is not None and not actions.can_receive(organisation):
            notice = NOBODY_CAN_READ  # said before anyone writes their story
    return render(
        request,
        "intake/complaint.html",
        {"form": form, "organisation": organisation, "notice": notice},
    )


def _receive(request, form: ComplaintForm, organisation: Organisation | None):
    target = organisation or form.cleaned_data["organisation"]
    held = bool(form.cleaned_data["website"]) or guard.over_limit(clients.source(request))
    try:
        receipt = actions.submit(
            target, form.content(), _uploads(form.cleaned_data["files"]), held=held
        )
    except (actions.IntakeClosed, KdfBusy) as refused:
        busy = isinstance(refused, KdfBusy)
        form.add_error(
            None,
            _("The server is busy. Please send it again in a moment: nothing was stored.")
            if busy
            else _("This organisation does not take complaints online now."),
        )
        return render(
            request,
            "intake/complaint.html",
            {"form": form, "organisation": organisation},
            status=503 if busy else 200,
        )
    except actions.NoRecipient:
        form.add_error(None, NOBODY_CAN_READ)
        return render(
            request, "intake/complaint.html", {"form": form, "organisation": organisation}
        )
    grouped = " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))
    return render(request, "intake/receipt.html", {"receipt": grouped, "organisation": target})


@require_POST
def receipt_file(request):
    """The receipt as a text file to keep: it comes back from the page, it is never stored."""
    receipt = actions.normalise_receipt(request.POST.get("receipt", ""))[:16]
    text = _(
        "Your complaint receipt: %(receipt)s\nKeep it secret. It is the only way to "
        "read answers to your complaint. It cannot be recovered.\n"
    ) % {"receipt": receipt}
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="receipt.txt"'
    return response


@never_cache
def follow_up(request):
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = actions.open_as_submitter(form.cleaned_data["receipt"])
        except KdfBusy:
            form.add_error(None, _("The server is busy. Please try again in a moment."))
            return render(request, "intake/follow_up.html", {"form": form}, status=503)
        if opened is None:
            form.add_error("receipt", _("No complaint has this receipt. Check the digits."))
        else:
            submission, key = opened
            request.session.cycle_key()
            stash_secret(
                request,
                FOLLOW_UP,
                json.dumps({"id": submission.pk, "key": base64.b64encode(key).decode()}).encode(),
            )
            return redirect("complaint_conversation")
    return render(request, "intake/follow_up.html", {"form": form})


def _submitter_session(request) -> tuple[Submission, bytes] | None:
    raw = load_secret(request, FOLLOW_UP)
    if raw is None:
        return None
    data = json.loads(raw)
    submission = Submission.objects.filter(pk=data["id"]).first()
    return (submission, base64.b64decode(data["key"])) if submission else None


@never_cache
def conversation(request):
    opened = _submitter_session(request)
    if opened is None:
        return redirect("complaint_follow_up")
    submission, key = opened
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["body"]:
            actions.add_message(submission, key, form.cleaned_data["body"])
        actions.add_uploads(submission, key, _uploads(form.cleaned_data["files"]))
        messages.success(request, _("Your answer is sent."))
        return redirect("complaint_conversation")
    actions.mark_read_by_submitter(submission)
    return render(
        request,
        "intake/conversation.html",
        {
            "submission": submission,
            "content": actions.read_content(submission, key),
            "conversation": actions.read_messages(submission, key),
            "files": actions.attachments(submission, key),
            "form": form,
        },
    )


@never_cache
def forget(request):
    """A confirmation page (no JavaScript needed), then the session is forgotten."""
    if _submitter_session(request) is None:
        return redirect("complaint_follow_up")
    if request.method != "POST":
        return render(request, "intake/forget.html")
    request.session.flush()
    request._keyring_forget = True
    return redirect("complaint_follow_up")


# --- Recipients ----------------------------------------------------------------------------


@staff_required(*IDENTITY_ROLES)
def inbox(request):
    query = request.GET.get("q", "")[:300]
    return render(
        request,
        "intake/inbox.html",
        {"rows": inbox_for(request.user, query), "waiting": waiting(request.user), "query": query},
    )


@staff_required(*IDENTITY_ROLES)
def submission(request, pk: int):
    found = submission_for(request.user, pk)
    key = actions.open_as_recipient(request.user, request.keyring, found)
    return render(
        request,
        "intake/submission.html",
        {
            "submission": found,
            "content": ComplaintForm.shown(actions.read_content(found, key)),
            "conversation": actions.read_messages(found, key),
            "files": actions.attachments(found, key),
            "question_form": QuestionForm(),
            "reject_form": RejectForm(),
            "duplicate_form": DuplicateForm(),
        },
    )


def _opened(request, pk: int) -> tuple[Submission, bytes]:
    found = submission_for(request.user, pk)
    return found, actions.open_as_recipient(request.user, request.keyring, found)


@staff_required(*IDENTITY_ROLES)
@require_POST
def ask(request, pk: int):
    found, key = _opened(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        actions.add_message(found, key, form.cleaned_data["body"], sender=request.user)
        messages.success(
            request, _("Your message is sent. The person reads it with their receipt.")
        )
    return redirect("submission", pk=pk)


@staff_required(*IDENTITY_ROLES)
@require_POST
def accept(request, pk: int):
    found, key = _opened(request, pk)
    case = actions.accept(request.user, request.keyring, found, key)
    messages.success(request, _("The complaint is now case %(ref)s.") % {"ref": case.reference})
    return redirect("submission", pk=pk)


@staff_required(*IDENTITY_ROLES)
@require_POST
def duplicate(request, pk: int):
    found, key = _opened(request, pk)
    form = DuplicateForm(request.POST)
    case = None
    if form.is_valid():
        case = (
            visible_cases(request.user)
            .filter(reference=form.cleaned_data["reference"].strip())
            .first()
        )
    if case is None:
        messages.error(request, _("No case of yours has this reference."))
    else:
        actions.mark_duplicate(request.user, request.keyring, found, key, case)
        messages.success(
            request, _("The complaint is added to case %(ref)s.") % {"ref": case.reference}
        )
    return redirect("submission", pk=pk)


@staff_required(*IDENTITY_ROLES)
@require_POST
def reject(request, pk: int):
    found, key = _opened(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        actions.reject(request.user, found, key, form.cleaned_data["reason"])
        messages.success(request, _("The complaint is marked as not taken up."))
    return redirect("submission", pk=pk)


@staff_required(*IDENTITY_ROLES)
@require_POST
def postpone(request, pk: int):
    found = submission_for(request.user, pk)
    actions.postpone(request.user, found)
    messages.success(request, _("It will be kept until %(date)s.") % {"date": found.expires_on})
    return redirect("submission", pk=pk)


@staff_required(*IDENTITY_ROLES)
def attachment(request, pk: int, attachment_id: int):
    found, key = _opened(request, pk)
    file = Attachment.objects.filter(pk=attachment_id, submission=found).first()
    if file is None:
        raise Http404
    meta = dict(actions.attachments(found, key))[file]
    response = HttpResponse(actions.read_attachment(file, key), content_type=meta["type"])
    response["Content-Disposition"] = "attachment"
    return response
