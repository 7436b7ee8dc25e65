import io

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kuzot.accounts import actions
from kuzot.accounts.crypto import KdfBusy
from kuzot.accounts.decorators import staff_required
from kuzot.accounts.forms import (
    AcceptInvitationForm,
    CodeForm,
    InviteForm,
    LoginForm,
    OrganisationForm,
    PasswordChangeForm,
    RecoveryKeyForm,
    ResetPasswordForm,
)
from kuzot.accounts.models import Invitation, Organisation, OrganisationKey, Role, User
from kuzot.accounts.vault import (
    Keyring,
    forget_secret,
    load_secret,
    stash_keyring,
    stash_secret,
)
from kuzot.audit.log import Action, record
from kuzot.clients import source

PENDING = actions.PENDING_USER
NEW_TOTP = "new_totp"
RECOVERY_KEY = "recovery_key"


def _safe_next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if ok else reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request) -> User | None:
    pk = request.session.get(PENDING)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def _complete_login(request, user: User):
    request.session.pop(PENDING, None)
    forget_secret(request, NEW_TOTP)
    login(request, user)
    actions.record_login(user)
    return redirect(_safe_next(request))


def login_view(request):
    form = LoginForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            step = actions.check_password_step(
                form.cleaned_data["username"], form.cleaned_data["password"], source(request)
            )
        except actions.LoginRefused as refused:
            error = str(refused)
        except KdfBusy:
            error, status = _("The server is busy. Please try again in a moment."), 503
        else:
            request.session.flush()
            user = step.user
            if step.keyring is not None:
                stash_keyring(request, step.keyring)
            if user is not None and not step.guarded and not user.requires_totp:
                return _complete_login(request, user)
            # 0: an attempt that goes on to the code and cannot succeed (guarded name). While
            # guarded, an account without two-factor gets 0 too: the set-up page would tell
            # that its password was right.
            can_go_on = user is not None and (user.totp_confirmed or not step.guarded)
            request.session[PENDING] = user.pk if can_go_on else 0
            setup = can_go_on and not user.totp_confirmed
            step_url = "totp_setup" if setup else "login_totp"
            return redirect(f"{reverse(step_url)}?next={_safe_next(request)}")
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=status)


def login_totp(request):
    if PENDING not in request.session:
        return redirect("login")
    user = _pending_user(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user is not None and user.totp_confirmed:
            if actions.check_totp(user, request.keyring, form.cleaned_data["code"]):
                return _complete_login(request, user)
            # A wrong password was counted at the first step; a wrong code is counted here.
            actions.register_failure(user.username, source(request), user, "totp")
        request.session.flush()
        request._keyring_forget = True
        messages.error(request, actions.failure_message())
        return redirect("login")
    return render(request, "accounts/login_totp.html", {"form": form})


def totp_setup(request):
    """Enrolment of the authenticator app, before a first login completes."""
    user = _pending_user(request)
    if user is None or user.totp_confirmed:
        return redirect("login")
    # The secret waits for its first code sealed under this browser's cookie key, not in the
    # clear in the session row.
    stashed = load_secret(request, NEW_TOTP)
    secret = stashed.decode() if stashed else actions.new_totp_secret()
    if stashed is None:
        stash_secret(request, NEW_TOTP, secret.encode())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.confirm_totp(user, request.keyring, secret, form.cleaned_data["code"]):
            return _complete_login(request, user)
        form.add_error("code", _("This code is not right. Check the time on your phone."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Kuzot")
    svg = io.BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(svg)
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "secret": secret, "qr_svg": svg.getvalue().decode()},
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(request.user, Action.LOGOUT, request.user)
    logout(request)
    request._keyring_forget = True
    request.keyring = Keyring()
    return redirect("login")


def accept_invitation(request, token: str):
    invitation = actions.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            joined = actions.accept_invitation(token, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if joined.recovery_key:
                # Kept only until confirmed, sealed under this browser's cookie key.
                stash_secret(request, RECOVERY_KEY, joined.recovery_key.encode())
                return redirect("recovery_key")
            messages.success(request, _("Your account is ready. Log in to set up two-factor."))
            return redirect("login")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )


@never_cache
def recovery_key(request):
    """The first coordinator's recovery key, shown only in their browser until they confirm
    they have written it down."""
    raw = load_secret(request, RECOVERY_KEY)
    if raw is None:
        return redirect("login")
    form = RecoveryKeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        forget_secret(request, RECOVERY_KEY)
        messages.success(request, _("Your account is ready. Log in to set up two-factor."))
        return redirect("login")
    return render(
        request, "accounts/recovery_key.html", {"form": form, "recovery_key": raw.decode()}
    )


@staff_required()
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            keyring = actions.change_password(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            update_session_auth_hash(request, request.user)
            stash_keyring(request, keyring)
            messages.success(request, _("Your password is changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@staff_required(Role.COORDINATOR)
def team(request):
    query = request.GET.get("q", "").strip()[:150]
    members = User.objects.filter(organisation_id=request.user.organisation_id, is_active=True)
    if query:
        members = members.filter(username__icontains=query)
    removed = User.objects.filter(organisation_id=request.user.organisation_id, is_active=False)
    invitations = request.user.organisation.invitation_set.filter(
        expires_at__gt=timezone.now()
    ).order_by("-created_at")
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
            "query": query,
            "removed": removed,
            "invitations": invitations,
            "invite_form": InviteForm(),
        },
    )


@staff_required(Role.COORDINATOR)
@require_POST
def invite(request):
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("team")
    _invitation, token = actions.invite(
        request.user, request.keyring, role=form.cleaned_data["role"]
    )
    link = request.build_absolute_uri(reverse("accept_invitation", args=[token]))
    return render(request, "accounts/invitation_created.html", {"link": link})


@staff_required(Role.COORDINATOR, Role.ADMIN)
@require_POST
def withdraw_invitation(request, pk: int):
    """A coordinator's own organisation's invitations; the administrator's first-coordinator
    invitations. Anything else answers 404."""
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        actions.withdraw_invitation(request.user, invitation)
    except PermissionError:
        raise Http404 from None
    messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    return redirect("organisations" if request.user.is_system_admin else "team")


def _member(request, pk: int) -> User:
    return get_object_or_404(
        User, pk=pk, organisation_id=request.user.organisation_id, is_active=True
    )


@staff_required(Role.COORDINATOR)
def reset_password(request, pk: int):
    member = _member(request, pk)
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(
                request.user, request.keyring, member, form.cleaned_data["new_password"]
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            messages.success(request, _("The password is reset."))
            return redirect("team")
    return render(request, "accounts/reset_password.html", {"form": form, "member": member})


@staff_required(Role.COORDINATOR)
def remove_member(request, pk: int):
    """A confirmation page, then the removal."""
    member = _member(request, pk)
    if request.method == "POST":
        try:
            actions.remove_member(request.user, request.keyring, member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "%(name)s is deactivated: their sessions ended and their keys are deleted. "
                    "Rotate the organisation's key now (kuzot keys rotate), so that a key "
                    "they may have copied opens nothing new."
                )
                % {"name": member.username},
            )
        return redirect("team")
    return render(request, "accounts/remove_member.html", {"member": member})


@staff_required(Role.COORDINATOR)
def reactivate_member(request, pk: int):
    """A deactivated member back, with a temporary password to give them in person."""
    member = get_object_or_404(
        User, pk=pk, organisation_id=request.user.organisation_id, is_active=False
    )
    form = ResetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reactivate_member(
                request.user, request.keyring, member, form.cleaned_data["new_password"]
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            messages.success(
                request,
                _("%(name)s is active again, with the temporary password you chose.")
                % {"name": member.username},
            )
            return redirect("team")
    return render(request, "accounts/reactivate_member.html", {"form": form, "member": member})


@staff_required(Role.COORDINATOR)
@require_POST
def reset_two_factor(request, pk: int):
    actions.reset_two_factor(request.user, _member(request, pk))
    messages.success(request, _("Two-factor is reset; it is set up again at the next login."))
    return redirect("team")


def _first_coordinator_link(request, organisation: Organisation, token: str):
    link = request.build_absolute_uri(reverse("accept_invitation", args=[token]))
    return render(
        request,
        "accounts/organisation_created.html",
        {"organisation": organisation, "link": link},
    )


@staff_required(Role.ADMIN)
def organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = actions.create_organisation(request.user, **form.cleaned_data)
        return _first_coordinator_link(request, created.organisation, created.invitation_token)
    listed = Organisation.objects.select_related("coalition").annotate(
        keyed=Exists(OrganisationKey.objects.filter(organisation=OuterRef("pk")))
    )
    pending = Invitation.objects.filter(
        organisation__in=[o for o in listed if not o.keyed], expires_at__gt=timezone.now()
    )
    waiting = {invitation.organisation_id: invitation for invitation in pending}
    return render(
        request,
        "accounts/organisations.html",
        {
            "form": form,
            "organisations": [(o, waiting.get(o.pk)) for o in listed],
        },
    )


@staff_required(Role.ADMIN)
@require_POST
def invite_first_coordinator(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        _invitation, token = actions.invite_first_coordinator(request.user, organisation)
    except PermissionError:
        messages.error(request, _("This organisation has its coordinator; they invite others."))
        return redirect("organisations")
    return _first_coordinator_link(request, organisation, token)
