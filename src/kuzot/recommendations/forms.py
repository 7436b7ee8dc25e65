"""Forms built from the schema's fields (``schema.py``), and the list's filters."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.cases.forms import DateInput, Sections
from kuzot.cases.imports import MAX_IMPORT_BYTES
from kuzot.recommendations import schema
from kuzot.recommendations.models import Mechanism, Position, Status, Theme


def split_themes(value: str) -> list[str]:
    """Themes are separated by semicolons or line breaks (UHRI's theme names hold commas)."""
    return [part.strip() for part in re.split(r"[;\n|]", value or "") if part.strip()]


def form_field(field: schema.Field) -> forms.Field:
    common = {"label": field.label, "required": field.required, "help_text": field.help}
    if field.kind == "long_text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if field.kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    if field.kind == "choice":
        blank = [] if field.required else [("", "—")]
        choices = [(v, label) for v, label in field.choices.choices if v]
        return forms.ChoiceField(choices=blank + choices, **common)
    if field.kind == "country":
        return forms.ChoiceField(choices=Organisation.Country.choices, **common)
    if field.kind == "number":
        return forms.IntegerField(min_value=1, max_value=5, **common)
    if field.kind == "bool":
        return forms.BooleanField(**{**common, "required": False})
    if field.kind == "url":
        return forms.URLField(max_length=500, assume_scheme="https", **common)
    return forms.CharField(max_length=500, **common)  # text, themes


class SchemaForm(Sections, forms.Form):
    """A form whose fields are the schema's ``fields``, grouped by ``sections``."""

    fields_of: tuple[schema.Field, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields_of:
            self.fields[field.name] = form_field(field)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for field in self.fields_of:
            if field.kind == "themes":
                data[field.name] = split_themes(data[field.name])
            elif field.kind in ("date", "number") and data.get(field.name) is None:
                data[field.name] = None
        return data


class RecommendationForm(SchemaForm):
    fields_of = schema.ROW_FIELDS
    sections = [
        (_("The document"), [f.name for f in schema.DOCUMENT_FIELDS]),
        (_("The recommendation"), [f.name for f in schema.RECOMMENDATION_FIELDS[:9]]),
        (_("Follow-up and the state's position"),
         [f.name for f in schema.RECOMMENDATION_FIELDS[9:]]),
    ]  # fmt: skip


class AssessmentForm(SchemaForm):
    fields_of = schema.ASSESSMENT_FIELDS


class ActionForm(SchemaForm):
    fields_of = schema.ACTION_FIELDS


class CaseLinkForm(Sections, forms.Form):
    reference = forms.CharField(
        label=_("Case reference"), max_length=40, help_text=_("As on the case, e.g. KG-2024-0007.")
    )

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        case = self.cases.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(_("No case of yours has this reference."))
        return case


class RepeatForm(Sections, forms.Form):
    earlier = forms.ChoiceField(label=_("It repeats"), widget=forms.RadioSelect)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(r.pk): r for r, _score in candidates}
        self.fields["earlier"].choices = [
            (str(r.pk), f"{r} ({score}%): {r.text[:160]}") for r, score in candidates
        ]

    def clean_earlier(self):
        return self.candidates[self.cleaned_data["earlier"]]


STATUS_FILTER = [("", _("any")), ("none", _("never assessed")), *Status.choices]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    mechanism = forms.ChoiceField(
        label=_("Mechanism"), choices=[("", _("any")), *Mechanism.choices], required=False
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("any")), *Organisation.Country.choices], required=False
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("any")
    )
    status = forms.ChoiceField(label=_("Latest assessment"), choices=STATUS_FILTER, required=False)
    position = forms.ChoiceField(
        label=_("State's position"),
        choices=[("", _("any")), *[(v, label) for v, label in Position.choices if v]],
        required=False,
    )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["theme"] = data["theme"].pk if data["theme"] else None
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV or XLSX: UHRI's export, UPR Info's, or the template's columns."),
        error_messages={"required": _("Choose a file to import.")},
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large: import it in parts."))
        return upload


class StatisticsLinkForm(Sections, forms.Form):
    category = forms.ChoiceField(
        label=_("Count of acts per year"),
        help_text=_("The categories your organisation's acts have, as the statistics count them."),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)

    def link(self) -> tuple[str, str]:
        dimension, category = self.cleaned_data["category"].split("|", 1)
        return dimension, category


class ReportForm(forms.Form):
    mechanism = forms.ChoiceField(label=_("Mechanism"), choices=Mechanism.choices)
    country = forms.ChoiceField(label=_("Country"), choices=Organisation.Country.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("en", "English"), ("ru", "Русский")]
    )
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("docx", "Word (DOCX)"), ("pdf", "PDF")]
    )
