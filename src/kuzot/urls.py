from django.urls import include, path
from django.views.i18n import set_language

from kuzot import help as help_pages
from kuzot import views
from kuzot.accounts import views as accounts
from kuzot.audit import views as audit

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("help/<slug:screen>/", help_pages.help_page, name="help"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/login/code/", accounts.login_totp, name="login_totp"),
    path("accounts/two-factor/", accounts.totp_setup, name="totp_setup"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("invitation/<str:token>/", accounts.accept_invitation, name="accept_invitation"),
    path("recovery-key/", accounts.recovery_key, name="recovery_key"),
    path(
        "invitations/<int:pk>/withdraw/",
        accounts.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("team/", accounts.team, name="team"),
    path("team/invite/", accounts.invite, name="invite"),
    path("team/<int:pk>/password/", accounts.reset_password, name="reset_password"),
    path("team/<int:pk>/two-factor/", accounts.reset_two_factor, name="reset_two_factor"),
    path("team/<int:pk>/remove/", accounts.remove_member, name="remove_member"),
    path("team/<int:pk>/reactivate/", accounts.reactivate_member, name="reactivate_member"),
    path("organisations/", accounts.organisations, name="organisations"),
    path(
        "organisations/<int:pk>/invitation/",
        accounts.invite_first_coordinator,
        name="invite_first_coordinator",
    ),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("audit/checkpoint/", audit.audit_checkpoint, name="audit_checkpoint"),
    path("audit/check/", audit.audit_check, name="audit_check"),
    path("", include("kuzot.cases.urls")),
    path("", include("kuzot.intake.urls")),
    path("", include("kuzot.monitoring.urls")),
    path("", include("kuzot.stats.urls")),
    path("", include("kuzot.recommendations.urls")),
    path("", include("kuzot.jobs.urls")),
]
