from datetime import date

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.cases.evidence import IMAGE_FORMATS, EvidenceRefused, check_image, detect_type
from kuzot.cases.models import Consent, Sex, Term
from kuzot.uploads import COMPLAINT_FILE_BYTES, COMPLAINT_FILES, MAX_UPLOAD_BYTES, megabytes

MAX_TEXT = 20_000
# What a complainant may send (office documents are zip containers: not from strangers).
ACCEPTED = {"image/jpeg", "image/png", "application/pdf", "audio/mpeg", "audio/ogg", "audio/mp4"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _files_help() -> str:
    return gettext("Up to %(n)d files, %(size)s each (%(total)s in all).") % {
        "n": COMPLAINT_FILES,
        "size": megabytes(COMPLAINT_FILE_BYTES),
        "total": megabytes(MAX_UPLOAD_BYTES),
    }


class FilesField(forms.FileField):
    """Up to COMPLAINT_FILES photos, documents or recordings, checked by content, before
    anything is stored: a file that cannot be kept refuses the whole form, by name."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(_files_help, str)())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > COMPLAINT_FILES:
            raise forms.ValidationError(
                gettext("Send at most %(n)d files at a time.") % {"n": COMPLAINT_FILES}
            )
        cleaned = []
        for upload in files:
            if upload.size > COMPLAINT_FILE_BYTES:
                raise forms.ValidationError(
                    gettext("“%(name)s” is larger than %(limit)s.")
                    % {"name": upload.name, "limit": megabytes(COMPLAINT_FILE_BYTES)}
                )
            content = upload.read()
            if not content:
                raise forms.ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
            content_type = detect_type(content)
            if content_type not in ACCEPTED:
                raise forms.ValidationError(
                    _(
                        "“%(name)s” is not a photo (JPEG, PNG), a PDF or a recording "
                        "(MP3, OGG, M4A)."
                    )
                    % {"name": upload.name}
                )
            if content_type in IMAGE_FORMATS:
                try:
                    check_image(content)
                except EvidenceRefused as refused:
                    raise forms.ValidationError(
                        gettext("“%(name)s”: %(problem)s")
                        % {"name": upload.name, "problem": refused}
                    ) from refused
            cleaned.append((upload.name, content_type, content))
        return cleaned


class ComplaintForm(forms.Form):
    ABOUT = [("me", _("What happened to me")), ("other", _("What happened to someone else"))]
    CONTACT = [
        ("none", _("Do not contact me. I will come back with my receipt.")),
        ("phone", _("You may call me")),
        ("other", _("Another way (write it below)")),
    ]
    MEDICAL = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I do not know"))]
    CONSENT_WORDS = {
        Consent.Scope.DOCUMENTATION: _("You may keep a record of what I tell you."),
        Consent.Scope.STATISTICS: _("You may count this case in statistics that name no one."),
        Consent.Scope.PUBLICATION: _("You may tell the story publicly, without my name."),
        Consent.Scope.UN_BODIES: _("You may tell United Nations bodies about it."),
        Consent.Scope.SHARING: _("You may share it with another organisation of the coalition."),
    }  # consent to calls is asked once, by "May we contact you?"

    organisation = forms.ModelChoiceField(
        label=_("Which organisation should receive your complaint?"),
        queryset=Organisation.objects.all(),
        required=False,
    )
    about = forms.ChoiceField(
        label=_("Who is this about?"), choices=ABOUT, widget=forms.RadioSelect, initial="me"
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In your own words and in any language. Write what you remember."),
    )
    when = forms.CharField(
        label=_("When did it happen?"),
        max_length=200,
        required=False,
        help_text=_("A date, or roughly: “March 2024”, “last week”."),
    )
    where = forms.CharField(
        label=_("Where did it happen?"),
        max_length=500,
        required=False,
        help_text=_("Town, police station, detention centre, prison…"),
    )
    agency = forms.ModelChoiceField(
        label=_("Who did it?"),
        required=False,
        queryset=Term.objects.filter(vocabulary=Term.Vocabulary.AGENCY, organisation=None),
        empty_label=_("I do not know"),
    )
    unit = forms.CharField(
        label=_("Unit, department or names, if you know them"), max_length=500, required=False
    )
    victim_name = forms.CharField(
        label=_("Name of the person harmed"),
        max_length=300,
        required=False,
        help_text=_("You may leave this empty."),
    )
    sex = forms.ChoiceField(
        label=_("Sex of the person harmed"), choices=Sex.choices, required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth of the person harmed"),
        required=False,
        min_value=1900,
        max_value=date.today().year,
    )
    medical_help = forms.ChoiceField(
        label=_("Did the person get medical help?"),
        choices=MEDICAL,
        widget=forms.RadioSelect,
        required=False,
    )
    medical_details = forms.CharField(
        label=_("Medical help: where and when"), max_length=1000, required=False
    )
    contact_how = forms.ChoiceField(
        label=_("May we contact you?"), choices=CONTACT, widget=forms.RadioSelect, initial="none"
    )
    contact = forms.CharField(
        label=_("Phone number or other way to reach you safely"), max_length=300, required=False
    )
    consent = forms.MultipleChoiceField(
        label=_("What may we do with what you tell us?"),
        choices=list(CONSENT_WORDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # and nothing ticked beforehand: consent is given, never assumed
    )
    files = FilesField(label=_("Photos, documents or recordings (optional)"), required=False)
    # Left empty by people: a field hidden by the stylesheet that bots fill in.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_organisation = organisation
        if organisation is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_how") in ("phone", "other") and not cleaned.get("contact"):
            self.add_error(
                "contact", _("Write how we can reach you, or choose “Do not contact me”.")
            )
        return cleaned

    def content(self) -> dict:
        """What is encrypted: everything the person wrote, nothing about their device."""
        data = self.cleaned_data
        return {
            "about": data["about"],
            "what_happened": data["what_happened"],
            "when": data["when"],
            "where": data["where"],
            "agency": data["agency"].code if data["agency"] else "",
            "unit": data["unit"],
            "victim_name": data["victim_name"],
            "sex": data["sex"],
            "birth_year": data["birth_year"],
            "medical_help": data["medical_help"],
            "medical_details": data["medical_details"],
            "contact_how": data["contact_how"],
            "contact": data["contact"],
            # "You may call me" is the consent to calls
            "consent": data["consent"]
            + ([Consent.Scope.PHONE] if data["contact_how"] == "phone" else []),
            # The scopes the person was asked about (calls through "May we contact you?"): one
            # left unticked is refused, one not listed was never asked (accept() records none).
            "consent_asked": [*self.CONSENT_WORDS, Consent.Scope.PHONE],
        }

    @classmethod
    def shown(cls, content: dict) -> dict:
        """A complaint's answers as the recipients read them: the labels in their language,
        never the stored codes (``police``, ``me``, ``none``)."""
        code = content.get("agency") or ""
        agency = Term.objects.filter(
            vocabulary=Term.Vocabulary.AGENCY, organisation=None, code=code
        ).first()
        scopes = dict(Consent.Scope.choices)
        return {
            **content,
            "about": dict(cls.ABOUT).get(content.get("about"), content.get("about", "")),
            "agency": agency.label if agency else code,
            "sex": dict(Sex.choices).get(content.get("sex"), content.get("sex", "")),
            "medical_help": dict(cls.MEDICAL).get(
                content.get("medical_help"), content.get("medical_help", "")
            ),
            "contact_how": dict(cls.CONTACT).get(
                content.get("contact_how"), content.get("contact_how", "")
            ),
            "consent": [scopes.get(scope, scope) for scope in content.get("consent", [])],
        }


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your 16-digit receipt"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_receipt(self):
        digits = "".join(ch for ch in self.cleaned_data["receipt"] if ch.isdigit())
        if len(digits) != 16:
            raise forms.ValidationError(_("A receipt has 16 digits."))
        return digits


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = FilesField(label=_("Add files (optional)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("body") and not cleaned.get("files"):
            raise forms.ValidationError(_("Write an answer or add a file."))
        return cleaned


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the person who complained"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, as the person will read it"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DuplicateForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the existing case"), max_length=40)
