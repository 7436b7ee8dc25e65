"""The ledger: everything released about a coalition's cases, and the check every new release
passes against it (``kuzot.analysis.disclosure.protect_release``).

Every number released — in a publication of the coalition or of a member, an annual report, the
coalition view shown to members — is a count of one *space* (acts, act-type mentions, cases,
victims at a step of the CAT table) with some categories fixed, summed over *strata*: one
organisation's year, at the *revision* of its data when the number was taken. A number about the
coalition sums its members' strata, a number about a period its years. When a stratum's data has
changed since it was last released, the new release counts a new revision; the difference is a
release of its own that must pass the same rule.

What each stratum counted at each revision is kept (``Snapshot``: categorical counts only, the
same fields the statistics count in the clear), so that every later release is checked against
exactly what was released. The spaces' categories are the full frames — every region of the
organisations' countries, every term, every age group, "unknown" — so that a table's list of
categories says nothing about the data.

Years: an act counts in the year it happened; a case (and its victims) in the year the
organisation took it in, whether or not an act is recorded yet.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import ExtractYear

from kuzot.accounts.models import Coalition, Organisation, User
from kuzot.analysis.disclosure import (
    Box,
    Labels,
    Link,
    Protection,
    Reason,
    Released,
    Space,
    Stratum,
    protect_release,
)
from kuzot.cases.models import Allegation, CaseParty, LegalEvent, Term
from kuzot.cases.models import Case as CaseFile
from kuzot.stats.models import Release, Snapshot
from kuzot.stats.queries import AGE_GROUPS, DIMENSIONS, FUNNEL, UNKNOWN

YES, NO = "yes", "no"
SEXES = ("F", "M", "X", UNKNOWN)
AGES = (*(label for label, _upper in AGE_GROUPS), UNKNOWN)
# The variables of acts the tables count by (act types are mentions: an act may have several).
ACT_VARIABLES = ("region", "agency", "place_type", "context", "sex", "age_group")
STEP_KEYS = [step.key for step in FUNNEL[1:]]  # "documented" is the total
# The rows of the table the Committee against Torture asks for: victims at each step.
CAT_STEPS = {
    "complaints": Q(case__complaint_on__isnull=False),
    "investigations": Q(case__criminal_case_on__isnull=False),
    "prosecutions": Q(case__court_on__isnull=False),
    "convictions": Q(case__conviction_on__isnull=False),
    "sentences": Q(case__conviction_on__isnull=False, _sentenced=True),
    "redress": Q(case__compensation_awarded_on__isnull=False),
}
CAT_VARIABLES = ("sex", "nationality", "place_type")
# Counts that never exceed others, in every stratum: part of the model wherever the data
# bear them out (the first three always do, by how steps are derived).
STEP_WITHIN = [
    ("criminal_case", "registered"),
    ("conviction", "court"),
    ("torture_conviction", "conviction"),
    ("registered", "complaint"),
    ("court", "criminal_case"),
    ("compensation_paid", "compensation_awarded"),
]
CAT_WITHIN = [("convictions", "prosecutions"), ("sentences", "convictions")]


def victims(step: str) -> str:
    return f"victims:{step}"


def stratum_key(organisation: int | str, year: int | str) -> tuple[str, str]:
    return (str(organisation), str(year))


# --- The spaces and their full frames ----------------------------------------------------------


def spaces() -> dict[str, Space]:
    """Every space, each variable with every category any organisation can have."""
    countries = dict(Organisation.objects.values_list("pk", "country"))
    of_country = defaultdict(set)
    for pk, country in countries.items():
        of_country[country].add(str(pk))
    frames: dict[str, list[str]] = defaultdict(list)
    allowed: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    vocabularies = {"agency": "agency", "place_type": "place_type", "context": "context"}
    vocabularies["act_type"] = "act_type"
    terms = Term.objects.filter(vocabulary__in=[*vocabularies.values(), "region"]).order_by(
        "organisation_id", "country", "position", "code"
    )
    for term in terms:
        variable = term.vocabulary
        if variable == "region":
            country = term.country or countries.get(term.organisation_id, "")
            if term.code not in frames["region"]:
                frames["region"].append(term.code)
            allowed["region"][term.code] = frozenset(of_country[country])
            continue
        if term.code not in frames[variable]:
            frames[variable].append(term.code)
            if term.organisation_id is not None:
                allowed[variable][term.code] = frozenset({str(term.organisation_id)})
        elif term.organisation_id is None:
            allowed[variable].pop(term.code, None)
        elif term.code in allowed[variable]:
            allowed[variable][term.code] |= {str(term.organisation_id)}
    for country in Organisation.Country.values:
        code = unknown_region(country)
        frames["region"].append(code)
        allowed["region"][code] = frozenset(of_country[country])
    for variable in ("agency", "place_type", "context", "act_type"):
        if UNKNOWN not in frames[variable]:
            frames[variable].append(UNKNOWN)
    acts = Space(
        "acts",
        {
            "region": tuple(frames["region"]),
            "agency": tuple(frames["agency"]),
            "place_type": tuple(frames["place_type"]),
            "context": tuple(frames["context"]),
            "sex": SEXES,
            "age_group": AGES,
        },
        allowed={v: allowed[v] for v in ("region", "agency", "place_type", "context")},
    )
    mentions = Space(
        "mentions",
        {"act_type": tuple(frames["act_type"])},
        allowed={"act_type": allowed["act_type"]},
    )
    cases = Space("cases", {step: (YES, NO) for step in STEP_KEYS})
    nationalities = (*Organisation.Country.values, "other", UNKNOWN)
    cat = {
        victims(step): Space(
            victims(step),
            {"sex": SEXES, "nationality": nationalities, "place_type": acts.frames["place_type"]},
            allowed={"place_type": acts.allowed["place_type"]},
        )
        for step in CAT_STEPS
    }
    return {s.name: s for s in (acts, mentions, cases, *cat.values())}


def unknown_region(country: str) -> str:
    """Acts with no region, or with a region outside their organisation's country."""
    return f"{country.lower()}-{UNKNOWN}"


def links(found: dict[str, Space]) -> list[Link]:
    """Candidate relations between counts (the engine keeps those the data bear out)."""
    nothing = frozenset()
    relations = [
        Link(("mentions", frozenset({("act_type", t)})), ("acts", nothing))
        for t in found["mentions"].frames["act_type"]
    ]
    relations.append(Link(("acts", nothing), ("mentions", nothing)))  # every act has a type
    relations += [
        Link(("cases", frozenset({(a, YES)})), ("cases", frozenset({(b, YES)})))
        for a, b in STEP_WITHIN
    ]
    for inner, outer in CAT_WITHIN:
        space = found[victims(inner)]
        for variable, categories in space.frames.items():
            relations += [
                Link(
                    (victims(inner), frozenset({(variable, c)})),
                    (victims(outer), frozenset({(variable, c)})),
                )
                for c in categories
            ]
    return relations


# --- What each stratum counts now --------------------------------------------------------------


def live_counts(strata: Collection[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Counter]]:
    """Per (organisation, year): per space, the count of each combination of categories.

    Computed in the database from categorical fields only."""
    wanted = set(strata)
    organisations = {int(o) for o, _y in wanted}
    years = {int(y) for _o, y in wanted}
    found: dict[tuple[str, str], dict[str, Counter]] = {s: defaultdict(Counter) for s in wanted}
    country = dict(Organisation.objects.filter(pk__in=organisations).values_list("pk", "country"))

    def add(organisation, year, space, combination, n):
        key = stratum_key(organisation, year)
        if key in wanted:
            found[key][space][combination] += n

    acts = (
        Allegation.objects.filter(organisation_id__in=organisations, date__year__in=years)
        .annotate(_year=ExtractYear("date"), _age=DIMENSIONS["age_group"][0])
        .values(
            "organisation_id",
            "_year",
            "region__code",
            "region__country",
            "agency__code",
            "place_of_detention__kind__code",
            "context__code",
            "victim_sex",
            "_age",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in acts:
        home = country[row["organisation_id"]]
        region = row["region__code"]
        if region is None or row["region__country"] not in ("", home):
            region = unknown_region(home)
        combination = (
            region,
            row["agency__code"] or UNKNOWN,
            row["place_of_detention__kind__code"] or UNKNOWN,
            row["context__code"] or UNKNOWN,
            row["victim_sex"] or UNKNOWN,
            row["_age"],
        )
        add(row["organisation_id"], row["_year"], "acts", combination, row["n"])
    named = (
        Allegation.act_types.through.objects.filter(
            allegation__organisation_id__in=organisations, allegation__date__year__in=years
        )
        .annotate(_year=ExtractYear("allegation__date"))
        .values("allegation__organisation_id", "_year", "term__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in named:
        add(
            row["allegation__organisation_id"],
            row["_year"],
            "mentions",
            (row["term__code"],),
            row["n"],
        )
    steps = {
        f"_{s.key}": ExpressionWrapper(
            Q(**{f"{s.column}__isnull": False}), output_field=BooleanField()
        )
        for s in FUNNEL[1:]
    }
    cases = (
        CaseFile.objects.filter(organisation_id__in=organisations, intake_date__year__in=years)
        .annotate(_year=ExtractYear("intake_date"), **steps)
        .values("organisation_id", "_year", *steps)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in cases:
        combination = tuple(YES if row[f"_{key}"] else NO for key in STEP_KEYS)
        add(row["organisation_id"], row["_year"], "cases", combination, row["n"])
    sentenced = LegalEvent.objects.filter(case=OuterRef("case"), kind=LegalEvent.Kind.SENTENCE)
    flags = {
        f"_{step}": ExpressionWrapper(condition, output_field=BooleanField())
        for step, condition in CAT_STEPS.items()
    }
    victims_of = CaseParty.objects.filter(
        role=CaseParty.Role.VICTIM,
        case__organisation_id__in=organisations,
        case__intake_date__year__in=years,
    )
    parties = (
        victims_of.annotate(_year=ExtractYear("case__intake_date"), _sentenced=Exists(sentenced))
        .annotate(**flags)
        .values_list(
            "case_id", "case__organisation_id", "_year", "person__sex", "person__nationality",
            *flags,
        )
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    place = _first_places(victims_of.values("case_id"))
    steps = [victims(step) for step in CAT_STEPS]
    countries = set(Organisation.Country.values)
    for case, organisation, year, sex, nationality, *reached, n in parties.iterator(20_000):
        if not nationality:
            nationality = UNKNOWN
        elif nationality not in countries:
            nationality = "other"
        combination = (sex or UNKNOWN, nationality, place.get(case) or UNKNOWN)
        for space, yes in zip(steps, reached, strict=True):
            if yes:
                add(organisation, year, space, combination, n)
    return {key: dict(spaces_of) for key, spaces_of in found.items()}


def _first_places(cases) -> dict[int, str | None]:
    """The type of place of each case's first act, in one ordered pass (a subquery per victim
    took 48 of 83 s on 1,000,000 acts)."""
    first: dict[int, str | None] = {}
    acts = (
        Allegation.objects.filter(case_id__in=cases)
        .order_by("case_id", "date", "pk")
        .values_list("case_id", "place_of_detention__kind__code")
    )
    for case, place in acts.iterator(chunk_size=20_000):
        first.setdefault(case, place)
    return first


def _stored(counts: dict[str, Counter]) -> dict[str, list]:
    """Counts as JSON: per space, sorted rows of categories and their count."""
    return {
        space: sorted([*combination, n] for combination, n in rows.items() if n)
        for space, rows in sorted(counts.items())
        if any(rows.values())
    }


def _read(stored: dict[str, list]) -> dict[str, dict[tuple[str, ...], int]]:
    return {space: {tuple(row[:-1]): row[-1] for row in rows} for space, rows in stored.items()}


# --- The ledger --------------------------------------------------------------------------------


class ReleaseRefused(Exception):
    """The release cannot be shown to keep everyone's numbers safe: nothing is released."""


def release_checked(coalition_id: int, prepare: Callable, keep: Callable):
    """Check a release against the ledger, then record it.

    The check (``prepare(ledger)``, seconds to minutes) runs outside any transaction, so that
    nobody's work waits for it; ``keep(ledger, prepared)`` records it in a short transaction with
    the coalition locked, if no release was recorded in between — otherwise the check runs
    again, against the ledger as it is now."""
    for _attempt in range(3):
        ledger = Ledger(coalition_id)
        prepared = prepare(ledger)
        with transaction.atomic():
            Coalition.objects.select_for_update().get(pk=coalition_id)
            latest = Release.objects.filter(coalition_id=coalition_id).order_by("-pk").first()
            if (latest and latest.pk) == ledger.latest:
                return keep(ledger, prepared)
    raise ReleaseRefused("other releases were being made at the same time; try again")


class Ledger:
    """Everything released about one coalition's cases, and what a new release may add to it.

    ``strata`` fixes the revision of each organisation's year the new release counts (taking a
    new one where the data changed), ``protect`` decides what it may show, ``record`` adds it."""

    def __init__(self, coalition_id: int) -> None:
        self.coalition_id = coalition_id
        members = Organisation.objects.filter(coalition_id=coalition_id)
        self.countries = {str(pk): c for pk, c in members.values_list("pk", "country")}
        self.spaces = spaces()
        self.releases = list(Release.objects.filter(coalition_id=coalition_id).order_by("pk"))
        self.latest = self.releases[-1].pk if self.releases else None
        self.pending: dict[tuple[str, str], tuple[int, dict]] = {}
        self.revisions: dict[tuple[str, str], int] = {}

    def strata(self, organisations: Iterable[int], years: Iterable[int]) -> list[Stratum]:
        """The strata a release of these organisations and years counts, at their revisions."""
        keys = [stratum_key(o, y) for o in organisations for y in years]
        missing = [k for k in keys if k not in self.revisions]
        if missing:
            live = live_counts(missing)
            latest = {}
            for snapshot in Snapshot.objects.filter(
                organisation_id__in={int(o) for o, _y in missing},
                year__in={int(y) for _o, y in missing},
            ).order_by("revision"):
                latest[stratum_key(snapshot.organisation_id, snapshot.year)] = snapshot
                self._widen_frames([_read(snapshot.counts)])
            for key in missing:
                now = _stored(live[key])
                before = latest.get(key)
                if before is not None and before.counts == now:
                    self.revisions[key] = before.revision
                else:
                    revision = 0 if before is None else before.revision + 1
                    self.revisions[key] = revision
                    self.pending[key] = (revision, now)
        return [(o, y, self.revisions[o, y]) for o, y in keys]

    def earlier(self) -> list[Released]:
        found = []
        for release in self.releases:
            for space, where, strata, value, reason in release.cells:
                box = Box(
                    space,
                    frozenset(map(tuple, where)),
                    frozenset((o, y, r) for o, y, r in strata),
                )
                found.append(
                    Released(
                        box,
                        value,
                        Reason(reason) if reason else None,
                        release.threshold,
                        release.rounding_base,
                        frozenset(release.sensitive),
                    )
                )
        return found

    def recorded(
        self,
        kind: str,
        entries: Sequence[tuple[str, Labels, Box]],
        organisation: Organisation | None,
        threshold: int,
    ) -> Release | None:
        """An earlier release of this kind with exactly these numbers (the same boxes, at the
        same revisions): showing it again releases nothing new."""
        boxes = {box for _t, _l, box in entries}
        for release in reversed(self.releases):
            same = (
                release.kind == kind
                and release.organisation_id == (organisation.pk if organisation else None)
                and release.threshold == threshold
            )
            if same and boxes == {
                Box(space, frozenset(map(tuple, where)), frozenset(map(tuple, strata)))
                for space, where, strata, _value, _reason in release.cells
            }:
                return release
        return None

    def _history(self, earlier: Sequence[Released], entries) -> dict:
        strata = {(o, y) for r in earlier for o, y, _r in r.box.strata}
        strata |= {(o, y) for _t, _l, box in entries for o, y, _r in box.strata}
        history = {}
        for snapshot in Snapshot.objects.filter(
            organisation_id__in={int(o) for o, _y in strata}, year__in={int(y) for _o, y in strata}
        ):
            key = stratum_key(snapshot.organisation_id, snapshot.year)
            if key in strata:
                history[(*key, snapshot.revision)] = _read(snapshot.counts)
        for (organisation, year), (revision, counts) in self.pending.items():
            history[organisation, year, revision] = _read(counts)
        self._widen_frames(history.values())
        return history

    def _widen_frames(self, counts: Iterable[dict]) -> None:
        """A category counted once stays in the frame (and in the tables), even after its term
        is gone."""
        for counted in counts:
            for name, rows in counted.items():
                space = self.spaces[name]
                frames = dict(space.frames)
                for combination in rows:
                    for variable, category in zip(frames, combination, strict=True):
                        if category not in frames[variable]:
                            frames[variable] = (*frames[variable], category)
                if frames != space.frames:
                    self.spaces[name] = Space(name, frames, space.allowed, space.nested)

    def protect(
        self,
        entries: Sequence[tuple[str, Labels, Box]],
        *,
        threshold: int,
        rounding_base: int | None = None,
        sensitive: Collection[str] = (),
    ) -> Protection:
        """What the new release may show, every earlier number held fixed (fails closed)."""
        earlier = self.earlier()
        history = self._history(earlier, entries)
        try:
            return protect_release(
                entries,
                spaces=self.spaces,
                history=history,
                earlier=earlier,
                links=links(self.spaces),
                threshold=threshold,
                rounding_base=rounding_base,
                sensitive=sensitive,
                insiders=tuple(self.countries),
                seconds=settings.KUZOT_DISCLOSURE_SECONDS,
            )
        except ValueError as error:  # DisclosureCheckFailed, or numbers that do not fit
            raise ReleaseRefused(str(error)) from error

    def record(
        self,
        kind: str,
        entries: Sequence[tuple[str, Labels, Box]],
        protection: Protection,
        *,
        organisation: Organisation | None,
        actor: User | None,
        year_from: int,
        year_to: int,
        threshold: int,
        rounding_base: int | None = None,
        sensitive: Collection[str] = (),
        publication=None,
        content: dict | None = None,
    ) -> Release:
        """Add the release to the ledger, with the revisions it counted (in the caller's
        transaction: see ``release_checked``)."""
        for (organisation_pk, year), (revision, counts) in self.pending.items():
            Snapshot.objects.create(
                organisation_id=int(organisation_pk),
                year=int(year),
                revision=revision,
                counts=counts,
            )
        self.pending = {}
        cells = {}
        for table, labels, box in entries:
            cell = protection.cells[table, labels]
            cells[box] = [
                box.space,
                sorted(map(list, box.where)),
                sorted(map(list, box.strata)),
                cell.value,
                cell.reason and str(cell.reason),
            ]
        release = Release.objects.create(
            coalition_id=self.coalition_id,
            organisation=organisation,
            kind=kind,
            publication=publication,
            year_from=year_from,
            year_to=year_to,
            threshold=threshold,
            rounding_base=rounding_base,
            sensitive=sorted(sensitive),
            cells=list(cells.values()),
            content=content or {},
            exposed_before=protection.exposed_before,
            released_by=actor,
        )
        self.releases.append(release)
        return release
