"""Who did what to whom, and what followed: after HURIDOCS' Events Standard Formats.

Identities, narratives and every free text are sealed (``SealedField``); categories stay in
clear for statistics (docs/security.md lists each clear field and why).
"""

import datetime
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.accounts.vault import SealedField
from kuzot.languages import Labelled


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    OTHER = "X", _("other")
    UNKNOWN = "", _("unknown")


class Term(Labelled):
    """A term of a controlled vocabulary, shipped (organisation empty) or added by a coordinator."""

    class Vocabulary(models.TextChoices):
        ACT_TYPE = "act_type", _("act type")
        AGENCY = "agency", _("alleged perpetrator agency")
        PURPOSE = "purpose", _("apparent purpose")
        CONTEXT = "context", _("context")
        SOURCE = "source", _("source of information")
        PLACE_TYPE = "place_type", _("type of place of detention")
        REGION = "region", _("region")
        COMPLAINT_BODY = "complaint_body", _("body complained to")

    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(max_length=60)
    label_en = models.CharField(max_length=200)
    label_ru = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, help_text="regions only")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code", "organisation"], name="one_code_per_vocabulary"
            )
        ]

    def column_labels(self) -> dict[str, str]:
        return {"en": self.label_en, "ru": self.label_ru}

    @property
    def label(self) -> str:
        return str(self)


class PlaceOfDetention(Labelled):
    """A police station, temporary detention facility, SIZO, colony, psychiatric hospital …"""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE)
    country = models.CharField(max_length=2)
    region = models.ForeignKey(
        Term,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.REGION},
    )
    kind = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.PLACE_TYPE},
    )
    name_en = models.CharField(_("name in English"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300)
    # Which agency runs it (the vocabulary of alleged perpetrator agencies).
    authority = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.AGENCY},
        verbose_name=_("authority"),
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["country", "name_en"]

    def column_labels(self) -> dict[str, str]:
        return {"en": self.name_en, "ru": self.name_ru}


class Person(models.Model):
    """A victim or survivor, relative, witness or lawyer, as one organisation knows them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    # Sealed: readable only with the organisation's data key.
    full_name = SealedField()
    contact = SealedField()
    address = SealedField()
    birth_date = SealedField()
    id_number = SealedField()
    # In clear, for statistics.
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    minor = models.BooleanField(_("minor"), default=False)
    disability = models.BooleanField(_("person with disability"), default=False)
    lgbti = models.BooleanField(_("LGBTI"), default=False)
    migrant = models.BooleanField(_("migrant"), default=False)
    defender = models.BooleanField(_("human rights defender or journalist"), default=False)
    ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    VULNERABLE_GROUPS = ("minor", "disability", "lgbti", "migrant", "defender", "ethnic_minority")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"P-{self.pk}"


class NameToken(models.Model):
    """Blind index: a keyed digest of one normalised name token of a person."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["organisation", "digest"])]


class Stage(models.TextChoices):
    """How far a case has come, derived from its legal path (``cases.stages``)."""

    DOCUMENTED = "documented", _("documented")
    COMPLAINT_LODGED = "complaint_lodged", _("complaint lodged")
    COMPLAINT_REFUSED = "complaint_refused", _("complaint refused")
    PRELIMINARY_CHECK = "preliminary_check", _("preliminary check")
    CRIMINAL_CASE = "criminal_case", _("criminal case opened")
    CRIMINAL_CASE_REFUSED = "criminal_case_refused", _("criminal case refused")
    INVESTIGATION_STOPPED = "investigation_stopped", _("investigation suspended or closed")
    IN_COURT = "in_court", _("in court")
    CONVICTION = "conviction", _("conviction")
    ACQUITTAL = "acquittal", _("acquittal")
    COMPENSATION_AWARDED = "compensation_awarded", _("compensation awarded")
    COMPENSATION_PAID = "compensation_paid", _("compensation paid")


class Case(models.Model):
    """An organisation's file on what happened to one or more people."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MONITORING = "monitoring", _("monitoring")
        CLOSED_REDRESS = "closed_redress", _("closed: redress obtained")
        CLOSED = "closed", _("closed: no further action")
        WITHDRAWN = "withdrawn", _("withdrawn by the client")

    class Confidentiality(models.TextChoices):
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high")
        STRICT = "strict", _("strict: assigned lawyer and coordinator only")

    class Risk(models.TextChoices):
        UNKNOWN = "", _("not assessed")
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=40)
    intake_date = models.DateField(_("intake date"))
    source = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source of information"),
    )
    assigned_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assigned lawyer"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    stage = models.CharField(
        _("stage"), max_length=30, choices=Stage.choices, default=Stage.DOCUMENTED, editable=False
    )
    stage_rank = models.PositiveSmallIntegerField(default=0, editable=False)  # Stage's order
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
    )
    reprisal_risk = models.CharField(
        _("risk of reprisal"), max_length=10, choices=Risk.choices, blank=True
    )
    summary = SealedField()
    # The first date the case reached each step of the legal path: derived from the legal
    # events (``cases.stages``), kept here so that statistics are one query.
    complaint_on = models.DateField(null=True, editable=False)
    registered_on = models.DateField(null=True, editable=False)
    criminal_case_on = models.DateField(null=True, editable=False)
    court_on = models.DateField(null=True, editable=False)
    conviction_on = models.DateField(null=True, editable=False)
    torture_conviction_on = models.DateField(null=True, editable=False)
    compensation_awarded_on = models.DateField(null=True, editable=False)
    compensation_paid_on = models.DateField(null=True, editable=False)
    # A case from a spreadsheet: its row's fingerprint (a SHA-256 of its reference, or of its
    # whole content, name included) is kept only sealed; the clear import key, which finds a
    # row imported again, is its keyed digest (actions.import_key), renewed at each rotation.
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    import_fingerprint = SealedField()
    # The case's number in the register it was imported from (a court or NGO file number may
    # identify): sealed; the case itself is numbered by Kuzot (``reference``).
    external_reference = SealedField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-intake_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="one_reference"),
            models.UniqueConstraint(
                fields=["organisation", "import_key"],
                name="one_import_key",
                condition=~models.Q(import_key=""),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "intake_date"]),
            models.Index(fields=["organisation", "stage"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "stage_rank", "-intake_date", "-id"]),
            # Covers what visible_cases asks of every case: counting a list reads no row.
            models.Index(fields=["organisation", "confidentiality", "assigned_lawyer"]),
        ]

    def __str__(self) -> str:
        return self.reference

    # Django's own get_FOO_display hashes, and so translates, every choice on each call: a
    # page of fifty cases spent a tenth of its time there, an export of thousands seconds.
    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class CaseParty(models.Model):
    class Role(models.TextChoices):
        VICTIM = "victim", _("victim or survivor")
        RELATIVE = "relative", _("relative")
        WITNESS = "witness", _("witness")
        LAWYER = "lawyer", _("lawyer")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VICTIM)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="one_party_role")
        ]


class Consent(models.Model):
    """What the person agreed to, scope by scope; the newest record of a scope is in force."""

    class Scope(models.TextChoices):
        DOCUMENTATION = "documentation", _("documentation of the case")
        STATISTICS = "statistics", _("anonymised statistics")
        PUBLICATION = "publication", _("publishing the story")
        UN_BODIES = "un_bodies", _("sharing with UN bodies")
        SHARING = "sharing", _("sharing with another member organisation")
        PHONE = "phone", _("contact by phone")
        LINKAGE = "linkage", _("matching records across organisations")

    class Manner(models.TextChoices):
        WRITTEN = "written", _("in writing")
        ORAL = "oral", _("orally, witnessed")
        RECORDED = "recorded", _("audio or video recording")
        ONLINE = "online", _("through the online form")
        REPRESENTATIVE = "representative", _("by a relative or legal representative")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    given = models.BooleanField()
    date = models.DateField()
    manner = models.CharField(max_length=20, choices=Manner.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]


class Allegation(models.Model):
    """One alleged act (or a series of acts of one kind of episode) against one person."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    # Indexed with the organisation (Meta), not alone.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="allegations", db_index=False
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="allegations"
    )
    # What statistics count acts by, copied from the victim when the act is recorded
    # (victim_copies): tables never join the people (two to three times faster on 1M acts).
    # No action edits these fields of a person; one that does must refresh the copies.
    victim_sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, editable=False)
    victim_age = models.SmallIntegerField(null=True, blank=True, editable=False)  # in that year
    victim_minor = models.BooleanField(default=False, editable=False)
    victim_disability = models.BooleanField(default=False, editable=False)
    victim_lgbti = models.BooleanField(default=False, editable=False)
    victim_migrant = models.BooleanField(default=False, editable=False)
    victim_defender = models.BooleanField(default=False, editable=False)
    victim_ethnic_minority = models.BooleanField(default=False, editable=False)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    region = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    district = SealedField()  # free text: a village or a street narrows to a person
    place_of_detention = models.ForeignKey(
        PlaceOfDetention,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations",
        verbose_name=_("place of detention"),
    )
    act_types = models.ManyToManyField(Term, related_name="+", verbose_name=_("act types"))
    agency = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("alleged perpetrator agency"),
    )
    unit = SealedField()  # free text: often an officer's name
    purpose = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("apparent purpose"),
    )
    context = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("context"),
    )
    description = SealedField()
    perpetrators = SealedField()

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            # The case list's filters: the cases with an act of this agency or in this region.
            models.Index(fields=["organisation", "agency", "case"]),
            models.Index(fields=["organisation", "region", "case"]),
            # A case's acts; and which cases have acts in the statistics' organisations, read
            # from the index alone (the funnel's semi-join, 0.87 -> 0.78 s on 1M acts).
            models.Index(fields=["case", "organisation"]),
        ]

    @staticmethod
    def victim_copies(victim: "Person | dict | None", act_date: datetime.date) -> dict:
        """What an act keeps of its victim, from a Person or register_person's arguments:
        every writer of acts stores these with it."""
        if victim is None:
            return {}
        value = victim.get if isinstance(victim, dict) else partial(getattr, victim)
        birth_year = value("birth_year", None)
        return {
            "victim_sex": value("sex", "") or "",
            "victim_age": act_date.year - birth_year if birth_year else None,
            **{f"victim_{group}": bool(value(group, False)) for group in Person.VULNERABLE_GROUPS},
        }


class LegalEvent(models.Model):
    """A dated step of the legal path; the case's stage is derived from these."""

    class Kind(models.TextChoices):
        COMPLAINT_LODGED = "complaint_lodged", _("complaint lodged")
        COMPLAINT_REGISTERED = "complaint_registered", _("complaint registered")
        COMPLAINT_REFUSED = "complaint_refused", _("complaint refused registration")
        PRELIMINARY_CHECK = "preliminary_check", _("preliminary check")
        CRIMINAL_CASE_OPENED = "criminal_case_opened", _("criminal case opened")
        CRIMINAL_CASE_REFUSED = "criminal_case_refused", _("criminal case refused")
        INVESTIGATION_SUSPENDED = "investigation_suspended", _("investigation suspended")
        INVESTIGATION_CLOSED = "investigation_closed", _("investigation closed")
        INDICTMENT = "indictment", _("indictment sent to court")
        HEARING = "hearing", _("court hearing")
        CONVICTION_TORTURE = "conviction_torture", _("conviction under the torture article")
        CONVICTION_LESSER = "conviction_lesser", _("conviction requalified to a lesser article")
        ACQUITTAL = "acquittal", _("acquittal")
        SENTENCE = "sentence", _("sentence")
        APPEAL = "appeal", _("appeal")
        AMNESTY = "amnesty", _("amnesty applied")
        CIVIL_CLAIM = "civil_claim", _("civil claim")
        COMPENSATION_AWARDED = "compensation_awarded", _("compensation awarded")
        COMPENSATION_PAID = "compensation_paid", _("compensation paid")
        REHABILITATION = "rehabilitation", _("rehabilitation")
        UN_COMMUNICATION = "un_communication", _("communication to a UN body")
        UN_VIEWS = "un_views", _("UN body adopted views")
        UN_FOLLOW_UP = "un_follow_up", _("follow-up to UN views")
        REPRISAL_THREAT = "reprisal_threat", _("reprisal: threats")
        REPRISAL_COUNTER_CHARGE = "reprisal_counter_charge", _("reprisal: counter-charges")
        REPRISAL_PRESSURE = "reprisal_pressure", _("reprisal: pressure to withdraw")
        DEADLINE = "deadline", _("deadline")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        GRANTED = "granted", _("granted")
        DISMISSED = "dismissed", _("dismissed")
        PENDING = "pending", _("pending")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_events")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("date"))
    body = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to whom / which body"),
    )
    article = SealedField()  # free text
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    sentence = SealedField()  # free text: who got what
    next_date = models.DateField(_("next hearing or deadline"), null=True, blank=True)
    notes = SealedField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["organisation", "kind", "date"]),
            models.Index(fields=["organisation", "next_date"]),
        ]


class MedicalEvaluation(models.Model):
    """A medico-legal evaluation under the Istanbul Protocol (2022)."""

    class Consistency(models.TextChoices):
        NOT_CONSISTENT = "not_consistent", _("not consistent with")
        CONSISTENT = "consistent", _("consistent with")
        HIGHLY_CONSISTENT = "highly_consistent", _("highly consistent with")
        TYPICAL = "typical", _("typical of")
        DIAGNOSTIC = "diagnostic", _("diagnostic of")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="medical_evaluations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(_("date of examination"))
    overall = models.CharField(_("overall conclusion"), max_length=20, choices=Consistency.choices)
    physical_findings = SealedField()
    psychological_findings = SealedField()
    conclusion = SealedField()


class ConsistencyFinding(models.Model):
    evaluation = models.ForeignKey(
        MedicalEvaluation, on_delete=models.CASCADE, related_name="findings"
    )
    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=20, choices=MedicalEvaluation.Consistency.choices)


class CaseShare(models.Model):
    """A case shared with another member organisation: a snapshot sealed to its public key."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cases_shared_with"
    )
    snapshot = models.BinaryField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)


class EvidenceFile(models.Model):
    """A file of a case: stored encrypted under a random name, with its SHA-256 for integrity.

    Images also get a copy with metadata (EXIF, GPS) stripped for sharing; the original is kept.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    filename = SealedField()
    description = SealedField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=80, unique=True)
    stripped_as = models.CharField(max_length=80, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)


class CustodyEntry(models.Model):
    """Chain of custody: every handling of an evidence file."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        VIEWED = "viewed", _("viewed")
        DOWNLOADED = "downloaded", _("downloaded original")
        DOWNLOADED_STRIPPED = "downloaded_stripped", _("downloaded copy without metadata")
        SHARED = "shared", _("shared")
        VERIFIED = "verified", _("integrity verified")

    evidence = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE, related_name="custody")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]


class PendingImport(models.Model):
    """A spreadsheet being imported (``cases.imports``): the file, the column mapping and the
    rejected rows are identifying, so they are kept sealed with the organisation's key and
    deleted after ``IMPORT_KEEP_DAYS`` days or when the user dismisses them."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        MAPPED = "mapped", _("columns mapped")
        IMPORTED = "imported", _("imported")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = SealedField()
    file = SealedField()
    mapping = SealedField()
    rejected = SealedField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class UnsealedValue(models.Model):
    """A value entered before its field was sealed, waiting for the organisation's key.

    A migration holds no key: when a clear column becomes sealed, the migration moves each
    value here, still in the clear, and ``cases.legacy.seal_pending`` seals it into its field
    at the first chance (the next login of a member holding the key, ``kuzot seal_pending``,
    or a key rotation) and deletes it here. Nothing is dropped on the way."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=100)  # the model's label, lower case: "cases.allegation"
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=60)
    value = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "id"])]


class SavedFilter(models.Model):
    """A user's own named view of the case list: its filters (categories, in the clear) and
    its search text (which may hold a name: sealed). Nobody else sees it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=80)
    params = models.JSONField(default=dict)  # the filter form's fields but the search text
    search = SealedField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]


class Revision(models.Model):
    """A record as it was before a user corrected it, deleted it or merged it into another:
    who changed it and when, and its earlier values, so that the case page can say so, an
    authorised user can read them, and a deletion can be undone (``cases.corrections``).

    Earlier values of clear fields are in ``clear`` (ids for terms, places and people, lists of
    ids for act types); those of sealed fields are ``RevisionValue`` rows holding the
    ciphertext as it was, still bound to its own field's purpose."""

    class Change(models.TextChoices):
        UPDATED = "updated", _("corrected")
        DELETED = "deleted", _("deleted")
        MERGED = "merged", _("merged into another record")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    object_type = models.CharField(max_length=60)  # "cases.allegation"
    object_id = models.PositiveBigIntegerField()
    change = models.CharField(max_length=10, choices=Change.choices)
    fields = models.JSONField(default=list)  # the fields the change touched
    clear = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    restored_at = models.DateTimeField(null=True, blank=True)  # a deletion undone

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]


class RevisionValue(models.Model):
    """The earlier value of one sealed field: its ciphertext copied as it was, so it is
    sealed under the same key and bound to the same purpose as the field it came from
    (``purpose``, which a key rotation seals it again under)."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="sealed")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=60)
    purpose = models.CharField(max_length=120)  # sealed_context of the field it came from
    value = SealedField()

    def sealed_purpose(self, name: str) -> str:
        """What the key rotation opens and seals ``value`` under: its own field's purpose."""
        return self.purpose
