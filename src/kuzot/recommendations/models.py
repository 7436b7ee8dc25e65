"""What international and national bodies told a state to change, and whether it did.

Documents and recommendations are public texts, shared by the whole installation (one copy of
CAT/C/KGZ/CO/3 for every member). What an organisation adds is its own: its assessments (unless
it publishes them on the scorecard), the actions it follows and the links to its cases; the free
text it types (an assessment's evidence, an action and its indicator) is sealed under its key.

The fields a person or a spreadsheet fills in are declared once, with their labels, in
``schema.py``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.accounts.vault import SealedField


class Mechanism(models.TextChoices):
    CAT = "cat", _("UN Committee against Torture")
    SPT = "spt", _("UN Subcommittee on Prevention of Torture")
    HRC = "hrc", _("UN Human Rights Committee")
    UPR = "upr", _("Universal Periodic Review")
    SRT = "srt", _("UN Special Rapporteur on torture")
    WGAD = "wgad", _("UN Working Group on Arbitrary Detention")
    CEDAW = "cedaw", _("UN Committee on the Elimination of Discrimination against Women")
    CRC = "crc", _("UN Committee on the Rights of the Child")
    EU = "eu", _("European Union human rights dialogue")
    OSCE = "osce", _("OSCE/ODIHR")
    NPM = "npm", _("National preventive mechanism")
    OMBUDSMAN = "ombudsman", _("Ombudsman")
    COALITION = "coalition", _("The coalition")


class Position(models.TextChoices):
    UNKNOWN = "", _("not stated")
    SUPPORTED = "supported", _("supported")
    NOTED = "noted", _("noted")
    REJECTED = "rejected", _("rejected")


class Document(models.Model):
    """A report, concluding observations, a UPR outcome, a visit report: identified by its
    symbol (``CAT/C/KGZ/CO/3``)."""

    mechanism = models.CharField(max_length=12, choices=Mechanism.choices)
    symbol = models.CharField(max_length=100, unique=True)
    cycle = models.CharField(max_length=100, blank=True)
    date = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=2, choices=Organisation.Country.choices, db_index=True)
    link = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "symbol"]

    def __str__(self) -> str:
        return self.symbol


class Theme(models.Model):
    """A theme as UHRI names it ("Torture and other cruel, inhuman or degrading treatment")."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="recommendations")
    # The paragraph ("9", "117.35"), or when a source gives none a digest of the text: with the
    # document and the recommending state it identifies the recommendation on a re-import.
    key = models.CharField(max_length=100)
    paragraph = models.CharField(max_length=40, blank=True)
    text = models.TextField()
    language = models.CharField(max_length=5, default="en")
    text_en = models.TextField(blank=True)
    text_ru = models.TextField(blank=True)
    recommending_state = models.CharField(max_length=100, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    affected_persons = models.CharField(max_length=500, blank=True)
    sdg_targets = models.CharField(max_length=200, blank=True)
    upr_action_category = models.PositiveSmallIntegerField(null=True, blank=True)
    follow_up = models.BooleanField(default=False)
    follow_up_deadline = models.DateField(null=True, blank=True)
    position = models.CharField(max_length=10, choices=Position.choices, blank=True)
    position_wording = models.TextField(blank=True)
    repeats = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeated_by",
    )
    # Symbol, texts and themes case-folded (SQLite's LIKE folds Latin letters only): what the
    # search box looks in, in Russian as in English.
    search = models.TextField(default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document__symbol", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "recommending_state", "key"], name="one_recommendation_per_key"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.document.symbol}, para. {self.paragraph}"
            if self.paragraph
            else (self.document.symbol)
        )

    def thread_root(self) -> "Recommendation":
        """The first recommendation of its thread: the one it repeats, and so on back."""
        root, seen = self, {self.pk}
        while root.repeats_id is not None and root.repeats_id not in seen:
            root = root.repeats
            seen.add(root.pk)
        return root

    @property
    def reader_text(self) -> str:
        """The text in the reader's language when there is a translation, else the original."""
        translated = {"en": self.text_en, "ru": self.text_ru}.get(get_language() or "", "")
        return translated or self.text


class Status(models.TextChoices):
    """Implementation, on the common scale or on the treaty bodies' follow-up grades
    (CCPR/C/128/3)."""

    IMPLEMENTED = "implemented", _("implemented")
    PARTIAL = "partial", _("partially implemented")
    NOT_IMPLEMENTED = "not_implemented", _("not implemented")
    WORSE = "worse", _("worse than before")
    A = "A", _("A: largely satisfactory")
    B = "B", _("B: partially satisfactory")
    C = "C", _("C: not satisfactory")
    D = "D", _("D: no cooperation")
    E = "E", _("E: contrary to the recommendation")


class Assessment(models.Model):
    class Assessor(models.TextChoices):
        NGO = "ngo", _("our organisation")
        STATE = "state", _("the state")
        BODY = "body", _("the body that made it")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessor = models.CharField(max_length=10, choices=Assessor.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    date = models.DateField()
    source = models.CharField(max_length=300, blank=True)  # cites a document: clear
    evidence = SealedField()
    public = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]


class PlannedAction(models.Model):
    """What should be done to implement a recommendation (IMPACT OSS's unit of work)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    what = SealedField()
    lead_institution = models.CharField(max_length=200, blank=True)  # a state body: clear
    indicator = SealedField()
    due = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "id"]


class CaseLink(models.Model):
    """One of an organisation's cases as evidence for a recommendation. Who sees the case's
    reference follows who sees the case (cases.selectors.visible_cases)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="case_links"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "case"], name="one_link_per_case")
        ]


class StatisticsLink(models.Model):
    """A count from the organisation's statistics as evidence: its acts of one category
    (``dimension``, ``category``, as stats.queries names them) per year."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="statistics_links"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=40)
    category = models.CharField(max_length=100)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation", "dimension", "category"],
                name="one_statistics_link_per_category",
            )
        ]
