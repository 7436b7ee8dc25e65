from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from kuzot.stats.publishing import STANDARD
from kuzot.stats.queries import REGISTRY
from kuzot.stats.reports import FIRST_YEAR

DIMENSION_CHOICES = list(REGISTRY.dimensions().items())
YEARS = {"min_value": FIRST_YEAR, "max_value": date.today().year}


class ExploreForm(forms.Form):
    rows = forms.ChoiceField(label=_("Rows"), choices=DIMENSION_CHOICES, initial="year")
    columns = forms.ChoiceField(
        label=_("Columns"), required=False, choices=[("", _("—"))] + DIMENSION_CHOICES
    )
    year_from = forms.IntegerField(label=_("From year"), required=False, **YEARS)
    year_to = forms.IntegerField(label=_("To year"), required=False, **YEARS)
    coalition = forms.BooleanField(
        label=_(
            "Whole coalition (the latest coalition view: standard tables, small numbers withheld)"
        ),
        required=False,
    )


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year_from = forms.IntegerField(label=_("From year"), **YEARS)
    year_to = forms.IntegerField(label=_("To year"), **YEARS)
    coalition_wide = forms.BooleanField(label=_("The coalition's combined numbers"), required=False)
    tables = forms.MultipleChoiceField(
        label=_("Tables"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(c.key, c.title) for c in STANDARD],
        initial=["year_country", "agency", "region", "act_type"],
    )
    threshold = forms.IntegerField(
        label=_("Smallest number shown"), initial=5, min_value=3, max_value=20
    )
    sensitive = forms.MultipleChoiceField(
        label=_("Never show a whole group sharing"),
        help_text=_(
            "For the dimensions ticked, a cell is withheld when everyone in its row or column "
            'shares it ("all 7 victims in this region were women"), and enough other cells '
            "that no one can tell that fewer than the smallest number shown were different."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (d, REGISTRY.dimensions()[d])
            for d in ("sex", "age_group", "region", "agency", "context", "place_type")
        ],
    )
    rounding_base = forms.TypedChoiceField(
        label=_("Round numbers to"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("do not round")), (3, "3"), (5, "5"), (10, "10")],
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("year_from") or 0) > (cleaned.get("year_to") or 9999):
            raise forms.ValidationError(_("The period ends before it starts."))
        base, threshold = cleaned.get("rounding_base"), cleaned.get("threshold") or 5
        if base and base > 2 * threshold:
            raise forms.ValidationError(_("Round to at most twice the smallest number shown."))
        return cleaned
