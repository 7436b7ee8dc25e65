import io

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
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
    ResetPasswordForm,
)
from kuzot.accounts.models import Organisation, Role, User
from kuzot.accounts.vault import Keyring, stash_keyring
from kuzot.audit.log import Action, record
from kuzot.clients import source

PENDING = "kuzot_pending_user"
NEW_TOTP = "kuzot_new_totp"


def _safe_next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if ok else reverse(settings.LOGIN_REDIRECT_URL)


def _pending_user(request) -> User | None:
    pk = request.session.get(PENDING)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def _complete_login(request, user: User):
    request.session.pop(PENDING, None)
    request.session.pop(NEW_TOTP, None)
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
            if actions.check_totp(user, form.cleaned_data["code"]):
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
    secret = request.session.setdefault(NEW_TOTP, actions.new_totp_secret())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.confirm_totp(user, secret, form.cleaned_data["code"]):
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
            actions.accept_invitation(token, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your account is ready. Log in to set up two-factor."))
            return redirect("login")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )


@staff_required()
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@staff_required(Role.COORDINATOR)
def team(request):
    members = User.objects.filter(organisation_id=request.user.organisation_id)
    invitations = request.user.organisation.invitation_set.order_by("-created_at")
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
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


def _member(request, pk: int) -> User:
    return get_object_or_404(User, pk=pk, organisation_id=request.user.organisation_id)


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
@require_POST
def reset_two_factor(request, pk: int):
    actions.reset_two_factor(request.user, _member(request, pk))
    messages.success(request, _("Two-factor is reset; it is set up again at the next login."))
    return redirect("team")


@staff_required(Role.ADMIN)
def organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = actions.create_organisation(request.user, **form.cleaned_data)
        link = request.build_absolute_uri(
            reverse("accept_invitation", args=[created.invitation_token])
        )
        return render(
            request, "accounts/organisation_created.html", {"created": created, "link": link}
        )
    return render(
        request,
        "accounts/organisations.html",
        {"form": form, "organisations": Organisation.objects.select_related("coalition")},
    )
