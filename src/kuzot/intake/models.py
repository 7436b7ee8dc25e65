"""Complaints from victims and families, encrypted on arrival to the organisation's recipients.

Each submission has its own random key. That key is sealed to every designated recipient's
public key, to the organisation's key pair and to a key derived from the submitter's receipt;
then the server forgets it. What
the submission says, its files and every message are encrypted under that key. No IP address,
no user agent, and only dates (never times) are stored.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation


class Channel(models.Model):
    """An organisation's public complaint form and who receives what arrives through it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="intake"
    )
    enabled = models.BooleanField(default=True)
    retention_days = models.PositiveSmallIntegerField(
        _("days before an unaccepted complaint is deleted"), default=90
    )
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="intake_channels")

    def __str__(self) -> str:
        return str(self.organisation)


class Submission(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        OPEN = "open", _("in review")
        ACCEPTED = "accepted", _("accepted as a case")
        DUPLICATE = "duplicate", _("added to an existing case")
        REJECTED = "rejected", _("not taken up")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="submissions"
    )
    # Argon2id of the receipt under this submission's own salt and work factors (raising the
    # settings never breaks an earlier receipt); the tag finds the candidates (intake/actions.py).
    receipt_digest = models.CharField(max_length=64, unique=True)
    receipt_tag = models.CharField(max_length=4, blank=True, db_index=True)
    receipt_salt = models.BinaryField(default=b"")
    receipt_kdf = models.JSONField(default=dict)
    submitter_public_key = models.BinaryField()
    submitter_sealed_key = models.BinaryField()
    # The submission key sealed to the organisation's key pair, so that its recipients keep
    # access through a password reset or a recovery (see intake.actions).
    organisation_sealed_key = models.BinaryField(null=True)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    held = models.BooleanField(
        default=False, help_text="arrived past the rate limit: kept, shown apart as possible spam"
    )
    received_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"C-{self.pk}"

    @property
    def kept(self) -> bool:
        """Accepted submissions live in their case; the others expire."""
        return self.status in (self.Status.ACCEPTED, self.Status.DUPLICATE)

    def postpone(self, days: int) -> None:
        self.expires_on = max(
            self.expires_on or timezone.localdate(), timezone.localdate()
        ) + timedelta(days=days)


class RecipientKey(models.Model):
    """The submission's key sealed to one recipient's public key."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed_key = models.BinaryField()
    seen = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="one_key_per_recipient")
        ]


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    stored_as = models.CharField(max_length=80, unique=True)
    meta = models.BinaryField()  # sealed: name, type, size


class Message(models.Model):
    class Author(models.TextChoices):
        SUBMITTER = "submitter", _("the person who complained")
        RECIPIENT = "recipient", _("the organisation")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.BinaryField()
    sent_on = models.DateField(default=timezone.localdate)
    read_by_submitter = models.BooleanField(default=False)
    read_by_recipients = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class SpentToken(models.Model):
    """A complaint form token that was used, refused if it comes again (intake/abuse.py). The
    nonce is random; only the date is kept, never a time."""

    nonce = models.CharField(max_length=32, unique=True)
    day = models.DateField(default=timezone.localdate, db_index=True)


class SourceCount(models.Model):
    """How many complaints one client sent on a day, under that day's keyed digest of its
    address (kuzot/clients.py): never an address, and unlinkable to one once the server stops."""

    source = models.CharField(max_length=64)
    day = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "day"], name="one_count_per_source_and_day")
        ]
