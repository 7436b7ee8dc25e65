from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from kuzot.cases.models import Sex


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=300,
        help_text=_("In any script or spelling, as the person gives it."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=date.today().year
    )
    nationality = forms.CharField(
        label=_("Nationality (country code)"), max_length=2, required=False
    )
    birth_date = forms.CharField(label=_("Exact birth date"), max_length=20, required=False)
    id_number = forms.CharField(label=_("ID or passport number"), max_length=60, required=False)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=300,
        required=False,
        help_text=_("Phone or other safe way to reach the person."),
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=300, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Photos, documents or audio, up to 50 MB."))
    description = forms.CharField(label=_("What it shows"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
