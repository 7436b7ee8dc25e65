"""Reads of released statistics that several screens need.

What an analyst's home page shows are numbers of a release (the coalition view): protected
against everything released before, never the raw counts with their small cells.
"""

from dataclasses import dataclass
from datetime import date

from kuzot.accounts.models import Role, User
from kuzot.stats.models import Release


def latest_coalition_view(user: User) -> Release | None:
    """The newest coalition view of the user's coalition (coordinators and analysts)."""
    if user.role not in (Role.COORDINATOR, Role.ANALYST) or user.organisation_id is None:
        return None
    return (
        Release.objects.filter(
            coalition_id=user.organisation.coalition_id, kind=Release.Kind.COALITION_VIEW
        )
        .order_by("released_at", "id")
        .last()
    )


@dataclass(frozen=True)
class Headline:
    key: str  # a funnel step, or "acts"
    value: int | None  # None: withheld
    previous: int | None  # the same number a year before (acts only)
    year: str = ""

    @property
    def change(self) -> int | None:
        """The change from the year before, in per cent of it."""
        if self.value is None or not self.previous:
            return None
        return round(100 * (self.value - self.previous) / self.previous)


@dataclass(frozen=True)
class Headlines:
    release: Release
    acts: Headline  # in the last whole year with acts
    acts_by_year: list[tuple[str, int | None]]
    funnel: dict[str, int | None]  # step → cases, over every year


def headlines(user: User) -> Headlines | None:
    """The coalition's headline numbers from its latest coalition view (None before one)."""
    release = latest_coalition_view(user)
    if release is None:
        return None
    tables = {t["name"]: t for t in release.content["tables"]}
    by_year: list[tuple[str, int | None]] = []
    if "year_country" in tables:
        cells = {tuple(k): v for k, v in tables["year_country"]["cells"]}
        by_year = [(y, cells.get((y, None))) for y in tables["year_country"]["categories"][0]]
    # The last whole year with acts (this year is not over: it would always look like a fall).
    known = [(y, v) for y, v in by_year if v and int(y) < date.today().year]
    year, value = known[-1] if known else ("", None)
    before = dict(by_year).get(str(int(year) - 1)) if year else None
    return Headlines(
        release=release,
        acts=Headline("acts", value, before, year),
        acts_by_year=by_year,
        funnel={step["key"]: step["cases"] for step in release.content["funnel"]},
    )
