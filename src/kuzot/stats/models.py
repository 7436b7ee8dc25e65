"""Published statistics: dated, immutable snapshots of protected tables, and the ledger of
everything released about the coalition's cases (``stats.ledger``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Coalition, Organisation


class Publication(models.Model):
    """What the public sees: tables already through disclosure control, frozen when published."""

    slug = models.SlugField(max_length=80, unique=True)
    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="empty: the coalition's combined statistics",
    )
    title = models.CharField(_("title"), max_length=200)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    threshold = models.PositiveSmallIntegerField(_("smallest number shown"), default=5)
    rounding_base = models.PositiveSmallIntegerField(_("round to"), null=True, blank=True)
    content = models.JSONField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("a publication is immutable: publish a new one instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("a publication is immutable")


class Snapshot(models.Model):
    """What statistics counted of one organisation's year when it was released (a revision):
    categorical counts only, kept so that later releases can be checked against it.

    ``counts`` is {space: [[category, ..., count], ...]} (``stats.ledger.SPACES``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    revision = models.PositiveSmallIntegerField()
    counts = models.JSONField()
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "year", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "revision"], name="one_snapshot_per_revision"
            )
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("a snapshot is immutable: a change is a new revision")
        super().save(*args, **kwargs)


class Release(models.Model):
    """One entry of the ledger: numbers that left the organisations together — a publication,
    an annual report, the coalition view shown to members. Internal: it keeps why each number
    was withheld, which is never published.

    ``cells`` is [[space, [[variable, category], ...], [[organisation, year, revision], ...],
    value or null, reason or null], ...]."""

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("publication")
        REPORT = "report", _("annual report")
        COALITION_VIEW = "coalition_view", _("coalition view")

    coalition = models.ForeignKey(Coalition, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="empty: the coalition's combined numbers",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    publication = models.OneToOneField(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="release"
    )
    year_from = models.PositiveSmallIntegerField()
    year_to = models.PositiveSmallIntegerField()
    threshold = models.PositiveSmallIntegerField()
    rounding_base = models.PositiveSmallIntegerField(null=True, blank=True)
    sensitive = models.JSONField(default=list)
    cells = models.JSONField()
    content = models.JSONField(default=dict)  # what was shown (reports, the coalition view)
    exposed_before = models.JSONField(default=list)  # given away by earlier releases already
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["released_at", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("the ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("the ledger is append-only")


class LinkageContribution(models.Model):
    """One organisation's records, consented for matching across organisations, sealed to the
    organisation that runs the coalition's hidden-figure analysis."""

    contributor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    records = models.PositiveIntegerField()
    sealed = models.BinaryField()
    contributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contributor", "recipient"], name="one_contribution")
        ]


class LinkageRun(models.Model):
    """A linkage and estimation run: clusters by record reference, never by name."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_at = models.DateTimeField(default=timezone.now)
    clusters = models.JSONField(default=list)  # [[source, record_id, cluster_id], ...]
    uncertain = models.JSONField(default=list)  # [[source, id, source, id, probability], ...]
    estimates = models.JSONField(default=list)  # per stratum, as the estimate CLI prints

    class Meta:
        ordering = ["-run_at", "-id"]


class ReviewDecision(models.Model):
    """A reviewer's word on a pair: the same person or not. Later runs respect it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    left = models.CharField(max_length=80)  # "source:record_id"
    right = models.CharField(max_length=80)
    same = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "left", "right"], name="one_decision")
        ]
