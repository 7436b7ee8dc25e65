"""Reads of recommendations that check who sees what: every view, export and report uses them.

The texts are public and every member of an organisation reads them. An assessment is seen by
its organisation, and by everyone once it is public; actions and case links by their
organisation only; a linked case's reference only by those who see the case
(``cases.selectors.visible_cases``) — the others get a protected count.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from kuzot.accounts.models import User
from kuzot.accounts.vault import Keyring, sealed_context
from kuzot.cases.models import Case
from kuzot.cases.selectors import visible_cases
from kuzot.recommendations.models import (
    Assessment,
    CaseLink,
    Mechanism,
    PlannedAction,
    Recommendation,
    StatisticsLink,
    Status,
    Theme,
)
from kuzot.stats.actions import own_numbers
from kuzot.stats.publishing import dim_label, label
from kuzot.stats.queries import DIMENSIONS, GROUPS

# A count of cases below this is shown as "fewer than" it, as in publications (stats.models).
PROTECTED_BELOW = 5
DONE = (Status.IMPLEMENTED, Status.A)


def _member(user: User) -> bool:
    return user.is_authenticated and user.organisation_id is not None


def visible_assessments(user: User | None) -> QuerySet[Assessment]:
    """The organisation's own and every public one; for the public (None), public ones."""
    if user is None:
        return Assessment.objects.filter(public=True)
    if not _member(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(Q(organisation_id=user.organisation_id) | Q(public=True))


def _with_latest(recommendations: QuerySet[Recommendation], user: User | None):
    latest = (
        visible_assessments(user).filter(recommendation=OuterRef("pk")).order_by("-date", "-id")
    )
    return recommendations.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    )


def recommendations(user: User | None, filters: dict | None = None) -> QuerySet[Recommendation]:
    """Recommendations with the latest assessment the user sees (``latest_status``,
    ``latest_date``), filtered by ``mechanism``, ``country``, ``theme`` (an id), ``status``
    (a Status, or "none" for never assessed), ``position`` and ``q`` (words of the symbol,
    the texts or the themes, any language)."""
    if user is not None and not _member(user):
        return Recommendation.objects.none()
    found = _with_latest(
        Recommendation.objects.select_related("document").prefetch_related("themes"), user
    )
    filters = filters or {}
    if filters.get("mechanism"):
        found = found.filter(document__mechanism=filters["mechanism"])
    if filters.get("country"):
        found = found.filter(document__country=filters["country"])
    if filters.get("theme"):
        found = found.filter(themes=filters["theme"])
    if filters.get("position"):
        found = found.filter(position=filters["position"])
    if filters.get("status") == "none":
        found = found.filter(latest_status__isnull=True)
    elif filters.get("status"):
        found = found.filter(latest_status=filters["status"])
    for word in (filters.get("q") or "").casefold().split():
        found = found.filter(search__contains=word)
    return found.order_by("-document__date", "document__symbol", "key")


def get_recommendation(user: User, pk: int) -> Recommendation:
    try:
        return recommendations(user).get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404("no such recommendation") from None


@dataclass
class Step:
    """A recommendation of the thread, with the assessments the reader sees (each with its
    ``evidence_text`` when the reader may open it)."""

    recommendation: Recommendation
    assessments: list[Assessment]


def _opener(user: User | None, keyring: Keyring | None):
    """Opens the free text the user's organisation sealed, for members who hold its key;
    for everyone else (analysts, other organisations, the public) it reads as ""."""

    def read(record, field: str) -> str:
        if (
            keyring is None
            or user is None
            or not user.sees_identities
            or record.organisation_id != user.organisation_id
        ):
            return ""
        return keyring.vault(user.organisation_id).open(
            getattr(record, field), sealed_context(type(record), field)
        )

    return read


def thread(
    user: User | None, recommendation: Recommendation, keyring: Keyring | None = None
) -> list[Step]:
    """Every recommendation that repeats, or is repeated by, this one (however far), oldest
    document first: its history across cycles."""
    root = recommendation.thread_root()
    members, frontier = {root.pk}, [root.pk]
    while frontier:
        frontier = list(
            Recommendation.objects.filter(repeats_id__in=frontier)
            .exclude(pk__in=members)
            .values_list("pk", flat=True)
        )
        members.update(frontier)
    found = list(
        Recommendation.objects.filter(pk__in=members)
        .select_related("document")
        .order_by("document__date", "document__symbol", "key")
    )
    assessments: dict[int, list[Assessment]] = {}
    read = _opener(user, keyring)
    for assessment in visible_assessments(user).filter(recommendation_id__in=members):
        assessment.evidence_text = read(assessment, "evidence")
        assessments.setdefault(assessment.recommendation_id, []).append(assessment)
    return [Step(r, assessments.get(r.pk, [])) for r in found]


def _words(recommendation: Recommendation) -> list[str]:
    return (recommendation.text_en or recommendation.text).casefold().split()


def probable_repeats(
    recommendation: Recommendation, *, limit: int = 5, least: float = 0.35
) -> list[tuple[Recommendation, int]]:
    """Earlier recommendations to the same country whose text is most like this one's (with
    the similarity in percent), not already in its thread: offered to a person to confirm."""
    taken = {step.recommendation.pk for step in thread(None, recommendation)}
    earlier = (
        Recommendation.objects.filter(document__country=recommendation.document.country)
        .exclude(pk__in=taken)
        .select_related("document")
    )
    if recommendation.document.date:
        earlier = earlier.filter(document__date__lt=recommendation.document.date)
    words = _words(recommendation)
    scored = []
    for candidate in earlier:
        score = SequenceMatcher(None, words, _words(candidate), autojunk=False).ratio()
        if score >= least:
            scored.append((candidate, round(score * 100)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def planned_actions(
    user: User, recommendation: Recommendation, keyring: Keyring | None = None
) -> list[PlannedAction]:
    """The organisation's actions, with ``what_text`` and ``indicator_text`` opened for those
    who hold its key."""
    read = _opener(user, keyring)
    found = list(
        PlannedAction.objects.filter(
            recommendation=recommendation, organisation_id=user.organisation_id
        )
    )
    for action in found:
        action.what_text, action.indicator_text = read(action, "what"), read(action, "indicator")
    return found


def protected_count(n: int) -> str:
    """A count of cases as someone who may not see them reads it."""
    return str(n) if n == 0 or n >= PROTECTED_BELOW else f"< {PROTECTED_BELOW}"


@dataclass
class CaseEvidence:
    cases: list[Case]  # the linked cases the user sees, by reference (with ``link_id``)
    others: str  # the organisation's other linked cases, as a protected count ("" for none)


def case_evidence(user: User, recommendation: Recommendation) -> CaseEvidence:
    """The organisation's cases linked to the recommendation. Roles that see identities see
    the references of the cases they see; analysts, and anyone for the cases hidden from them
    (strictly confidential ones), a count under PROTECTED_BELOW shown as such."""
    links = CaseLink.objects.filter(
        recommendation=recommendation, organisation_id=user.organisation_id
    )
    shown = []
    if user.sees_identities:
        shown = list(
            visible_cases(user)
            .filter(pk__in=links.values("case_id"))
            .annotate(link_id=Subquery(links.filter(case_id=OuterRef("pk")).values("pk")[:1]))
            .order_by("intake_date", "reference")
        )
    hidden = links.count() - len(shown)
    return CaseEvidence(shown, protected_count(hidden) if hidden else "")


def case_links(user: User, recommendation: Recommendation) -> QuerySet[CaseLink]:
    """The links a member may remove: to the cases the member sees."""
    return CaseLink.objects.filter(
        recommendation=recommendation, case__in=visible_cases(user)
    ).select_related("case")


def due_for_follow_up(user: User, days: int = 90) -> QuerySet[Recommendation]:
    """Recommendations whose follow-up deadline is past or within ``days``, not yet judged
    implemented by the latest assessment the user sees: the calendar and the home page."""
    horizon = date.today() + timedelta(days=days)
    return (
        recommendations(user)
        .filter(follow_up_deadline__isnull=False, follow_up_deadline__lte=horizon)
        .filter(Q(latest_status__isnull=True) | ~Q(latest_status__in=DONE))
        .order_by("follow_up_deadline", "document__symbol", "key")
    )


@dataclass
class Numbers:
    link: StatisticsLink
    title: str
    years: list[tuple[str, int]]


def statistics_evidence(user: User, recommendation: Recommendation) -> list[Numbers]:
    """Each statistics link of the user's organisation: its acts of that category per year,
    counted by the query the statistics screen uses for rows "year" and columns the link's
    dimension (stats.actions.own_numbers), so the numbers are the screen's."""
    found = []
    links = StatisticsLink.objects.filter(
        recommendation=recommendation, organisation_id=user.organisation_id
    ).order_by("dimension", "category")
    for link in links:
        counted = _own_table(user, ("year", link.dimension))
        years = sorted({year for year, _category in counted})
        title = f"{dim_label(link.dimension)}: {label(link.dimension, link.category)}"
        found.append(Numbers(link, title, [(y, counted.get((y, link.category), 0)) for y in years]))
    return found


def _own_table(user: User, dims: tuple[str, ...]) -> dict[tuple, int]:
    """The organisation's own numbers by ``dims``, as the statistics screen counts them."""
    (table,) = own_numbers(user, dims)["tables"]
    return {
        tuple(labels): value
        for labels, value in table["cells"]
        if value and None not in labels  # not the totals
    }


def statistics_categories(user: User) -> list[tuple[str, str]]:
    """(``dimension|category``, label) of every category the organisation's acts have."""
    choices = []
    for dimension in [*DIMENSIONS, *GROUPS]:
        if dimension == "year":
            continue
        for (category,) in sorted(_own_table(user, (dimension,))):
            if category != "unknown":
                choices.append(
                    (
                        f"{dimension}|{category}",
                        f"{dim_label(dimension)}: {label(dimension, category)}",
                    )
                )
    return choices


@dataclass
class Cell:
    mechanism: str
    total: int = 0
    statuses: dict = field(default_factory=dict)  # latest status (or None) → count


@dataclass
class MatrixRow:
    theme: Theme
    cells: list[Cell]


def matrix(user: User, country: str) -> tuple[list[str], list[MatrixRow]]:
    """A country's recommendations by theme × mechanism, each cell counting them by the latest
    assessment the user sees: the mechanisms present (columns) and a row per theme."""
    found = recommendations(user, {"country": country}).prefetch_related("themes")
    counts: dict[tuple[int, str], Cell] = {}
    themes: dict[int, Theme] = {}
    for r in found:
        for theme in r.themes.all():
            themes[theme.pk] = theme
            cell = counts.setdefault((theme.pk, r.document.mechanism), Cell(r.document.mechanism))
            cell.total += 1
            cell.statuses[r.latest_status] = cell.statuses.get(r.latest_status, 0) + 1
    mechanisms = [m for m in Mechanism.values if any(k[1] == m for k in counts)]
    rows = [
        MatrixRow(theme, [counts.get((theme.pk, m), Cell(m)) for m in mechanisms])
        for theme in sorted(themes.values(), key=lambda t: t.name)
    ]
    return mechanisms, rows
