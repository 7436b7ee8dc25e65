"""Publishing statistics: protect, check against what was published before, freeze, audit."""

from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from kuzot.accounts.models import Organisation, User
from kuzot.analysis.disclosure import audit
from kuzot.audit.log import Action, record
from kuzot.stats.models import Publication
from kuzot.stats.publishing import build_snapshot, published_tables
from kuzot.stats.queries import Scope


class PublicationWouldDisclose(Exception):
    """Together with an earlier publication, a withheld number could be worked out."""


def statistics_scope(
    user: User, *, coalition_wide: bool, year_from: int | None = None, year_to: int | None = None
) -> Scope:
    """The user's organisation, or every member of its coalition (categories only)."""
    if coalition_wide:
        members = Organisation.objects.filter(coalition_id=user.organisation.coalition_id)
        organisations = tuple(members.values_list("pk", flat=True))
    else:
        organisations = (user.organisation_id,)
    return Scope(organisations, year_from, year_to)


def preview(
    actor: User,
    *,
    coalition_wide: bool,
    year_from: int,
    year_to: int,
    tables: list[str],
    threshold: int = 5,
    rounding_base: int | None = None,
) -> dict:
    """The content exactly as it would be published."""
    scope = statistics_scope(
        actor, coalition_wide=coalition_wide, year_from=year_from, year_to=year_to
    )
    fixed = (
        {"year": str(year_from)} if year_from == year_to else {"period": f"{year_from}-{year_to}"}
    )
    return build_snapshot(scope, tables, threshold, rounding_base, fixed)


def publish(
    actor: User,
    *,
    title: str,
    coalition_wide: bool,
    year_from: int,
    year_to: int,
    tables: list[str],
    threshold: int = 5,
    rounding_base: int | None = None,
) -> Publication:
    if not actor.is_coordinator:
        raise PermissionError("coordinators publish statistics")
    content = preview(
        actor,
        coalition_wide=coalition_wide,
        year_from=year_from,
        year_to=year_to,
        tables=tables,
        threshold=threshold,
        rounding_base=rounding_base,
    )
    organisation = None if coalition_wide else actor.organisation
    earlier = Publication.objects.filter(
        coalition_id=actor.organisation.coalition_id, organisation=organisation
    )
    _check_against(earlier, content)
    with transaction.atomic():
        publication = Publication.objects.create(
            slug=f"{slugify(title)[:60] or 'statistics'}-{get_random_string(6).lower()}",
            coalition_id=actor.organisation.coalition_id,
            organisation=organisation,
            title=title,
            year_from=year_from,
            year_to=year_to,
            threshold=threshold,
            rounding_base=rounding_base,
            content=content,
            published_by=actor,
        )
        record(
            actor,
            Action.EXPORT,
            publication,
            organisation=actor.organisation,
            detail={"published": publication.slug},
        )
    return publication


def _check_against(earlier, content: dict) -> None:
    """Run the attacker's audit over this and every earlier publication of the same scope."""
    tables = published_tables(content)
    for publication in earlier:
        tables += published_tables(publication.content)
    try:
        exposed = [c for c in audit(tables) if c.recoverable]
    except ValueError:
        return  # the same cells were published before with other numbers: a revision
    if exposed:
        raise PublicationWouldDisclose(exposed[0].table)
