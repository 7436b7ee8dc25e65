from django import template

from kuzot.recommendations.models import Status

register = template.Library()


@register.filter
def status_label(code: str | None) -> str:
    """A status code (as annotated by the selectors) in the reader's language."""
    return str(Status(code).label) if code in Status.values else ""
