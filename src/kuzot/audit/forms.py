from django import forms
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import User
from kuzot.audit.models import AuditEvent


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    """Which events of the organisation's log to show: by action, user and date range."""

    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditEvent.Action.choices]
    )
    user = forms.ChoiceField(label=_("Who"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        names = User.objects.filter(organisation_id=organisation_id).order_by("username")
        self.fields["user"].choices = [
            ("", _("Everyone")),
            *((name, name) for name in names.values_list("username", flat=True)),
        ]

    def filter(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["user"]:
            events = events.filter(actor_name=data["user"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
        return events
