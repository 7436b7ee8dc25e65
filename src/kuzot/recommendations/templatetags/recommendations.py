from django import template
from django.utils.translation import gettext

from kuzot.recommendations.models import Status

register = template.Library()


@register.filter
def status_label(code: str | None) -> str:
    """A status code (as annotated by the selectors) in the reader's language."""
    return str(Status(code).label) if code in Status.values else ""


@register.filter
def status_counts(statuses: dict) -> str:
    """ "3 not implemented, 1 implemented, 2 not assessed": a matrix cell, most first."""
    parts = sorted(statuses.items(), key=lambda item: -item[1])
    return ", ".join(
        f"{n} {status_label(code) if code else gettext('not assessed')}" for code, n in parts
    )
