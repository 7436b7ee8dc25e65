from datetime import date

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.cases import selectors
from kuzot.cases.models import (
    Allegation,
    Case,
    Consent,
    LegalEvent,
    MedicalEvaluation,
    Person,
    PlaceOfDetention,
    Sex,
    Stage,
    Term,
)
from kuzot.uploads import MAX_UPLOAD_BYTES, megabytes


class Sections:
    """Forms drawn as fieldsets: ``sections`` lists (legend, field names); a None legend
    draws the fields without a fieldset around them."""

    sections: list = []

    def grouped(self):
        if not self.sections:
            return [(None, list(self))]
        return [(legend, [self[name] for name in names]) for legend, names in self.sections]

    def focus_first_error(self) -> None:
        """autofocus on the first invalid field (htmx also honours it after a swap)."""
        for name in self.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["autofocus"] = True
                return


class PersonForm(Sections, forms.Form):
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
    groups = forms.MultipleChoiceField(
        label=_("Vulnerable groups"),
        choices=lambda: GROUP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()

    def person_values(self) -> dict:
        """register_person's and update_person's arguments."""
        data = dict(self.cleaned_data)
        groups = data.pop("groups")
        return data | {group: group in groups for group in Person.VULNERABLE_GROUPS}


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


YES_NO = [("yes", _("yes")), ("no", _("no"))]
ANSWER = [("", _("not asked")), *YES_NO]


def _consent_fields(form: forms.Form, scope: str, label) -> list[str]:
    form.fields[f"consent_{scope}"] = forms.ChoiceField(
        label=_("Answer"), choices=ANSWER, required=False, widget=forms.RadioSelect
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


class CaseFieldsMixin:
    def _case_fields(self, user) -> None:
        self.fields["source"].queryset = selectors.terms(user, Term.Vocabulary.SOURCE)
        self.fields["assigned_lawyer"].queryset = selectors.organisation_lawyers(user)


def _case_field_definitions():
    return {
        "intake_date": forms.DateField(
            label=_("Intake date"), widget=DateInput, validators=[_not_future]
        ),
        "source": TermChoiceField(
            label=_("Source of information"), queryset=Term.objects.none(), required=False
        ),
        "assigned_lawyer": LawyerChoiceField(
            label=_("Assigned lawyer"), queryset=Term.objects.none(), required=False
        ),
        "confidentiality": forms.ChoiceField(
            label=_("Confidentiality"),
            choices=Case.Confidentiality.choices,
            initial=Case.Confidentiality.NORMAL,
            help_text=_("Strict: only the assigned lawyer and the coordinator see the case."),
        ),
        "reprisal_risk": forms.ChoiceField(
            label=_("Risk of reprisal"), choices=Case.Risk.choices, required=False
        ),
        "summary": forms.CharField(
            label=_("Summary"),
            required=False,
            max_length=20000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("Encrypted before it is stored."),
        ),
    }


GROUP_CHOICES = [
    (name, Person._meta.get_field(name).verbose_name) for name in Person.VULNERABLE_GROUPS
]


class RegisterCaseForm(Sections, CaseFieldsMixin, forms.Form):
    """A person (new, or picked by record number) and their case, with consent by scope."""

    person = forms.IntegerField(
        label=_("Existing person's record number"),
        required=False,
        min_value=1,
        help_text=_(
            "For a person already recorded (P-123: type 123). Otherwise leave empty "
            "and fill in the new person below."
        ),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=300,
        required=False,
        help_text=_("In any script or spelling, as the person gives it."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=date.today().year
    )
    nationality = forms.CharField(
        label=_("Nationality (country code)"), max_length=2, required=False
    )
    groups = forms.MultipleChoiceField(
        label=_("Vulnerable groups"),
        choices=GROUP_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields.update(_case_field_definitions())
        self._case_fields(user)
        self.sections = [
            (
                _("The person"),
                ["person", "full_name", "sex", "birth_year", "nationality", "groups"],
            ),
            (
                _("The case"),
                [
                    "intake_date",
                    "source",
                    "assigned_lawyer",
                    "confidentiality",
                    "reprisal_risk",
                    "summary",
                ],
            ),
        ]
        for scope, label in Consent.Scope.choices:
            self.sections.append(
                (format_lazy(_("Consent: {}"), label), _consent_fields(self, scope, label))
            )

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()

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
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "sex": data["sex"],
            "birth_year": data["birth_year"],
            "nationality": data["nationality"],
            **{group: group in data["groups"] for group in Person.VULNERABLE_GROUPS},
        }

    def case_values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "intake_date",
                "source",
                "assigned_lawyer",
                "confidentiality",
                "reprisal_risk",
                "summary",
            )
        } | {"consents": self.consents()}

    def consents(self) -> dict:
        data, answers = self.cleaned_data, {}
        for scope in Consent.Scope.values:
            answer = data.get(f"consent_{scope}")
            if answer:
                when = data.get(f"consent_{scope}_date") or data["intake_date"]
                answers[scope] = (answer == "yes", when, data[f"consent_{scope}_manner"])
        return answers


class CaseForm(Sections, CaseFieldsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_case_field_definitions())
        self._case_fields(user)
        self.order_fields(["intake_date", "status", "source", "assigned_lawyer"])


class AllegationForm(Sections, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, validators=[_not_future])
    date_precision = forms.ChoiceField(
        label=_("The date is known to the"),
        choices=Allegation.Precision.choices,
        initial=Allegation.Precision.DAY,
        widget=forms.RadioSelect,
    )
    act_types = TermMultipleChoiceField(
        label=_("Act types"), queryset=Term.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    region = TermChoiceField(label=_("Region"), queryset=Term.objects.none(), required=False)
    district = forms.CharField(label=_("District"), max_length=120, required=False)
    agency = TermChoiceField(
        label=_("Alleged perpetrator agency"), queryset=Term.objects.none(), required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    purpose = TermChoiceField(
        label=_("Apparent purpose"), queryset=Term.objects.none(), required=False
    )
    context = TermChoiceField(label=_("Context"), queryset=Term.objects.none(), required=False)
    place_of_detention = forms.ModelChoiceField(
        label=_("Place of detention"), queryset=PlaceOfDetention.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Encrypted before it is stored."),
    )
    perpetrators = forms.CharField(
        label=_("Alleged perpetrators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or descriptions; encrypted before they are stored."),
    )

    def __init__(self, *args, user, victims, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in (
            ("act_types", Term.Vocabulary.ACT_TYPE),
            ("region", Term.Vocabulary.REGION),
            ("agency", Term.Vocabulary.AGENCY),
            ("purpose", Term.Vocabulary.PURPOSE),
            ("context", Term.Vocabulary.CONTEXT),
        ):
            self.fields[name].queryset = selectors.terms(user, vocabulary)
        self.fields["place_of_detention"].queryset = selectors.visible_places(user)
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
        return {k: v for k, v in self.cleaned_data.items() if k != "sort" and v not in ("", None)}

    def ordering(self) -> str:
        sort = self.cleaned_data.get("sort") if self.is_valid() else ""
        return sort or "-intake_date"


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
