"""Published statistics: dated, immutable snapshots of protected tables."""

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
