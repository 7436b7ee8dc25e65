from django import forms
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Coalition, Organisation, Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(
        label=_("Choose a username"),
        max_length=150,
        help_text=_("Not your real name: a username is enough."),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. It also protects the keys to "
            "your organisation's records: nobody can recover it "
            "for you, only reset it."
        ),
    )


class RecoveryKeyForm(forms.Form):
    written_down = forms.BooleanField(
        label=_(
            "I have written the recovery key down (or printed it) and will keep it away "
            "from the server."
        ),
        error_messages={"required": _("Write the key down first: it is not shown again.")},
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


# Least privilege first: an invitation is for an analyst (statistics only, no name) unless the
# coordinator chooses a role that sees more.
INVITED_ROLES = [Role.ANALYST, Role.MONITOR, Role.DOCTOR, Role.LAWYER, Role.COORDINATOR]


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in INVITED_ROLES],
        initial=Role.ANALYST,
        help_text=_(
            "Analysts see statistics only, never a name. Monitors, doctors and lawyers see "
            "the organisation's cases with names (a strict case only its lawyer); coordinators "
            "see every case and run the team."
        ),
    )


class ResetPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Give it to your colleague in person. They must change it when they next log in."
        ),
    )


class OrganisationForm(forms.Form):
    coalition = forms.ModelChoiceField(label=_("Coalition"), queryset=Coalition.objects.all())
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name (for links)"))
    country = forms.ChoiceField(label=_("Country"), choices=Organisation.Country.choices)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("An organisation with this name exists."))
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Organisation.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This short name is taken."))
        return slug
