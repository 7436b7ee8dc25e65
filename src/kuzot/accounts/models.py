"""Coalitions, member organisations, people who work in them, and the keys they hold."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.languages import Labelled


class Coalition(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class Organisation(Labelled):
    class Country(models.TextChoices):
        KYRGYZSTAN = "KG", _("Kyrgyzstan")
        KAZAKHSTAN = "KZ", _("Kazakhstan")
        TAJIKISTAN = "TJ", _("Tajikistan")
        UZBEKISTAN = "UZ", _("Uzbekistan")
        TURKMENISTAN = "TM", _("Turkmenistan")

    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # What other organisations seal to this one (shared cases, complaints): the private half
    # is sealed under the organisation's own data key.
    public_key = models.BinaryField(null=True, editable=False)
    sealed_private_key = models.BinaryField(null=True, editable=False)

    class Meta:
        ordering = ["name"]

    def column_labels(self) -> dict[str, str]:
        """The name as registered is the English one; its other languages are `labels`."""
        return {"en": self.name}


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    LAWYER = "lawyer", _("Lawyer")
    DOCTOR = "doctor", _("Doctor")
    MONITOR = "monitor", _("Monitor")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("System administrator")


# Roles whose work needs names, contacts and narratives. Analysts see statistics only;
# the system administrator manages organisations and reads no case.
IDENTITY_ROLES = frozenset({Role.COORDINATOR, Role.LAWYER, Role.DOCTOR, Role.MONITOR})


class User(AbstractUser):
    """A person who works in a member organisation (or the system administrator).

    Staff are known by a username only: a seized server should not list who works for whom.
    """

    first_name = None
    last_name = None
    email = None
    REQUIRED_FIELDS: list[str] = []

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    # The user's X25519 key pair; the private half only wrapped by a key derived from the password.
    public_key = models.BinaryField(null=True, editable=False)
    wrapped_private_key = models.BinaryField(null=True, editable=False)
    kdf_salt = models.BinaryField(null=True, editable=False)
    kdf_params = models.JSONField(default=dict, editable=False)

    # The second factor's secret, sealed under the user's private key (vault.seal_totp_secret).
    sealed_totp_secret = models.BinaryField(null=True, editable=False)
    # A secret enrolled before secrets were sealed: sealed, and blanked, at the next login.
    legacy_totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_confirmed = models.BooleanField(default=False)
    totp_exempt = models.BooleanField(
        default=False, help_text="Demo accounts only: the demo banner says so."
    )
    last_totp_step = models.BigIntegerField(default=0, editable=False)

    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]

    @property
    def sees_identities(self) -> bool:
        return self.role in IDENTITY_ROLES and self.organisation_id is not None

    @property
    def requires_totp(self) -> bool:
        return not (self.totp_exempt and settings.DEMO)

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.ADMIN


class OrganisationKey(models.Model):
    """A version of an organisation's data key, stored only wrapped by its recovery key."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="keys")
    version = models.PositiveIntegerField()
    recovery_wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_key_per_version")
        ]


class KeyGrant(models.Model):
    """An organisation's data key sealed to one user's public key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="key_grants")
    key = models.ForeignKey(OrganisationKey, on_delete=models.CASCADE, related_name="grants")
    sealed = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_grant_per_key")]


class Invitation(models.Model):
    """An invitation to join an organisation, used once; only the digest of the link's token
    is stored.

    A coordinator's invitation for a role that sees identities carries the data key, wrapped
    under a key derived from the token. The first coordinator's invitation (made by the system
    administrator) carries no key: accepting it creates the organisation's keys.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    key = models.ForeignKey(OrganisationKey, null=True, on_delete=models.CASCADE)
    wrapped_key = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def founds_organisation(self) -> bool:
        """The first coordinator's invitation: accepting it creates the organisation's keys."""
        return self.role == Role.COORDINATOR and self.key_id is None

class LoginBackoff(models.Model):
    """Failed logins of one account name or one source on one day, under that day's keyed
    digest (kuzot/clients.py): never a name as typed, never an address (accounts/backoff.py)."""

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        SOURCE = "source"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    key = models.CharField(max_length=64)
    day = models.DateField()
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "day"], name="one_backoff_per_day")
        ]
