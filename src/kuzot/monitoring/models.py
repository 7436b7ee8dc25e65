"""Monitoring visits to places where people are deprived of liberty.

After OPCAT (art. 4: every such place; art. 20: private interviews without witnesses; art. 15:
no reprisals) and the APT's method: plan, visit, report, follow up. What was said and seen is
free text and sealed under the organisation's data key like a victim's story; only categories
(the place, dates, access, the area and severity of a finding, the rule it breaches) stay in
the clear, for planning and statistics.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.accounts.vault import SealedField
from kuzot.cases.models import Case, PlaceOfDetention, Term


class Visit(models.Model):
    class Access(models.TextChoices):
        GRANTED = "granted", _("full access")
        PARTIAL = "partial", _("partial access")
        REFUSED = "refused", _("access refused")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    place = models.ForeignKey(PlaceOfDetention, on_delete=models.PROTECT, related_name="visits")
    planned_for = models.DateField(_("planned for"))
    announced = models.BooleanField(_("announced to the authority beforehand"), default=False)
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    objectives = SealedField()
    started_on = models.DateField(_("first day"), null=True, blank=True)
    ended_on = models.DateField(_("last day"), null=True, blank=True)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, blank=True)
    access_notes = SealedField()  # where access was refused or delayed, by whom
    registers_checked = SealedField()
    # The visit report's recommendations to the authority are recommendations like any body's
    # (mechanism: the coalition), so that their implementation is followed the same way.
    report = models.OneToOneField(
        "recommendations.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-planned_for", "-pk"]

    def __str__(self) -> str:
        return f"{self.place} — {self.started_on or self.planned_for}"

    @property
    def carried_out(self) -> bool:
        return self.started_on is not None


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("head of the team")
        MONITOR = "monitor", _("monitor")
        DOCTOR = "doctor", _("doctor")
        LAWYER = "lawyer", _("lawyer")
        INTERPRETER = "interpreter", _("interpreter")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="one_seat_per_member")
        ]


class Interview(models.Model):
    class Interviewee(models.TextChoices):
        DETAINEE = "detainee", _("person deprived of liberty")
        STAFF = "staff", _("staff")
        MEDICAL = "medical", _("medical staff")
        RELATIVE = "relative", _("relative or visitor")
        OTHER = "other", _("other")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="interviews")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    interviewee = models.CharField(max_length=10, choices=Interviewee.choices)
    private = models.BooleanField(_("in private, without witnesses (OPCAT art. 20)"), default=True)
    consent_to_record = models.BooleanField(_("consents to notes being kept"), default=False)
    consent_to_transmit = models.BooleanField(
        _("consents to an allegation being taken up as a case"), default=False
    )
    check_on_next_visit = models.BooleanField(
        _("check on this person at the next visit (risk of reprisals)"), default=False
    )
    name = SealedField()
    notes = SealedField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]


class Finding(models.Model):
    """One observation, checked where possible against another source (triangulation)."""

    class Area(models.TextChoices):
        # The Standard Minimum Rules (Mandela Rules) by area, the CPT's police custody
        # standards, and the Bangkok and Beijing Rules.
        REGISTERS = "registers", _("registers and admission (Mandela 6–10)")
        ACCOMMODATION = "accommodation", _("accommodation and overcrowding (Mandela 12–17)")
        HYGIENE = "hygiene", _("hygiene, clothing and bedding (Mandela 18–21)")
        FOOD = "food", _("food and water (Mandela 22)")
        EXERCISE = "exercise", _("exercise and time outdoors (Mandela 23)")
        HEALTH = "health", _("health care (Mandela 24–35)")
        DISCIPLINE = "discipline", _("discipline, restraints, solitary (Mandela 36–53)")
        COMPLAINTS = "complaints", _("information and complaints (Mandela 54–57)")
        CONTACT = "contact", _("contact with the outside world (Mandela 58–63)")
        STAFF = "staff", _("staff and their conduct (Mandela 74–82)")
        SAFEGUARDS = "safeguards", _("safeguards in police custody (CPT)")
        WOMEN = "women", _("women (Bangkok Rules)")
        JUVENILES = "juveniles", _("children (Beijing Rules)")
        TREATMENT = "treatment", _("torture and ill-treatment")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        DETAINEE = "detainee", _("people deprived of liberty")
        STAFF = "staff", _("staff")
        DOCUMENTS = "documents", _("registers and documents")
        OBSERVATION = "observation", _("the team's own observation")

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")
        URGENT = "urgent", _("urgent: life or health at risk")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    area = models.CharField(_("area"), max_length=15, choices=Area.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    rule = models.CharField(_("rule breached"), max_length=100, blank=True)
    description = SealedField()
    root_cause = SealedField()
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    # An allegation of ill-treatment: the acts it names, and the case it became.
    act_types = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "act_type"}
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    odk_instance = models.CharField(max_length=100, blank=True)  # the field submission's uuid
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    @property
    def is_allegation(self) -> bool:
        return self.area == self.Area.TREATMENT
