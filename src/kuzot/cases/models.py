"""People and cases an organisation documents. Identities are sealed; categories stay in clear."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation
from kuzot.accounts.vault import SealedField


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    OTHER = "X", _("other")
    UNKNOWN = "", _("unknown")


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
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

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
