"""An adversary who reads every publication and works out what it can with integer programming.
Written independently of kuzot.analysis.disclosure and kuzot.stats.ledger.

It reads what a reader sees: each publication's tables and funnel, and whose cases and which
years it covers (an organisation's, or every member's). It knows each organisation's country and
that a region code starts with its country's, that an act counts in one year and one
organisation, that a coalition's number is the sum of its members' and a period's the sum of its
years, and how funnel steps nest (a criminal case is a registered complaint, a conviction reached
court, a torture conviction is a conviction). It may be told that the data of an organisation's
year grew between two publications (``epoch``): the later one counts the earlier data plus
additions. An insider also knows its own organisation's numbers exactly.

The hidden data, per organisation, year and addition: one table per group of variables that
appear together in some published cell, the groups of a stratum having the same total (any such
tables come from some cross-classification of all variables, since the groups share no
variable). What it recovers: a count of 1 to 4 of one organisation's year (or of one addition)
inside a published number that it can tell apart from 0 or from 5 and more; and a withheld
number it can pin exactly.
"""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from kuzot.accounts.models import Organisation
from kuzot.cases.models import Allegation
from kuzot.cases.models import Case as CaseFile

THRESHOLD = 5
ACT_VARIABLES = ("region", "agency", "place_type", "context", "sex", "age_group")
STEPS = (
    "complaint",
    "registered",
    "criminal_case",
    "court",
    "conviction",
    "torture_conviction",
    "compensation_awarded",
    "compensation_paid",
)
NESTED_STEPS = [
    ("criminal_case", "registered"),
    ("conviction", "court"),
    ("torture_conviction", "conviction"),
]
VARIABLES = {"acts": ACT_VARIABLES, "mentions": ("act_type",), "cases": STEPS}
AGES = [("0-17", 18), ("18-29", 30), ("30-44", 45), ("45-59", 60), ("60+", 200)]


@dataclass(frozen=True)
class Number:
    space: str
    where: tuple[tuple[str, str], ...]
    strata: tuple[tuple[int, int, int], ...]  # (organisation, year, epoch)
    value: int | None
    name: str


def numbers_of(publication, epoch=lambda organisation, year: 0) -> list[Number]:
    """Every number a publication shows (or withholds), as the reader understands it."""
    members = (
        [publication.organisation]
        if publication.organisation_id
        else list(Organisation.objects.filter(coalition_id=publication.coalition_id))
    )
    country = {o.pk: o.country for o in members}
    strata = [
        (o.pk, y, epoch(o.pk, y))
        for o in members
        for y in range(publication.year_from, publication.year_to + 1)
    ]
    found = []
    for table in publication.content["tables"]:
        space = "mentions" if table["name"] == "act_type" else "acts"
        found += _cells(table, space, strata, country, publication.title)
    for step in publication.content["funnel"]:
        key = step["key"]
        where = () if key == "documented" else ((key, "yes"),)
        name = f"{publication.title}: funnel {key}"
        found.append(Number("cases", where, tuple(strata), step["cases"], name))
    return found


def _cells(table: dict, space: str, strata: list, country: dict, title: str) -> list[Number]:
    """A table's cells: year and country labels choose strata, others fix categories."""
    found = []
    for labels, value in table["cells"]:
        chosen, where = list(strata), []
        for dim, label in zip(table["dims"], labels, strict=True):
            if label is None:
                continue
            if dim == "year":
                chosen = [s for s in chosen if s[1] == int(label)]
            elif dim == "country":
                chosen = [s for s in chosen if country[s[0]] == label]
            else:
                where.append((dim, label))
        name = f"{title}: {table['name']} {labels}"
        found.append(Number(space, tuple(sorted(where)), tuple(chosen), value, name))
    return found


def truth(organisations, years) -> dict[tuple[int, int], dict[str, Counter]]:
    """What the register holds now: per organisation and year, per space, counts of each
    combination of categories (acts and cases in the year of their date; one act per case in
    the registers these tests build, so the year of a case's intake and of its act agree)."""
    found = defaultdict(lambda: defaultdict(Counter))
    country = dict(Organisation.objects.values_list("pk", "country"))
    acts = Allegation.objects.filter(organisation_id__in=organisations, date__year__in=years)
    for act in acts.select_related("region", "agency", "place_of_detention__kind", "context"):
        home = country[act.organisation_id]
        region = act.region.code if act.region and act.region.country == home else None
        age = next(
            (g for g, upper in AGES if act.victim_age is not None and act.victim_age < upper),
            "unknown",
        )
        combination = (
            region or f"{home.lower()}-unknown",
            act.agency.code if act.agency else "unknown",
            act.place_of_detention.kind.code if act.place_of_detention else "unknown",
            act.context.code if act.context else "unknown",
            act.victim_sex or "unknown",
            age,
        )
        found[act.organisation_id, act.date.year]["acts"][combination] += 1
        for term in act.act_types.all():
            found[act.organisation_id, act.date.year]["mentions"][(term.code,)] += 1
    for case in CaseFile.objects.filter(
        organisation_id__in=organisations, intake_date__year__in=years
    ):
        steps = tuple("yes" if getattr(case, f"{s}_on") else "no" for s in STEPS)
        found[case.organisation_id, case.intake_date.year]["cases"][steps] += 1
    return found


class Attacker:
    """``truths[epoch]`` is the register's counts at each epoch of the publications read."""

    def __init__(self, numbers: list[Number], truths: list[dict]):
        self.numbers = numbers
        self.truths = truths
        country = dict(Organisation.objects.values_list("pk", "country"))
        epochs = defaultdict(int)
        for n in numbers:
            for o, y, e in n.strata:
                epochs[n.space, o, y] = max(epochs[n.space, o, y], e)
        frames = defaultdict(set)
        for n in numbers:
            for v, c in n.where:
                frames[n.space, v].add(c)
        for truth_ in truths:
            for counts in truth_.values():
                for space, rows in counts.items():
                    for combination in rows:
                        for v, c in zip(VARIABLES[space], combination, strict=True):
                            frames[space, v].add(c)
        groups = {}
        for space in VARIABLES:
            group = {v: {v} for v in VARIABLES[space]}
            used = [[v for v, _c in n.where] for n in numbers if n.space == space]
            used += [list(pair) for pair in NESTED_STEPS] if space == "cases" else []
            for variables in used:
                for a, b in itertools.pairwise(variables):
                    merged = group[a] | group[b]
                    for v in merged:
                        group[v] = merged
            groups[space] = sorted(
                {tuple(sorted(g, key=VARIABLES[space].index)) for g in group.values()}
            )
        self.points = []  # (space, organisation, year, step, group, combination)
        self.steps = {
            key: [s for s in range(last + 1) if s == 0 or self._added(key, s)]
            for key, last in epochs.items()
        }
        for (space, o, y), steps in sorted(self.steps.items()):
            for step in steps:
                for g in groups[space]:
                    options = [sorted(frames[space, v]) or ["-"] for v in g]
                    for combination in itertools.product(*options):
                        chosen = dict(zip(g, combination, strict=True))
                        if "region" in chosen and not chosen["region"].startswith(
                            country[o].lower()
                        ):
                            continue
                        self.points.append((space, o, y, step, g, combination))
        self.index = {p: i for i, p in enumerate(self.points)}
        self.groups = groups
        rows, values = [], []
        for n in numbers:
            if n.value is not None:
                rows.append(self.row(n.space, dict(n.where), n.strata))
                values.append(n.value)
        # The groups of a stratum's step have the same total; funnel steps nest.
        for (space, o, y), steps in sorted(self.steps.items()):
            for step in steps:
                first = self.part(space, {}, o, y, step, groups[space][0])
                for g in groups[space][1:]:
                    rows.append(first - self.part(space, {}, o, y, step, g))
                    values.append(0)
        self.equal = (
            np.array(rows).reshape(len(rows), len(self.points)),
            np.array(values, dtype=float),
        )
        less = []
        for (space, o, y), last in sorted(epochs.items()):
            if space == "cases":
                for inner, outer in NESTED_STEPS:
                    for e in range(last + 1):
                        less.append(
                            self.row(space, {inner: "yes"}, [(o, y, e)])
                            - self.row(space, {outer: "yes"}, [(o, y, e)])
                        )
        self.less = np.array(less).reshape(len(less), len(self.points))

    def _added(self, key, step) -> bool:
        """Whether anything was added at ``step`` (the adversary is told when data grew)."""
        space, o, y = key
        now = self.truths[step].get((o, y), {}).get(space, Counter())
        return bool(+(now - self.truths[step - 1].get((o, y), {}).get(space, Counter())))

    def part(self, space, where, o, y, step, group=None) -> np.ndarray:
        """The count of ``where`` in one organisation's year, one step of additions."""
        group = group or next(g for g in self.groups[space] if set(where) <= set(g))
        row = np.zeros(len(self.points))
        for i, (s, oo, yy, st, g, combination) in enumerate(self.points):
            if (s, oo, yy, st, g) == (space, o, y, step, group):
                chosen = dict(zip(g, combination, strict=True))
                if all(chosen.get(v) == c for v, c in where.items()):
                    row[i] = 1
        return row

    def row(self, space, where, strata) -> np.ndarray:
        return sum(
            (
                self.part(space, where, o, y, step)
                for o, y, e in strata
                for step in self.steps[space, o, y]
                if step <= e
            ),
            np.zeros(len(self.points)),
        )

    def true_part(self, space, where, o, y, step) -> int:
        now = self.truths[step].get((o, y), {}).get(space, Counter())
        before = self.truths[step - 1].get((o, y), {}).get(space, Counter()) if step else Counter()
        added = now - before
        return sum(
            n
            for combination, n in added.items()
            if all(
                dict(zip(VARIABLES[space], combination, strict=True))[v] == c
                for v, c in where.items()
            )
        )

    def bounds(self, objective: np.ndarray, insider: int | None = None) -> tuple[int, int | None]:
        lower, upper = np.zeros(len(self.points)), np.full(len(self.points), np.inf)
        if insider is not None:
            for i, (space, o, y, step, g, combination) in enumerate(self.points):
                if o == insider:
                    where = dict(zip(g, combination, strict=True))
                    lower[i] = upper[i] = self.true_part(space, where, o, y, step)
        matrix, values = self.equal
        constraints = [LinearConstraint(matrix, values, values)]
        if self.less.shape[0]:
            constraints.append(LinearConstraint(self.less, -np.inf, 0))
        found = []
        for direction in (1, -1):
            result = milp(
                direction * objective,
                integrality=np.ones(len(self.points)),
                bounds=Bounds(lower, upper),
                constraints=constraints,
            )
            assert result.status in (0, 3, 4), result.message
            found.append(None if result.status else direction * round(result.fun))
        return found[0], found[1]

    def recovered(self, insiders=()) -> list[str]:
        """Everything it learns that it should not."""
        found = []
        seen = set()
        for n in self.numbers:
            if n.value is None:
                lower, upper = self.bounds(self.row(n.space, dict(n.where), n.strata))
                if lower == upper:
                    found.append(f"{n.name} = {lower}")
            for o, y, e in n.strata:
                for step in (s for s in self.steps[n.space, o, y] if s <= e):
                    key = (n.space, n.where, o, y, step)
                    if key in seen:
                        continue
                    seen.add(key)
                    value = self.true_part(n.space, dict(n.where), o, y, step)
                    if not 0 < value < THRESHOLD:
                        continue
                    piece = self.part(n.space, dict(n.where), o, y, step)
                    for insider in (None, *insiders):
                        if insider == o:
                            continue
                        lower, upper = self.bounds(piece, insider)
                        if lower > 0 or (upper is not None and upper < THRESHOLD):
                            who = "the public" if insider is None else f"member {insider}"
                            what = dict(n.where) or "total"
                            found.append(
                                f"{who}: {what} of organisation {o} in {y} (addition {step}) = "
                                f"{value}, in [{lower}, {upper}]"
                            )
        return found


def report_numbers(release) -> list[Number]:
    """The numbers of an annual report (its CAT table, which counts victims, left aside)."""
    members = (
        [release.organisation]
        if release.organisation_id
        else list(Organisation.objects.filter(coalition_id=release.coalition_id))
    )
    country = {o.pk: o.country for o in members}
    found = []
    for table in release.content["tables"]:
        if table["name"].startswith("cat_"):
            continue
        space = {"new_cases": "cases", "act_type": "mentions"}.get(table["name"], "acts")
        strata = [(o.pk, int(y), 0) for o in members for y in table["scope"]["years"]]
        found += _cells(table, space, strata, country, f"report {release.pk}")
    strata = [(o.pk, release.year_from, 0) for o in members]
    for step in release.content["funnel"]:
        key = step["key"]
        where = () if key == "documented" else ((key, "yes"),)
        found.append(Number("cases", where, tuple(strata), step["cases"], f"report funnel {key}"))
    return found
