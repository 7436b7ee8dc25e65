from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kuzot import countries
from kuzot.accounts.models import Organisation, User
from kuzot.cases import schema, selectors
from kuzot.cases.models import (
    Case,
    Consent,
    LegalEvent,
    MedicalEvaluation,
    Person,
    Stage,
    Term,
)
from kuzot.uploads import MAX_UPLOAD_BYTES, megabytes


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=300, required=False)


def _evidence_help() -> str:
    return gettext("Photos, documents or audio, up to %(limit)s.") % {
        "limit": megabytes(MAX_UPLOAD_BYTES)
    }


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=lazy(_evidence_help, str)(),
        error_messages={"required": _("Choose a file to upload.")},
    )
    description = forms.CharField(
        label=_("What it shows"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("“%(name)s” is larger than %(limit)s.")
                % {"name": upload.name, "limit": megabytes(MAX_UPLOAD_BYTES)}
            )
        return upload


# --- Case register -------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _not_future(value):
    if value and value > date.today():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class LawyerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.username


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


GROUP_CHOICES = [
    (name, Person._meta.get_field(name).verbose_name) for name in Person.VULNERABLE_GROUPS
]


def _form_field(f: schema.Field, model, user) -> dict[str, forms.Field]:
    """The form field(s) of a declared field (``cases.schema``), by its kind."""
    label, options = capfirst(f.label), {"required": f.required, "help_text": f.help_text}
    if f.kind == "text":
        long = (f.max_length or 0) >= 2000
        widget = forms.Textarea(attrs={"rows": 5 if f.max_length > 2000 else 2}) if long else None
        return {
            f.name: forms.CharField(label=label, max_length=f.max_length, widget=widget, **options)
        }
    if f.kind in ("date", "dated"):
        day = forms.DateField(label=label, widget=DateInput, validators=[_not_future], **options)
        if f.kind == "date":
            return {f.name: day}
        precision = f"{f.name}_precision"
        return {
            f.name: day,
            precision: forms.ChoiceField(
                label=_("The date is known to the"),
                choices=model._meta.get_field(precision).choices,
                initial=model._meta.get_field(precision).default,
                widget=forms.RadioSelect,
            ),
        }
    if f.kind == "year":
        return {
            f.name: forms.IntegerField(
                label=label, min_value=1900, max_value=date.today().year, **options
            )
        }
    if f.kind == "country":
        return {f.name: forms.ChoiceField(label=label, choices=countries.choices, **options)}
    if f.kind in ("sex", "choice"):
        field = model._meta.get_field(f.name)
        return {
            f.name: forms.ChoiceField(
                label=label,
                choices=field.choices,
                initial=field.default,
                **(options | {"required": not field.blank}),
            )
        }
    if f.kind == "groups":
        return {
            f.name: forms.MultipleChoiceField(
                label=label, choices=GROUP_CHOICES, widget=forms.CheckboxSelectMultiple, **options
            )
        }
    if f.kind == "term":
        queryset = selectors.terms(user, f.vocabulary)
        return {f.name: TermChoiceField(label=label, queryset=queryset, **options)}
    if f.kind == "terms":
        queryset = selectors.terms(user, f.vocabulary)
        return {
            f.name: TermMultipleChoiceField(
                label=label, queryset=queryset, widget=forms.CheckboxSelectMultiple, **options
            )
        }
    if f.kind == "place":
        queryset = selectors.visible_places(user)
        return {f.name: PlaceChoiceField(label=label, queryset=queryset, **options)}
    if f.kind == "lawyer":
        queryset = selectors.organisation_lawyers(user)
        return {f.name: LawyerChoiceField(label=label, queryset=queryset, **options)}
    raise AssertionError(f.kind)


def declared_fields(record: tuple[schema.Field, ...], user) -> dict[str, forms.Field]:
    """The form fields of every field a record's form offers, in the declared order."""
    model = next(m for m, fields in schema.RECORDS.items() if fields is record)
    fields = {}
    for f in schema.entered(record):
        fields.update(_form_field(f, model, user))
    return fields


def declared_values(record: tuple[schema.Field, ...], data: dict) -> dict:
    """A form's cleaned data as the action's arguments (the groups one by one)."""
    values = {}
    for f in schema.entered(record):
        if f.kind == "groups":
            values.update({g: g in data[f.name] for g in Person.VULNERABLE_GROUPS})
        elif f.kind == "country":
            values[f.name] = data[f.name].upper()
        else:
            values[f.name] = data[f.name]
            if f.kind == "dated":
                values[f"{f.name}_precision"] = data[f"{f.name}_precision"]
    return values


@dataclass
class Section:
    """A fieldset of a form. ``optional``: drawn folded (a <details>) unless something in it
    is filled in or wrong; ``consent``: an answer whose date and manner show only once it is
    answered (CSS, no JavaScript)."""

    legend: str | None
    fields: list
    style: str = ""

    @property
    def open(self) -> bool:
        return self.style != "optional" or any(f.value() or f.errors for f in self.fields)


class Sections:
    """Forms drawn as fieldsets: ``sections`` lists (legend, field names[, style]); a None
    legend draws the fields without a fieldset around them."""

    sections: list = []

    def grouped(self) -> list[Section]:
        if not self.sections:
            return [Section(None, list(self))]
        return [
            Section(legend, [self[name] for name in names], *style)
            for legend, names, *style in self.sections
        ]

    def focus_first_error(self) -> None:
        """autofocus on the first invalid field (htmx also honours it after a swap)."""
        for name in self.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["autofocus"] = True
                return


YES_NO = [("yes", _("yes")), ("no", _("no"))]
ANSWER = [("", _("not asked")), *YES_NO]


def _consent_fields(form: forms.Form, scope: str, label) -> list[str]:
    form.fields[f"consent_{scope}"] = forms.ChoiceField(
        label=_("Answer"), choices=ANSWER, initial="", required=False, widget=forms.RadioSelect
    )
    form.fields[f"consent_{scope}_date"] = forms.DateField(
        label=_("Date of the answer"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the intake date."),
        validators=[_not_future],
    )
    form.fields[f"consent_{scope}_manner"] = forms.ChoiceField(
        label=_("How it was given"),
        choices=Consent.Manner.choices,
        initial="written",
        required=False,
    )
    return [f"consent_{scope}", f"consent_{scope}_date", f"consent_{scope}_manner"]


class RegisterCaseForm(Sections, forms.Form):
    """A person (new, or picked by record number) and their case (``schema.PERSON`` and
    ``schema.CASE``'s fields), with consent by scope."""

    person = forms.IntegerField(
        label=_("Existing person's record number"),
        required=False,
        min_value=1,
        help_text=_(
            "For a person already recorded (P-123: type 123). Otherwise leave empty "
            "and fill in the new person below."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        person = declared_fields(schema.PERSON, user)
        person["full_name"].required = False  # or an existing person
        self.fields.update(person)
        case = declared_fields(schema.CASE, user)
        for name in schema.names(schema.CASE, kinds={"choice"}):
            case[name].required = False  # not given: the model's default (a new case is open)
        self.fields.update(case)
        # What every case needs first; the person's identity documents and contact (sealed,
        # often not known at intake) folded away until wanted.
        details = [f.name for f in schema.PERSON if f.sealed and not f.required]
        self.sections = [
            (_("The person"), ["person", *(name for name in person if name not in details)]),
            (_("Identity documents and contact"), details, "optional"),
            (_("The case"), schema.names(schema.entered(schema.CASE))),
        ]
        for scope, label in Consent.Scope.choices:
            self.sections.append(
                (
                    format_lazy(_("Consent: {}"), label),
                    _consent_fields(self, scope, label),
                    "consent",
                )
            )

    def clean_person(self):
        pk = self.cleaned_data["person"]
        if pk is None:
            return None
        found = selectors.visible_people(self.user).filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(_("Your organisation has no person with this number."))
        return found

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("full_name", "").strip():
            if "person" not in self.errors:
                self.add_error(
                    "full_name", _("Give the person's name, or the number of a recorded person.")
                )
        for scope in Consent.Scope.values:
            if data.get(f"consent_{scope}") and not data.get(f"consent_{scope}_manner"):
                self.add_error(f"consent_{scope}_manner", _("Say how the answer was given."))
        return data

    def person_values(self) -> dict:
        return declared_values(schema.PERSON, self.cleaned_data)

    def case_values(self) -> dict:
        return declared_values(schema.CASE, self.cleaned_data) | {"consents": self.consents()}

    def consents(self) -> dict:
        data, answers = self.cleaned_data, {}
        for scope in Consent.Scope.values:
            answer = data.get(f"consent_{scope}")
            if answer:
                when = data.get(f"consent_{scope}_date") or data["intake_date"]
                answers[scope] = (answer == "yes", when, data[f"consent_{scope}_manner"])
        return answers


class CaseForm(Sections, forms.Form):
    """A case's own fields (``schema.CASE``)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(declared_fields(schema.CASE, user))

    def case_values(self) -> dict:
        return declared_values(schema.CASE, self.cleaned_data)


class AllegationForm(Sections, forms.Form):
    """An act (``schema.ACT``'s fields) and which of the case's victims it was done to."""

    def __init__(self, *args, user, victims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(declared_fields(schema.ACT, user))
        # victims: [(person, label)] of the case's victims
        self.victims = {str(person.pk): person for person, _label in victims}
        self.fields["victim"] = forms.ChoiceField(
            label=_("Victim"),
            choices=[("", "—"), *((str(p.pk), label) for p, label in victims)],
            required=False,
        )
        self.order_fields(["date", "date_precision", "victim"])

    def clean_victim(self):
        return self.victims.get(self.cleaned_data["victim"])

    def act_values(self) -> dict:
        return declared_values(schema.ACT, self.cleaned_data) | {
            "victim": self.cleaned_data["victim"]
        }


class LegalEventForm(Sections, forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=[("", "—"), *LegalEvent.Kind.choices])
    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[_not_future])
    body = TermChoiceField(
        label=_("To whom / which body"), queryset=Term.objects.none(), required=False
    )
    article = forms.CharField(label=_("Criminal code article"), max_length=40, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=LegalEvent.Outcome.choices, required=False
    )
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        required=False,
        help_text=_("Three letters: KGS, KZT, TJS, UZS, USD, EUR …"),
    )
    sentence = forms.CharField(label=_("Sentence"), max_length=200, required=False)
    next_date = forms.DateField(
        label=_("Next hearing or deadline"), widget=DateInput, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted before they are stored."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = selectors.terms(user, Term.Vocabulary.COMPLAINT_BODY)

    def clean_currency(self):
        value = self.cleaned_data["currency"].upper()
        if value and not value.isalpha():
            raise forms.ValidationError(_("Three letters, such as KGS or USD."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and not data.get("currency"):
            if "currency" not in self.errors:
                self.add_error("currency", _("An amount needs its currency."))
        return data


class ConsentForm(Sections, forms.Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=Consent.Scope.choices)
    given = forms.ChoiceField(
        label=_("Answer"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("No also records a withdrawal."),
    )
    when = forms.DateField(label=_("Date"), widget=DateInput, validators=[_not_future])
    manner = forms.ChoiceField(
        label=_("How it was given"), choices=Consent.Manner.choices, initial="written"
    )


class MedicalEvaluationForm(Sections, forms.Form):
    date = forms.DateField(
        label=_("Date of examination"), widget=DateInput, validators=[_not_future]
    )
    overall = forms.ChoiceField(
        label=_("Overall conclusion: the findings are"),
        choices=MedicalEvaluation.Consistency.choices,
        widget=forms.RadioSelect,
        help_text=_("The Istanbul Protocol's scale, from not consistent to diagnostic of."),
    )
    physical_findings = forms.CharField(
        label=_("Physical findings"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    psychological_findings = forms.CharField(
        label=_("Psychological findings"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, acts, **kwargs):
        """``acts``: [(allegation, label)] of the case."""
        super().__init__(*args, **kwargs)
        self.acts = []
        for allegation, label in acts:
            name = f"finding_{allegation.pk}"
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("", _("not assessed")), *MedicalEvaluation.Consistency.choices],
                required=False,
            )
            self.acts.append((allegation.pk, name))
        self.sections = [
            (None, ["date", "overall"]),
            (_("Consistency with each alleged act"), [name for _pk, name in self.acts]),
            (None, ["physical_findings", "psychological_findings", "conclusion"]),
        ]
        if not self.acts:
            self.sections.pop(1)

    def findings(self) -> dict[int, str]:
        return {pk: self.cleaned_data[name] for pk, name in self.acts if self.cleaned_data[name]}


class ShareForm(Sections, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            coalition_id=user.organisation.coalition_id
        ).exclude(pk=user.organisation_id)


class CaseFilterForm(forms.Form):
    """The case list's filters: a plain GET form."""

    SORTS = [
        ("-intake_date", _("newest intake first")),
        ("intake_date", _("oldest intake first")),
        ("reference", _("reference")),
        ("stage", _("stage")),
    ]

    q = forms.CharField(
        label=_("Search"),
        max_length=300,
        required=False,
        help_text=_("A reference, a name in any spelling, or words of the summary."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        required=False,
        help_text=_("Kuzot's, or the one in the register the case was imported from."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *Case.Status.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("any")), *Stage.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Intake year"), min_value=1990, max_value=2100, required=False
    )
    # Plain choices filled in __init__ from two queries (not a query per select, nor a
    # validating query per chosen term): the list is the register's most used page.
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False)
    act_type = forms.TypedChoiceField(label=_("Act type"), coerce=int, required=False)
    group = forms.ChoiceField(
        label=_("Vulnerable group of a victim"),
        choices=[("", _("any")), *GROUP_CHOICES],
        required=False,
    )
    lawyer = forms.TypedChoiceField(label=_("Assigned lawyer"), coerce=int, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=SORTS,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        vocabularies = {
            "region": Term.Vocabulary.REGION,
            "agency": Term.Vocabulary.AGENCY,
            "act_type": Term.Vocabulary.ACT_TYPE,
        }
        terms = selectors.term_choices(user, *vocabularies.values())
        for name, vocabulary in vocabularies.items():
            self.fields[name].choices = [("", _("any")), *terms[vocabulary]]
        lawyers = selectors.organisation_lawyers(user).values_list("pk", "username")
        self.fields["lawyer"].choices = [("", _("any")), *lawyers]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            k: v for k, v in self.cleaned_data.items() if k != "sort" and v not in ("", None, False)
        }

    def ordering(self) -> str:
        sort = self.cleaned_data.get("sort") if self.is_valid() else ""
        return sort or "-intake_date"


class BulkCaseForm(forms.Form):
    """One change to the cases ticked on the list: a lawyer to assign, a status, or both."""

    cases = forms.ModelMultipleChoiceField(
        label=_("Cases"),
        queryset=Case.objects.none(),
        error_messages={"required": _("Tick the cases to change.")},
    )
    assigned_lawyer = forms.ModelChoiceField(
        label=_("Assign the lawyer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— keep —"),
    )
    status = forms.ChoiceField(
        label=_("Set the status"),
        choices=[("", _("— keep —")), *Case.Status.choices],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "bulk_%s")  # the filter form on the same page has id_…
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = selectors.visible_cases(user)
        self.fields["assigned_lawyer"].queryset = selectors.organisation_lawyers(user)

    def clean(self):
        data = super().clean()
        if not data.get("assigned_lawyer") and not data.get("status"):
            raise forms.ValidationError(_("Choose a lawyer to assign or a status to set."))
        return data

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("assigned_lawyer", "status")
            if self.cleaned_data[name]
        }


class SaveFilterForm(forms.Form):
    name = forms.CharField(
        label=_("Save these filters as"),
        max_length=80,
        help_text=_("Only you see it. Name it by what it shows, not by a person."),
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "save_%s")
        super().__init__(*args, **kwargs)


# --- Places of detention and vocabularies --------------------------------------------------


class PlaceForm(Sections, forms.Form):
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    kind = TermChoiceField(label=_("Type of place"), queryset=Term.objects.none())
    authority = TermChoiceField(
        label=_("Authority"),
        queryset=Term.objects.none(),
        required=False,
        help_text=_("The agency that runs the place."),
    )
    country = forms.CharField(label=_("Country (code)"), max_length=2, min_length=2)
    region = TermChoiceField(label=_("Region"), queryset=Term.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=0, required=False, help_text=_("How many people it holds.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in (
            ("kind", Term.Vocabulary.PLACE_TYPE),
            ("authority", Term.Vocabulary.AGENCY),
            ("region", Term.Vocabulary.REGION),
        ):
            self.fields[name].queryset = selectors.terms(user, vocabulary)

    def clean_country(self):
        value = self.cleaned_data["country"].upper()
        if not value.isalpha():
            raise forms.ValidationError(_("Two letters, such as KG or KZ."))
        return value

    def clean(self):
        data = super().clean()
        if not (data.get("name_en", "").strip() or data.get("name_ru", "").strip()):
            self.add_error("name_en", _("Give the place's name in one language at least."))
        region, country = data.get("region"), data.get("country")
        if region is not None and country and region.country and region.country != country:
            self.add_error("region", _("This region is in another country."))
        return data


class TermForm(Sections, forms.Form):
    vocabulary = forms.ChoiceField(label=_("Vocabulary"), choices=Term.Vocabulary.choices)
    label_en = forms.CharField(label=_("Label in English"), max_length=200, required=False)
    label_ru = forms.CharField(label=_("Label in Russian"), max_length=200, required=False)
    country = forms.CharField(
        label=_("Country (code)"),
        max_length=2,
        required=False,
        help_text=_("For a region only."),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("label_en", "").strip() or data.get("label_ru", "").strip()):
            self.add_error("label_en", _("Give the label in one language at least."))
        if data.get("vocabulary") == Term.Vocabulary.REGION and not data.get("country"):
            self.add_error("country", _("A region belongs to a country."))
        return data


class TermEditForm(Sections, forms.Form):
    label_en = forms.CharField(label=_("Label in English"), max_length=200, required=False)
    label_ru = forms.CharField(label=_("Label in Russian"), max_length=200, required=False)
    active = forms.BooleanField(
        label=_("Offered in the forms"),
        required=False,
        help_text=_("Untick to retire the term: records that name it keep it."),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("label_en", "").strip() or data.get("label_ru", "").strip()):
            self.add_error("label_en", _("Give the label in one language at least."))
        return data

class MergeForm(Sections, forms.Form):
    other = forms.IntegerField(
        label=_("Record number of the same person's other record"),
        min_value=1,
        help_text=_("P-123: type 123. Its cases and acts pass to this record, which is kept."),
    )

    def __init__(self, *args, user, kept, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.kept = user, kept

    def clean_other(self):
        pk = self.cleaned_data["other"]
        found = selectors.visible_people(self.user).filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(_("Your organisation has no person with this number."))
        if found.pk == self.kept.pk:
            raise forms.ValidationError(_("This is the record you are merging into."))
        return found

class PersonForm(Sections, forms.Form):
    """A person: ``schema.PERSON``'s fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(declared_fields(schema.PERSON, None))

    def person_values(self) -> dict:
        return declared_values(schema.PERSON, self.cleaned_data)
