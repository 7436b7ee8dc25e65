"""Releasing statistics: protect against everything released before, freeze, add to the ledger,
audit.

Every release of a coalition is checked and recorded under a lock on the coalition, so that two
coordinators publishing at once are checked one after the other."""

from datetime import date

from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from kuzot.accounts.models import Coalition, Organisation, Role, User
from kuzot.audit.log import Action, record
from kuzot.stats.ledger import Ledger, ReleaseRefused
from kuzot.stats.models import Publication, Release
from kuzot.stats.publishing import STANDARD, draft_statistics, shown
from kuzot.stats.queries import Scope

__all__ = ["ReleaseRefused", "preview", "publish", "refresh_coalition_view", "statistics_scope"]


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


def _prepare(
    actor: User,
    ledger: Ledger,
    *,
    coalition_wide: bool,
    year_from: int,
    year_to: int,
    tables: list[str],
    threshold: int,
    rounding_base: int | None,
    sensitive: list[str],
):
    scope = statistics_scope(
        actor, coalition_wide=coalition_wide, year_from=year_from, year_to=year_to
    )
    draft = draft_statistics(ledger, list(scope.organisations), year_from, year_to, tables)
    protection = ledger.protect(
        draft.entries, threshold=threshold, rounding_base=rounding_base, sensitive=sensitive
    )
    return draft, protection, shown(draft, protection, scope, threshold, rounding_base)


def preview(
    actor: User,
    *,
    coalition_wide: bool,
    year_from: int,
    year_to: int,
    tables: list[str],
    threshold: int = 5,
    rounding_base: int | None = None,
    sensitive: list[str] = (),
) -> dict:
    """The content exactly as it would be published now (raises ReleaseRefused)."""
    ledger = Ledger(actor.organisation.coalition_id)
    return _prepare(
        actor,
        ledger,
        coalition_wide=coalition_wide,
        year_from=year_from,
        year_to=year_to,
        tables=tables,
        threshold=threshold,
        rounding_base=rounding_base,
        sensitive=list(sensitive),
    )[2]


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
    sensitive: list[str] = (),
) -> Publication:
    """Check the publication against the ledger, freeze it, add it to the ledger, audit it."""
    if not actor.is_coordinator:
        raise PermissionError("coordinators publish statistics")
    coalition_id = actor.organisation.coalition_id
    with transaction.atomic():
        Coalition.objects.select_for_update().get(pk=coalition_id)
        ledger = Ledger(coalition_id)
        options = {
            "year_from": year_from,
            "year_to": year_to,
            "threshold": threshold,
            "rounding_base": rounding_base,
            "sensitive": list(sensitive),
        }
        draft, protection, content = _prepare(
            actor, ledger, coalition_wide=coalition_wide, tables=tables, **options
        )
        organisation = None if coalition_wide else actor.organisation
        publication = Publication.objects.create(
            slug=f"{slugify(title)[:60] or 'statistics'}-{get_random_string(6).lower()}",
            coalition_id=coalition_id,
            organisation=organisation,
            title=title,
            year_from=year_from,
            year_to=year_to,
            threshold=threshold,
            rounding_base=rounding_base,
            content=content,
            published_by=actor,
        )
        ledger.record(
            Release.Kind.PUBLICATION,
            draft.entries,
            protection,
            organisation=organisation,
            actor=actor,
            publication=publication,
            **options,
        )
        record(
            actor,
            Action.EXPORT,
            publication,
            organisation=actor.organisation,
            detail={"published": publication.slug},
        )
    return publication


COALITION_VIEW_THRESHOLD = 5
COALITION_VIEW_FIRST_YEAR = 2010


def refresh_coalition_view(actor: User) -> Release:
    """The coalition's combined numbers for its members, as a release of the ledger: every
    standard table and the funnel over all years, protected against everything released and
    against each member knowing its own numbers; shown until the next refresh."""
    if actor.role not in (Role.COORDINATOR, Role.ANALYST):
        raise PermissionError("coordinators and analysts see the coalition's numbers")
    coalition_id = actor.organisation.coalition_id
    year_to = date.today().year
    with transaction.atomic():
        Coalition.objects.select_for_update().get(pk=coalition_id)
        ledger = Ledger(coalition_id)
        draft, protection, content = _prepare(
            actor,
            ledger,
            coalition_wide=True,
            year_from=COALITION_VIEW_FIRST_YEAR,
            year_to=year_to,
            tables=[c.key for c in STANDARD],
            threshold=COALITION_VIEW_THRESHOLD,
            rounding_base=None,
            sensitive=[],
        )
        release = ledger.record(
            Release.Kind.COALITION_VIEW,
            draft.entries,
            protection,
            organisation=None,
            actor=actor,
            year_from=COALITION_VIEW_FIRST_YEAR,
            year_to=year_to,
            threshold=COALITION_VIEW_THRESHOLD,
            content=content,
        )
        record(actor, Action.EXPORT, release, detail={"coalition_view": release.pk})
    return release
