from django import forms
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import User
from kuzot.cases import selectors
from kuzot.cases.forms import DateInput, Sections, TermMultipleChoiceField
from kuzot.cases.models import PlaceOfDetention, Term
from kuzot.monitoring.actions import VISITORS
from kuzot.monitoring.models import Finding, Interview, Visit


class PlanVisitForm(Sections, forms.Form):
    place = forms.ModelChoiceField(
        label=_("Place of detention"), queryset=PlaceOfDetention.objects.none()
    )
    planned_for = forms.DateField(label=_("Planned for"), widget=DateInput)
    announced = forms.BooleanField(label=_("Announced to the authority beforehand"), required=False)
    team = forms.ModelMultipleChoiceField(
        label=_("Team (you lead it)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Take a doctor: injuries are documented on the spot."),
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = selectors.visible_places(user)
        self.fields["team"].queryset = User.objects.filter(
            organisation_id=user.organisation_id, role__in=VISITORS, is_active=True
        ).exclude(pk=user.pk)
        self.fields["team"].label_from_instance = lambda member: (
            f"{member.username} ({member.get_role_display()})"
        )


class RecordVisitForm(Sections, forms.Form):
    started_on = forms.DateField(label=_("First day"), widget=DateInput)
    ended_on = forms.DateField(label=_("Last day"), widget=DateInput, required=False)
    access = forms.ChoiceField(label=_("Access"), choices=Visit.Access.choices)
    access_notes = forms.CharField(
        label=_("Where access was refused or delayed, and by whom"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    registers_checked = forms.CharField(
        label=_("Registers checked"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("started_on"), cleaned.get("ended_on")
        if first and last and last < first:
            self.add_error("ended_on", _("The last day is before the first."))
        return cleaned


class InterviewForm(Sections, forms.Form):
    interviewee = forms.ChoiceField(
        label=_("Who was interviewed"), choices=Interview.Interviewee.choices
    )
    private = forms.BooleanField(
        label=_("In private, without witnesses (OPCAT art. 20)"), required=False, initial=True
    )
    consent_to_record = forms.BooleanField(
        label=_("The person agrees to notes being kept"), required=False
    )
    consent_to_transmit = forms.BooleanField(
        label=_("The person agrees that an allegation is taken up as a case"), required=False
    )
    check_on_next_visit = forms.BooleanField(
        label=_("Check on this person at the next visit (risk of reprisals)"), required=False
    )
    name = forms.CharField(label=_("Name, if the person gives it"), required=False, max_length=300)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("consent_to_record"):
            if cleaned.get("name") or cleaned.get("notes"):
                self.add_error(
                    "consent_to_record",
                    _("Without the person's agreement, keep no name or notes."),
                )
            if cleaned.get("consent_to_transmit"):
                self.add_error(
                    "consent_to_transmit",
                    _("An allegation is taken up only with notes the person agreed to."),
                )
        return cleaned


class FindingForm(Sections, forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=Finding.Area.choices)
    source = forms.ChoiceField(label=_("Source"), choices=Finding.Source.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices)
    rule = forms.CharField(
        label=_("Rule breached"),
        required=False,
        max_length=100,
        help_text=_("For example: Mandela 42, CPT police custody, Bangkok 6."),
    )
    description = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4})
    )
    root_cause = forms.CharField(
        label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    interview = forms.ModelChoiceField(
        label=_("From the interview"), queryset=Interview.objects.none(), required=False
    )
    act_types = TermMultipleChoiceField(
        label=_("Acts alleged (for torture or ill-treatment)"),
        queryset=Term.objects.filter(vocabulary="act_type", organisation=None),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview"].queryset = visit.interviews.all()
        self.fields["interview"].label_from_instance = lambda interview: (
            f"#{interview.pk} — {interview.get_interviewee_display()}"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("act_types") and cleaned.get("area") != Finding.Area.TREATMENT:
            self.add_error(
                "act_types", _("Acts are named for a finding of torture or ill-treatment.")
            )
        return cleaned


class RecommendForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation to the authority"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("To be done by"), widget=DateInput, required=False)
