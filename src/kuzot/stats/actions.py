"""Releasing statistics: counted, protected against everything released before and serialised
by ``pipeline.tabulate``, then frozen, added to the ledger and audited (each through
``ledger.release_checked``: a release recorded while another was being checked is checked
again)."""

from collections.abc import Sequence
from datetime import date

from django.db.models import Min
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from kuzot.accounts.models import Organisation, Role, User
from kuzot.audit.log import Action, record
from kuzot.cases.models import Allegation, Case
from kuzot.stats.ledger import Ledger, ReleaseRefused, release_checked
from kuzot.stats.models import Publication, Release
from kuzot.stats.pipeline import Numbers, Protect, Wanted, tabulate
from kuzot.stats.publishing import CHOICES, STANDARD
from kuzot.stats.queries import Scope

__all__ = [
    "ReleaseRefused",
    "preview",
    "publish",
    "refresh_coalition_view",
    "own_numbers",
    "release_numbers",
    "statistics_scope",
]


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


def own_numbers(
    actor: User,
    dims: Sequence[str | None],
    *,
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict:
    """The organisation's own numbers for its own staff (the statistics screen): one table by
    one or two dimensions and the funnel, counted exactly, nothing withheld."""
    scope = statistics_scope(actor, coalition_wide=False, year_from=year_from, year_to=year_to)
    return tabulate(scope, [Wanted("explore", tuple(d for d in dims if d))]).content


def _standard(keys: Sequence[str]) -> list[Wanted]:
    return [CHOICES[k].wanted for k in keys if k in CHOICES]


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
) -> Numbers:
    scope = statistics_scope(
        actor, coalition_wide=coalition_wide, year_from=year_from, year_to=year_to
    )
    protect = Protect(ledger, threshold, rounding_base, tuple(sensitive))
    return tabulate(scope, _standard(tables), protect=protect)


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
    ).content


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
    organisation = None if coalition_wide else actor.organisation
    options = {
        "year_from": year_from,
        "year_to": year_to,
        "threshold": threshold,
        "rounding_base": rounding_base,
        "sensitive": list(sensitive),
    }

    def prepare(ledger: Ledger):
        return _prepare(actor, ledger, coalition_wide=coalition_wide, tables=tables, **options)

    def keep(ledger: Ledger, numbers: Numbers) -> Publication:
        publication = Publication.objects.create(
            slug=f"{slugify(title)[:60] or 'statistics'}-{get_random_string(6).lower()}",
            coalition_id=coalition_id,
            organisation=organisation,
            title=title,
            year_from=year_from,
            year_to=year_to,
            threshold=threshold,
            rounding_base=rounding_base,
            content=numbers.content,
            published_by=actor,
        )
        ledger.record(
            Release.Kind.PUBLICATION,
            numbers.entries,
            numbers.protection,
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

    return release_checked(coalition_id, prepare, keep)


def release_numbers(
    actor: User | None,
    kind: str,
    *,
    coalition_id: int,
    organisation: Organisation | None,
    scope: Scope,
    threshold: int,
    wanted: Sequence[Wanted],
    detail: dict,
) -> Release:
    """Numbers shown to someone — an annual report, the coalition view — as a release of the
    ledger: checked and recorded, or the same numbers recorded before shown again; audited."""

    def prepare(ledger: Ledger) -> Numbers:
        protect = Protect(ledger, threshold, kind=kind, organisation=organisation)
        return tabulate(scope, wanted, protect=protect)

    def keep(ledger: Ledger, numbers: Numbers) -> Release:
        release = ledger.recorded(kind, numbers.entries, organisation, threshold)
        if numbers.recorded is None:
            release = ledger.record(
                kind,
                numbers.entries,
                numbers.protection,
                organisation=organisation,
                actor=actor,
                year_from=scope.year_from,
                year_to=scope.year_to,
                threshold=threshold,
                content=numbers.content,
            )
        record(
            actor,
            Action.EXPORT,
            release,
            organisation=organisation or (actor.organisation if actor else None),
            detail=detail,
        )
        return release

    return release_checked(coalition_id, prepare, keep)


COALITION_VIEW_THRESHOLD = 5


def _first_year(coalition_id: int) -> int:
    """The first year with an act or a case of any member (this year if none)."""
    acts = Allegation.objects.filter(organisation__coalition_id=coalition_id).aggregate(
        first=Min("date")
    )["first"]
    cases = Case.objects.filter(organisation__coalition_id=coalition_id).aggregate(
        first=Min("intake_date")
    )["first"]
    return min((d.year for d in (acts, cases) if d), default=date.today().year)


def refresh_coalition_view(actor: User) -> Release:
    """The coalition's combined numbers for its members, as a release of the ledger: every
    standard table and the funnel over all years with data, protected against everything
    released and against each member knowing its own numbers; shown until the next refresh."""
    if actor.role not in (Role.COORDINATOR, Role.ANALYST):
        raise PermissionError("coordinators and analysts see the coalition's numbers")
    coalition_id = actor.organisation.coalition_id
    year_to = date.today().year
    year_from = min(_first_year(coalition_id), year_to)
    scope = statistics_scope(actor, coalition_wide=True, year_from=year_from, year_to=year_to)
    return release_numbers(
        actor,
        Release.Kind.COALITION_VIEW,
        coalition_id=coalition_id,
        organisation=None,
        scope=scope,
        threshold=COALITION_VIEW_THRESHOLD,
        wanted=[c.wanted for c in STANDARD],
        detail={"coalition_view": year_to},
    )
