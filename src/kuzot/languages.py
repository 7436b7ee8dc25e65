"""Data in every language: the labels of terms, places and organisation names.

The interface's own words are in the gettext catalogues (`locale/<language>/LC_MESSAGES/
django.po`). Words that are data — a vocabulary term, a region, a place of detention, an
organisation's name — are rows, so each such row keeps its English and Russian label in columns
(both required, both used to match imported spellings) and its label in every other language in
`labels`: ``{"ky": {"text": "…", "status": "translated"}}``. A page shows the label in its own
language and falls back to Russian, then English, only where that label is missing; the
translation screen and `kuzot translations export` show coordinators what is missing or only
suggested.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

FALLBACK = ("ru", "en")


class Status(models.TextChoices):
    TRANSLATED = "translated", _("translated")
    SUGGESTED = "suggested", _("suggested, to be checked")
    MISSING = "missing", _("missing")


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Labelled(models.Model):
    """A row whose label is data: English and Russian in columns, other languages in `labels`."""

    labels = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label_in(translation.get_language())

    def column_labels(self) -> dict[str, str]:
        """The labels kept in columns, by language (English and Russian)."""
        raise NotImplementedError

    def label_in(self, language: str | None) -> str:
        columns = self.column_labels()
        for code in (language, *FALLBACK):
            text = columns.get(code) or (self.labels.get(code) or {}).get("text")
            if text:
                return text
        return ""

    def label_status(self, language: str) -> str:
        if self.column_labels().get(language):
            return Status.TRANSLATED
        entry = self.labels.get(language) or {}
        return entry.get("status", Status.TRANSLATED) if entry.get("text") else Status.MISSING

    def set_label(self, language: str, text: str, status: str) -> None:
        """Change one label in memory; the caller (an action) saves and audits."""
        if language in self.column_labels():
            raise ValueError(f"{language} is kept in a column")
        text = text.strip()
        if text:
            self.labels = {**self.labels, language: {"text": text, "status": status}}
        else:
            self.labels = {k: v for k, v in self.labels.items() if k != language}
