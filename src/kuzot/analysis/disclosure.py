"""Disclosure control for the counts a coalition releases, one release at a time and across all.

Every number that leaves an organisation goes through this module:

* primary suppression: a cell counting 1 to ``threshold - 1`` is withheld; so is a non-zero cell
  that makes up its whole group on a *sensitive* dimension ("all 7 victims in region X were
  women"), when the caller names that dimension;
* complementary (secondary) suppression: further cells of the release are withheld until no
  withheld cell, and no small count that can be isolated by combining releases, can be worked out
  from everything released;
* optional rounding of every published number to a base.

"Worked out" is judged the way an attacker would: every released number is a sum over hidden
tables of non-negative whole numbers, and integer linear programming (HiGHS, through
``scipy.optimize.milp``) tells which values a cell can still take. A small cell is protected when
the attacker can rule out neither 0 nor ``threshold`` or more; a whole group when the attacker
cannot rule out that ``threshold`` of its members were different; any other withheld cell when
it can take values ``threshold`` apart.

Two entry points share one engine:

* :func:`protect` and :func:`audit` for one release of :class:`Table` s, knowing only the tables;
* :func:`protect_release` for the *ledger*: a new release protected with everything released
  before about the same cases held fixed. There each number is a :class:`Box` — what it counts
  (a :class:`Space`: acts, cases, …; fixed categories) in which *strata* (organisation, year) at
  which *revision* of their data — and the true counts come from a :data:`History` of every
  revision. A number about the coalition is the sum over its members, a number about a period the
  sum over its years, a revision the earlier data plus what was added (and less what was removed)
  since. Beside the released cells, the rule protects every small count of one organisation in one
  year in one revision step that a released number contains, against the public and against each
  member that knows its own data (``insiders``).

The hidden tables are modelled as the marginal tables of groups of variables that appear together
in some cell, joined through each stratum's totals: the cells released never cross two groups, so
any such marginal tables come from a full cross-classification (the groups meet only in the
strata, a decomposable model), and the model grows with the sum of the groups' sizes instead of
their product. Independent parts of the model are solved apart; a time budget bounds the whole
check, and the check fails closed: when it cannot finish or the numbers do not fit together it
raises :class:`DisclosureCheckFailed` and nothing may be released.

The rules are explained for coordinators and statisticians in ``docs/disclosure.md``.
"""

import enum
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

Labels = tuple[str | None, ...]  # one category per dimension; None is the total over it
Key = frozenset[tuple[str, str]]  # fixed categories: {(variable, category), ...}
# {(child, parent): {child category: parent category}}, e.g. {("region", "country"): {...}}
Nesting = Mapping[tuple[str, str], Mapping[str, str]]
Stratum = tuple[str, str, int]  # (organisation, year, revision)
# (organisation, year, revision) -> space -> combination of categories -> count
History = Mapping[Stratum, Mapping[str, Mapping[tuple[str, ...], int]]]

MARKER = "–"


class Reason(enum.StrEnum):
    """Why a cell is withheld. For the organisation's records only: never publish it."""

    PRIMARY = "primary"  # fewer than `threshold` cases
    GROUP = "group"  # the whole group shares a sensitive attribute
    SECONDARY = "secondary"  # withheld so that the cells above cannot be worked out


class DisclosureCheckFailed(ValueError):
    """The release cannot be shown to be safe: it must not be released (the check fails closed)."""


class DisclosureCheckTimeout(DisclosureCheckFailed):
    """The check did not finish within its time budget."""


# --- What is counted ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Space:
    """A population that cells count (acts, act-type mentions, cases, victims at a step) and the
    categories of each of its variables.

    ``frames`` lists every category of every variable, in a fixed order, so that counts add up
    (include "unknown"). ``allowed`` restricts a category to the organisations that can have it
    (the regions of an organisation's country, a term an organisation added); ``nested`` declares
    hierarchies between variables the attacker knows.
    """

    name: str
    frames: Mapping[str, tuple[str, ...]]
    allowed: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    nested: Nesting = field(default_factory=dict)

    def frame(self, variable: str, organisations: Collection[str] | None = None) -> tuple:
        """The categories of ``variable`` some of ``organisations`` (default: any) can have."""
        allowed = self.allowed.get(variable, {})
        return tuple(
            c
            for c in self.frames[variable]
            if organisations is None or c not in allowed or allowed[c] & set(organisations)
        )


@dataclass(frozen=True)
class Box:
    """One number: the units of ``space`` with the categories ``where``, summed over ``strata``
    (each organisation and year at the revision of its data the number was taken from)."""

    space: str
    where: Key
    strata: frozenset[Stratum]


@dataclass(frozen=True)
class Link:
    """``lesser`` counts at most as many as ``greater`` in every stratum, at every revision (a
    criminal case is a registered complaint; an act type is named at most once per act). Links
    the true counts do not bear out are left out of the model."""

    lesser: tuple[str, Key]
    greater: tuple[str, Key]


@dataclass(frozen=True)
class Released:
    """A number already released: what the attacker knows of it, and why it was withheld.

    ``value`` is the number as shown, or None for a dash; ``rounding_base`` how it was rounded.
    ``lower``/``upper`` add what the reader knew of a dash beyond the rules (e.g. "1 to 4")."""

    box: Box
    value: int | None
    reason: Reason | None
    threshold: int
    rounding_base: int | None = None
    sensitive: frozenset[str] = frozenset()
    lower: int = 0
    upper: int | None = None

    def interval(self) -> tuple[int, float]:
        if self.value is None:
            return self.lower, np.inf if self.upper is None else self.upper
        return _preimage(self.value, self.threshold, self.rounding_base)


def table_boxes(
    space: Space,
    dims: Sequence[str],
    categories: Sequence[Sequence[str]],
    strata: Collection[Stratum],
    countries: Mapping[str, str],
    where: Mapping[str, str] | None = None,
) -> list[tuple[Labels, Box]]:
    """The cells of a one- or two-way table (interior, margins, grand total last) as boxes.

    A dimension is a variable of ``space`` or an attribute of the strata: ``organisation``,
    ``year`` or ``country`` (``countries``: organisation -> country)."""
    attribute = {
        "organisation": lambda s: s[0],
        "year": lambda s: s[1],
        "country": lambda s: countries[s[0]],
    }
    cells = []
    for labels in _labels(categories):
        chosen = frozenset(strata)
        key = dict(where or {})
        for dim, label in zip(dims, labels, strict=True):
            if label is None:
                continue
            if dim in attribute:
                chosen = frozenset(s for s in chosen if attribute[dim](s) == label)
            else:
                key[dim] = label
        cells.append((labels, Box(space.name, frozenset(key.items()), chosen)))
    return cells


def _labels(categories: Sequence[Sequence[str]]) -> list[Labels]:
    """Every cell: interior cells, then margins, then the grand total last."""
    return sorted(
        itertools.product(*[(*c, None) for c in categories]),
        key=lambda labels: sum(label is None for label in labels),
    )


# --- One release, from its tables --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Table:
    """Case counts by one or two dimensions, for the cases in ``scope``.

    ``categories`` lists, per dimension, every category, so that the counts add up to the
    table's total (include "unknown" where needed). ``counts`` is an array of that shape, or a
    mapping from a category (one-way) or a tuple of categories (two-way) to a count; categories
    left out of the mapping count 0. ``scope`` fixes other variables, e.g. ``{"year": "2024"}``;
    tables that leave a variable out count all its categories. Margins and the grand total are
    derived from the counts and published with the table.
    """

    name: str
    dims: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    counts: np.ndarray
    scope: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        dims = tuple(self.dims)
        categories = tuple(tuple(c) for c in self.categories)
        if len(dims) not in (1, 2) or len(categories) != len(dims):
            raise ValueError(f"{self.name}: one or two dimensions, each with its categories")
        if set(dims) & set(self.scope) or len(set(dims)) != len(dims):
            raise ValueError(f"{self.name}: each variable once, as a dimension or in the scope")
        shape = tuple(len(c) for c in categories)
        if isinstance(self.counts, Mapping):
            counts = np.zeros(shape, dtype=np.int64)
            for labels, count in self.counts.items():
                labels = (labels,) if isinstance(labels, str) else labels
                where = zip(categories, labels, strict=True)
                counts[tuple(c.index(label) for c, label in where)] = count
        else:
            counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != shape or (counts < 0).any():
            raise ValueError(f"{self.name}: counts must be non-negative, of shape {shape}")
        object.__setattr__(self, "dims", dims)
        object.__setattr__(self, "categories", categories)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "scope", dict(self.scope))

    def labels(self) -> list[Labels]:
        """Every published cell: interior cells, then margins, then the grand total last."""
        return _labels(self.categories)

    def value(self, labels: Labels) -> int:
        index = tuple(
            slice(None) if label is None else c.index(label)
            for c, label in zip(self.categories, labels, strict=True)
        )
        return int(self.counts[index].sum())

    def key(self, labels: Labels) -> Key:
        return _key(self.scope, self.dims, labels)


def _key(scope: Mapping[str, str], dims: tuple[str, ...], labels: Labels) -> Key:
    return frozenset(scope.items()) | {
        (dim, label) for dim, label in zip(dims, labels, strict=True) if label is not None
    }


@dataclass(frozen=True)
class Cell:
    """A published number, or ``value=None`` and the (internal) reason it is withheld."""

    value: int | None
    reason: Reason | None = None


@dataclass(frozen=True, eq=False)
class ProtectedTable:
    """A :class:`Table` as it may be published: counts gone, each cell a :class:`Cell`."""

    name: str
    dims: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    scope: Mapping[str, str]
    cells: dict[Labels, Cell]
    threshold: int
    rounding_base: int | None
    nested: Nesting

    def labels(self) -> list[Labels]:
        return list(self.cells)

    def key(self, labels: Labels) -> Key:
        return _key(self.scope, self.dims, labels)

    @property
    def footnote(self) -> str:
        note = f"{MARKER} fewer than {self.threshold} cases, or withheld to protect such cells."
        if self.rounding_base:
            note += (
                f" Numbers are rounded to the nearest {self.rounding_base};"
                " totals may differ from the sum of their parts."
            )
        return note

    def grid(self) -> list[list[str]]:
        """Rows of text, header first, totals last; withheld cells show the marker."""

        def text(labels: Labels) -> str:
            value = self.cells[labels].value
            return MARKER if value is None else str(value)

        if len(self.dims) == 1:
            rows = ([label or "Total", text((label,))] for label in (*self.categories[0], None))
            return [[self.dims[0], "Cases"], *rows]
        categories, columns = self.categories
        return [
            [f"{self.dims[0]} / {self.dims[1]}", *columns, "Total"],
            *(
                [row or "Total", *(text((row, column)) for column in (*columns, None))]
                for row in (*categories, None)
            ),
        ]


@dataclass(frozen=True)
class CellInterval:
    """What an attacker can learn about a withheld cell: ``lower <= value <= upper``."""

    table: str
    labels: Labels
    lower: int
    upper: int | None  # None: no upper bound

    @property
    def recoverable(self) -> bool:
        return self.lower == self.upper


_ONE = ("", "", 0)  # the single stratum of a release protected from its tables alone


def _space_of(tables: Sequence[Table] | Sequence[ProtectedTable], nested: Nesting) -> Space:
    """Every variable of the tables (dimensions and scopes), with the categories they list."""
    frames: dict[str, list[str]] = {}
    for table in tables:
        for dim, categories in zip(table.dims, table.categories, strict=True):
            known = frames.setdefault(dim, [])
            known.extend(c for c in categories if c not in known)
        for variable, category in table.scope.items():
            known = frames.setdefault(variable, [])
            if category not in known:
                known.append(category)
    return Space("tables", {v: tuple(c) for v, c in frames.items()}, nested=dict(nested))


def protect(
    tables: Sequence[Table],
    threshold: int = 5,
    rounding_base: int | None = None,
    sensitive: Collection[str] = (),
    nested: Nesting | None = None,
) -> list[ProtectedTable]:
    """Suppress (and optionally round) a release of tables so that no small cell is disclosed.

    All tables of one release must be protected in one call: suppression is decided jointly, a
    cell published in several tables (the same counts by the same variables and scope) is
    withheld everywhere or nowhere, and the tables must describe one set of cases (e.g. the
    tables for each year add up to the all-years table). ``sensitive`` names dimensions whose
    categories must not be disclosed for a whole group (e.g. ``{"sex", "act"}``). ``nested``
    gives hierarchies the attacker knows, ``{("region", "country"): {"Osh": "Kyrgyzstan", ...}}``,
    so that the cases of a country are those of its regions. Rounding, to the nearest multiple
    of ``rounding_base`` (halves up), is applied after suppression to every published cell
    independently, margins included; suppression is decided on the exact counts.
    """
    _check_options(threshold, rounding_base)
    if not tables:
        return []
    nested = dict(nested or {})
    space = _space_of(tables, nested)
    entries, values = [], {}
    for table in tables:
        for labels in table.labels():
            box = Box(space.name, table.key(labels), frozenset({_ONE}))
            value = table.value(labels)
            if values.setdefault(box, value) != value:
                raise ValueError(f"{table.name}: {labels} disagrees with another table")
            entries.append((table.name, labels, box))
    hidden = _Hidden({space.name: space}, list(values), {}, ())
    truth = hidden.solve_for(values)
    protection = _Protection(hidden, truth, entries, threshold, sensitive, [], (), None)
    cells = protection.run()
    return [
        ProtectedTable(
            name=table.name,
            dims=table.dims,
            categories=table.categories,
            scope=table.scope,
            cells={
                labels: _rounded(cells[table.name, labels], rounding_base)
                for labels in table.labels()
            },
            threshold=threshold,
            rounding_base=rounding_base,
            nested=nested,
        )
        for table in tables
    ]


def audit(published: Sequence[ProtectedTable]) -> list[CellInterval]:
    """The attacker's view: the range each withheld cell can take, given everything published.

    Uses only what is published, plus the rules themselves: a published number is the true
    count rounded as stated, and is never a count between 1 and ``threshold - 1``.
    """
    if not published:
        return []
    space = _space_of(published, published[0].nested)
    known: dict[Box, tuple[int, int]] = {}
    withheld: list[tuple[str, Labels, Box]] = []
    for table in published:
        for labels, cell in table.cells.items():
            box = Box(space.name, table.key(labels), frozenset({_ONE}))
            if cell.value is None:
                withheld.append((table.name, labels, box))
            else:
                known[box] = _preimage(cell.value, table.threshold, table.rounding_base)
    hidden = _Hidden({space.name: space}, [*known, *(b for _t, _l, b in withheld)], {}, ())
    solver = _Solver(hidden, hidden.lower, hidden.upper, None)
    if known:
        low, high = np.array(list(known.values()), dtype=float).T
        solver.fix([hidden.row(b) for b in known], low, high)
    found: dict[Box, tuple[int, int | None]] = {}
    for _table, _labels, box in withheld:
        if box not in found:
            found[box] = solver.bounds(hidden.row(box))
    return [CellInterval(table, labels, *found[box]) for table, labels, box in withheld]


def _check_options(threshold: int, rounding_base: int | None) -> None:
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if rounding_base is not None and not 2 <= rounding_base <= 2 * threshold:
        raise ValueError("rounding_base must be between 2 and twice the threshold")


def _rounded(cell: Cell, base: int | None) -> Cell:
    if cell.value is None or not base:
        return cell
    return Cell((cell.value + base // 2) // base * base)


def _preimage(value: int, threshold: int, base: int | None) -> tuple[int, int]:
    """The true counts that could have been published as ``value``."""
    low, high = (value, value) if not base else (value - base // 2, value + (base - 1) // 2)
    low = max(low, 0)
    if 0 < low < threshold:
        low = threshold
    if high < threshold:
        high = 0
    return low, high


# --- A release checked against the ledger ------------------------------------------------------


@dataclass(frozen=True)
class Protection:
    """The outcome of :func:`protect_release`: each entry's cell, and the small counts that
    earlier releases had already given away (nothing this release can do about them)."""

    cells: dict[tuple[str, Labels], Cell]
    exposed_before: list[str]


def protect_release(
    entries: Sequence[tuple[str, Labels, Box]],
    *,
    spaces: Mapping[str, Space],
    history: History,
    earlier: Sequence[Released] = (),
    links: Sequence[Link] = (),
    threshold: int = 5,
    rounding_base: int | None = None,
    sensitive: Collection[str] = (),
    insiders: Collection[str] = (),
    seconds: float | None = None,
) -> Protection:
    """Protect a new release (``entries``: table name, labels, box) given every earlier one.

    The earlier numbers are held fixed; the new release's cells are withheld (primary, then
    complementary) until, for the public and for each organisation in ``insiders`` knowing its
    own data, every withheld cell of every release keeps its rule and every small count of one
    stratum and revision step inside any released number is protected like a small cell.
    ``history`` holds the true counts of every stratum at every revision the boxes name.
    Raises :class:`DisclosureCheckFailed` when that cannot be shown (within ``seconds``).
    """
    _check_options(threshold, rounding_base)
    deadline = None if seconds is None else time.monotonic() + seconds
    boxes = [b for _t, _l, b in entries] + [r.box for r in earlier]
    hidden = _Hidden(spaces, boxes, history, links)
    truth = hidden.truth(history)
    hidden.keep_true(truth)
    protection = _Protection(
        hidden, truth, entries, threshold, sensitive, earlier, insiders, deadline
    )
    cells = protection.run()
    return Protection(
        {key: _rounded(cell, rounding_base) for key, cell in cells.items()},
        list(dict.fromkeys(protection.exposed_before)),
    )


# --- The hidden tables -------------------------------------------------------------------------

Slice = tuple[int, int]  # (revision, +1: counted from it on / -1: no longer counted from it on)


class _Hidden:
    """The hidden tables behind a set of boxes, as integer variables.

    Per space, the variables that appear together in some box form a group; per group, stratum
    (organisation, year) and slice of its history (the first revision, then what each later
    revision added and what it removed), one variable per combination of the group's categories.
    The groups of a stratum slice have the same total.
    """

    def __init__(
        self,
        spaces: Mapping[str, Space],
        boxes: Sequence[Box],
        history: History,
        links: Sequence[Link],
    ) -> None:
        self.spaces = spaces
        used = {b.space for b in boxes}
        self.links = [link for link in links if link.lesser[0] in used and link.greater[0] in used]
        wheres = defaultdict(set)
        revisions: dict[tuple[str, str], int] = defaultdict(int)
        strata: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for box in boxes:
            if box.space not in spaces:
                raise DisclosureCheckFailed(f"unknown space {box.space!r}")
            wheres[box.space].add(box.where)
            for organisation, year, revision in box.strata:
                revisions[organisation, year] = max(revisions[organisation, year], revision)
                strata[box.space].add((organisation, year))
        for link in self.links:
            for space, where in (link.lesser, link.greater):
                wheres[space].add(where)
        self.revisions = dict(revisions)
        self.cliques = {name: self._cliques(spaces[name], wheres[name]) for name in sorted(used)}
        self.slices = {
            (name, *stratum): self._slices(name, stratum, history)
            for name in self.cliques
            for stratum in sorted(strata[name])
        }
        self._templates: dict = {}
        self._positions: dict = {}
        self.blocks: dict[tuple, int] = {}
        offset = 0
        for (name, organisation, year), slices in self.slices.items():
            for s in slices:
                for q in range(len(self.cliques[name])):
                    self.blocks[name, q, organisation, year, s] = offset
                    offset += len(self._template(name, q, organisation)[1])
        self.size = offset
        self.lower = np.zeros(self.size)
        self.upper = np.full(self.size, np.inf)
        self.equal, self.less = self._structure()

    @staticmethod
    def _cliques(space: Space, wheres: Iterable[Key]) -> list[tuple[str, ...]]:
        """Variables joined when some box fixes both (or one is nested in the other)."""
        group = {v: {v} for where in wheres for v, _c in where}
        for variable in group:
            if variable not in space.frames:
                raise DisclosureCheckFailed(f"{space.name}: unknown variable {variable!r}")
        pairs = [[v for v, _c in where] for where in wheres]
        pairs += [
            [child, parent] for child, parent in space.nested if {child, parent} <= group.keys()
        ]
        for variables in pairs:
            for a, b in itertools.pairwise(variables):
                if group[a] is not group[b]:
                    merged = group[a] | group[b]
                    for v in merged:
                        group[v] = merged
        order = list(space.frames)
        cliques = {tuple(sorted(g, key=order.index)) for g in group.values()}
        return sorted(cliques, key=lambda c: order.index(c[0])) or [()]

    def _slices(self, space: str, stratum: tuple[str, str], history: History) -> list[Slice]:
        """The first revision, then each later one's additions and removals where there were
        any (a slice known to be empty is left out: the tightest model the truth allows)."""
        slices = [(0, 1)]
        for revision in range(1, self.revisions[stratum] + 1):
            now = _counts(history, (*stratum, revision), space)
            before = _counts(history, (*stratum, revision - 1), space)
            if +(now - before):
                slices.append((revision, 1))
            if +(before - now):
                slices.append((revision, -1))
        return slices

    def _template(self, space: str, clique: int, organisation: str):
        """(coordinates, index) of the combinations of a group's categories an organisation can
        have: coordinates[i] holds the category numbers of variable i."""
        key = (space, clique, organisation)
        if key not in self._templates:
            variables = self.cliques[space][clique]
            definition = self.spaces[space]
            options = [
                definition.frame(v, None if organisation == "" else {organisation})
                for v in variables
            ]
            combos = [
                combo
                for combo in itertools.product(*options)
                if all(
                    definition.nested[child, parent].get(combo[variables.index(child)])
                    == combo[variables.index(parent)]
                    for child, parent in definition.nested
                    if child in variables and parent in variables
                )
            ]
            coordinates = np.array(
                [
                    [definition.frames[v].index(c[i]) for c in combos]
                    for i, v in enumerate(variables)
                ],
                dtype=np.int64,
            ).reshape(len(variables), len(combos))
            self._templates[key] = (coordinates, {c: i for i, c in enumerate(combos)})
        return self._templates[key]

    def _where(self, space: str, where: Key, organisation: str) -> tuple[int, np.ndarray]:
        """The group holding ``where``'s variables, and the positions in its block matching it."""
        key = (space, where, organisation)
        if key not in self._positions:
            cliques = self.cliques[space]
            variables = {v for v, _c in where}
            clique = next(q for q, c in enumerate(cliques) if variables <= set(c))
            coordinates, _index = self._template(space, clique, organisation)
            mask = np.ones(coordinates.shape[1], dtype=bool)
            frames = self.spaces[space].frames
            for variable, category in where:
                if category not in frames[variable]:
                    raise DisclosureCheckFailed(f"{space}: {variable} has no category {category!r}")
                i = cliques[clique].index(variable)
                mask &= coordinates[i] == frames[variable].index(category)
            self._positions[key] = (clique, np.flatnonzero(mask))
        return self._positions[key]

    def _part(self, space: str, where: Key, organisation: str, year: str, s: Slice) -> np.ndarray:
        clique, positions = self._where(space, where, organisation)
        return self.blocks[space, clique, organisation, year, s] + positions

    def row(self, box: Box) -> sparse.csr_array:
        """The box as a sum over the hidden variables."""
        columns, signs = [], []
        for organisation, year, revision in box.strata:
            for s in self.slices[box.space, organisation, year]:
                if s[0] <= revision:
                    part = self._part(box.space, box.where, organisation, year, s)
                    columns.append(part)
                    signs.append(np.full(part.size, float(s[1])))
        return _row(columns, signs, self.size)

    def parts(self, box: Box) -> list[tuple[str, str, Slice]]:
        """The atomic pieces a box adds up: one organisation, one year, one slice."""
        return [
            (organisation, year, s)
            for organisation, year, revision in sorted(box.strata)
            for s in self.slices[box.space, organisation, year]
            if s[0] <= revision
        ]

    def part_row(self, space: str, where: Key, part: tuple[str, str, Slice]) -> sparse.csr_array:
        columns = self._part(space, where, *part)
        return _row([columns], [np.ones(columns.size)], self.size)

    def organisation_of(self) -> np.ndarray:
        """For each variable, the organisation whose data it is."""
        owner = np.empty(self.size, dtype=object)
        for (space, clique, organisation, _year, _s), offset in self.blocks.items():
            owner[offset : offset + len(self._template(space, clique, organisation)[1])] = (
                organisation
            )
        return owner

    def _structure(self) -> tuple[sparse.csr_array, sparse.csr_array]:
        """Equalities (each group of a stratum slice has the same total) and inequalities (the
        links at every revision; nothing removed that was not there)."""
        equal, less = [], []
        for (space, organisation, year), slices in self.slices.items():
            for s in slices:
                first = self._block_row(space, 0, organisation, year, [s])
                for q in range(1, len(self.cliques[space])):
                    equal.append(first - self._block_row(space, q, organisation, year, [s]))
            if any(sign < 0 for _r, sign in slices):
                for revision in {r for r, _sign in slices if r > 0}:
                    upto = [s for s in slices if s[0] <= revision]
                    for q in range(len(self.cliques[space])):
                        less.append(-self._block_rows(space, q, organisation, year, upto))
        for link in self.links:
            lesser, greater = link.lesser[0], link.greater[0]
            for (space, organisation, year), _slices in self.slices.items():
                if space != lesser or (greater, organisation, year) not in self.slices:
                    continue
                for revision in range(self.revisions[organisation, year] + 1):
                    at = frozenset({(organisation, year, revision)})
                    less.append(
                        self.row(Box(lesser, link.lesser[1], at))
                        - self.row(Box(greater, link.greater[1], at))
                    )
        return _stack(equal, self.size), _stack(less, self.size)

    def _block_row(self, space, clique, organisation, year, slices) -> sparse.csr_array:
        return sparse.csr_array(self._block_rows(space, clique, organisation, year, slices).sum(0))

    def _block_rows(self, space, clique, organisation, year, slices) -> sparse.csr_array:
        """One row per combination: its count up to the last of ``slices``."""
        width = len(self._template(space, clique, organisation)[1])
        rows = []
        for s in slices:
            offset = self.blocks[space, clique, organisation, year, s]
            rows.append(
                sparse.csr_array(
                    (np.full(width, float(s[1])), (np.arange(width), offset + np.arange(width))),
                    shape=(width, self.size),
                )
            )
        return sum(rows[1:], rows[0])

    def truth(self, history: History) -> np.ndarray:
        """The true hidden counts, from the counts of every stratum at every revision."""
        x = np.zeros(self.size)
        for (space, clique, organisation, year, s), offset in self.blocks.items():
            revision, sign = s
            now = _counts(history, (organisation, year, revision), space)
            if revision:
                before = _counts(history, (organisation, year, revision - 1), space)
                now = now - before if sign > 0 else before - now
            variables = self.cliques[space][clique]
            order = list(self.spaces[space].frames)
            _coordinates, index = self._template(space, clique, organisation)
            for combination, n in now.items():
                if len(combination) != len(order):
                    raise DisclosureCheckFailed(f"{space}: counts of the wrong shape")
                categories = tuple(combination[order.index(v)] for v in variables)
                if categories not in index:  # the message names no category: it may be shown
                    raise DisclosureCheckFailed(f"{space}: counts outside the categories known")
                x[offset + index[categories]] += n
        return x

    def keep_true(self, truth: np.ndarray) -> None:
        """Keep the relations between counts that the true counts bear out: a link that does
        not hold in the data is no knowledge the attacker can rely on."""
        if self.less.shape[0]:
            self.less = self.less[self.less @ truth <= 0.5]

    def solve_for(self, values: Mapping[Box, int]) -> np.ndarray:
        """Some hidden counts that reproduce ``values`` exactly (for tables given as counts)."""
        solver = _Solver(self, self.lower, self.upper, None)
        rows = [self.row(b) for b in values]
        exact = np.array(list(values.values()), dtype=float)
        solver.fix(rows, exact, exact)
        x = solver.feasible(None, 0, 0)
        if x is None:
            raise ValueError("the tables do not describe one set of cases")
        return x


def _counts(history: History, stratum: Stratum, space: str) -> Counter:
    if stratum[2] and stratum not in history:
        raise DisclosureCheckFailed(f"no counts stored for {stratum}")
    return Counter(history.get(stratum, {}).get(space, {}))


def _row(columns: list[np.ndarray], signs: list[np.ndarray], size: int) -> sparse.csr_array:
    if not columns:
        return sparse.csr_array((1, size))
    cols = np.concatenate(columns)
    return sparse.csr_array(
        (np.concatenate(signs), (np.zeros(cols.size, dtype=np.int64), cols)), shape=(1, size)
    )


def _dot(row: sparse.csr_array, x: np.ndarray) -> float:
    return float((row @ x)[0])


def _stack(rows: list, size: int) -> sparse.csr_array:
    return sparse.csr_array(sparse.vstack(rows)) if rows else sparse.csr_array((0, size))


# --- Solving -----------------------------------------------------------------------------------


class _Solver:
    """Integer programs over the hidden variables within the attacker's model: the structure,
    the numbers released (fixed rows with ranges), and variable bounds (an insider's own data is
    fixed). Each question is asked only of the independent part of the model it concerns."""

    def __init__(
        self, hidden: _Hidden, lower: np.ndarray, upper: np.ndarray, deadline: float | None
    ):
        self.hidden = hidden
        self.lower, self.upper = lower, upper
        self.deadline = deadline
        self.fixed = sparse.csr_array((0, hidden.size))
        self.low = np.zeros(0)
        self.high = np.zeros(0)
        self._forget()

    def _forget(self) -> None:
        self._components = None
        self._cached: dict[tuple, tuple] = {}

    def fix(self, rows: Sequence[sparse.csr_array], low: np.ndarray, high: np.ndarray) -> None:
        """Add released numbers: ``low <= row @ x <= high``."""
        if len(rows):
            self.fixed = sparse.csr_array(sparse.vstack([self.fixed, *rows]))
            self.low = np.concatenate([self.low, low])
            self.high = np.concatenate([self.high, high])
            self._forget()

    def release(self, keep: np.ndarray) -> None:
        """Keep only the fixed rows marked in ``keep`` (the others are withheld now)."""
        self.fixed, self.low, self.high = self.fixed[keep], self.low[keep], self.high[keep]
        self._forget()

    def _scope(self, row: sparse.csr_array | None) -> tuple:
        """The independent parts of the model that ``row`` touches (all for None): a key, and
        those parts' variables."""
        if self._components is None:
            h = self.hidden
            every = sparse.csr_array(sparse.vstack([h.equal, h.less, self.fixed]))
            pattern = sparse.csr_array(
                (np.ones(every.nnz), every.indices, every.indptr), every.shape
            )
            joined = (pattern.T @ pattern) + sparse.eye_array(h.size, format="csr")
            self._components = connected_components(joined, directed=False)[1]
        if row is None:
            return (None,), np.ones(self.hidden.size, dtype=bool)
        touched = tuple(np.unique(self._components[row.indices]))
        return touched, np.isin(self._components, touched)

    @staticmethod
    def _touching(matrix: sparse.csr_array, scope: np.ndarray) -> np.ndarray:
        """Rows of ``matrix`` with a variable in ``scope`` (they lie wholly inside it)."""
        if not matrix.shape[0]:
            return np.zeros(0, dtype=bool)
        return (abs(matrix) @ scope.astype(float)) > 0

    def _parts(self, key: tuple, scope: np.ndarray):
        """(structure, fixed rows inside, their indices): the constraints of some parts."""
        if key not in self._cached:
            structure = []
            for matrix, low in ((self.hidden.equal, 0.0), (self.hidden.less, -np.inf)):
                inside = self._touching(matrix, scope)
                if inside.any():
                    structure.append(LinearConstraint(matrix[inside][:, scope], low, 0.0))
            inside = np.flatnonzero(self._touching(self.fixed, scope))
            self._cached[key] = (structure, self.fixed[inside][:, scope], inside)
        return self._cached[key]

    def _constraints(self, key: tuple, scope: np.ndarray) -> list[LinearConstraint]:
        structure, fixed, inside = self._parts(key, scope)
        if not inside.size:
            return list(structure)
        return [*structure, LinearConstraint(fixed, self.low[inside], self.high[inside])]

    def _milp(self, objective, integrality, bounds, constraints):
        options = {}
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise DisclosureCheckTimeout("the disclosure check ran out of time")
            options["time_limit"] = left
        result = milp(
            objective,
            integrality=integrality,
            bounds=bounds,
            constraints=constraints,
            options=options,
        )
        if result.status == 1:
            raise DisclosureCheckTimeout("the disclosure check ran out of time")
        return result

    def _complete(self, scope: np.ndarray, part: np.ndarray, base: np.ndarray) -> np.ndarray:
        x = base.copy()
        x[scope] = np.round(part)
        return x

    def feasible(
        self, row: sparse.csr_array | None, low: float, high: float, base: np.ndarray | None = None
    ) -> np.ndarray | None:
        """Hidden counts within the model with ``low <= row @ x <= high``, or None."""
        key, scope = self._scope(row)
        n = int(scope.sum())
        extra = [] if row is None else [LinearConstraint(row[:, scope], low, high)]
        result = self._milp(
            np.zeros(n),
            np.ones(n),
            Bounds(self.lower[scope], self.upper[scope]),
            self._constraints(key, scope) + extra,
        )
        if result.status != 0:
            return None
        base = base if base is not None else np.zeros(self.hidden.size)
        return self._complete(scope, result.x, base)

    def extreme(
        self, rows: sparse.csr_array, caps: np.ndarray, base: np.ndarray
    ) -> np.ndarray | None:
        """Hidden counts within the model that make the sum of ``rows`` as small as possible
        (``caps`` None), or as many rows as possible reach their cap: one table that shows
        many cells can be 0, or many can be large."""
        key, scope = self._scope(None)
        n = int(scope.sum())
        constraints = self._constraints(key, scope)
        bounds = Bounds(self.lower[scope], self.upper[scope])
        if caps is None:
            objective, integrality = np.asarray(rows.sum(axis=0)).ravel(), np.ones(n)
        else:
            # z <= row @ x and z <= cap; maximise the sum of z.
            k = rows.shape[0]
            constraints = [
                LinearConstraint(
                    sparse.hstack([c.A, sparse.csr_array((c.A.shape[0], k))]), c.lb, c.ub
                )
                for c in constraints
            ]
            constraints.append(
                LinearConstraint(sparse.hstack([rows, -sparse.eye_array(k)]), 0, np.inf)
            )
            objective = np.concatenate([np.zeros(n), -np.ones(k)])
            integrality = np.concatenate([np.ones(n), np.zeros(k)])
            bounds = Bounds(
                np.concatenate([bounds.lb, np.zeros(k)]), np.concatenate([bounds.ub, caps])
            )
        result = self._milp(objective, integrality, bounds, constraints)
        if result.status != 0:
            return None
        return self._complete(scope, result.x[:n], base)

    def bounds(self, row: sparse.csr_array) -> tuple[int, int | None]:
        """Least and greatest value of ``row @ x`` (None: no greatest)."""
        if not row.nnz:
            return 0, 0
        key, scope = self._scope(row)
        n = int(scope.sum())
        constraints = self._constraints(key, scope)
        objective = row[:, scope].toarray().ravel()
        found = []
        for sign in (1, -1):
            result = self._milp(
                sign * objective,
                np.ones(n),
                Bounds(self.lower[scope], self.upper[scope]),
                constraints,
            )
            if result.status in (3, 4) and sign < 0:
                found.append(None)  # the model is feasible: unbounded
                continue
            if result.status != 0:
                raise DisclosureCheckFailed(
                    f"the released numbers do not fit together ({result.message})"
                )
            found.append(sign * round(result.fun))
        return found[0], found[1]

    def move(
        self,
        row: sparse.csr_array,
        low: float,
        high: float,
        soft: np.ndarray,
        weight: np.ndarray,
        base: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Cheapest fixed rows to let go of (among ``soft``) so that ``row`` can reach the range.

        Finds hidden counts with ``row`` in range that disagree with as little of the soft rows
        as possible, each unit of disagreement costing the row's ``weight``; returns the rows it
        disagrees with and those counts, or None when no choice of soft rows is enough.
        """
        key, scope = self._scope(row)
        n = int(scope.sum())
        structure, fixed, inside = self._parts(key, scope)
        hard = ~soft[inside]
        loose = inside[~hard]
        k = loose.size
        constraints = list(structure)
        if hard.any():
            rows = inside[hard]
            constraints.append(LinearConstraint(fixed[hard], self.low[rows], self.high[rows]))
        constraints = [  # the slack variables follow the hidden ones
            LinearConstraint(
                sparse.hstack([c.A, sparse.csr_array((c.A.shape[0], 2 * k))]), c.lb, c.ub
            )
            for c in constraints
        ]
        if k:
            slack = sparse.hstack([sparse.eye_array(k), -sparse.eye_array(k)])
            constraints.append(
                LinearConstraint(
                    sparse.hstack([fixed[~hard], -slack]), self.low[loose], self.high[loose]
                )
            )
        constraints.append(
            LinearConstraint(
                sparse.hstack([row[:, scope], sparse.csr_array((1, 2 * k))]), low, high
            )
        )
        cost = weight[loose]
        result = self._milp(
            np.concatenate([np.zeros(n), cost, cost]),
            np.concatenate([np.ones(n), np.zeros(2 * k)]),
            Bounds(
                np.concatenate([self.lower[scope], np.zeros(2 * k)]),
                np.concatenate([self.upper[scope], np.full(2 * k, np.inf)]),
            ),
            constraints,
        )
        if result.status != 0:
            return None
        changed = result.x[n : n + k] + result.x[n + k :] > 0.5
        return loose[changed], self._complete(scope, result.x[:n], base)


class _Pool:
    """Hidden tables the attacker cannot rule out (each a witness that some values are
    possible), one a row. They stay possible as more is withheld."""

    def __init__(self, first: np.ndarray) -> None:
        self.tables = np.zeros((16, first.size))
        self.size = 0
        self.add(first)

    def add(self, x: np.ndarray) -> None:
        if self.size == self.tables.shape[0]:
            self.tables = np.vstack([self.tables, np.zeros_like(self.tables)])
        self.tables[self.size] = x
        self.size += 1

    def seen(self, row: sparse.csr_array) -> np.ndarray:
        """The values ``row`` takes in the witnesses (reading only the variables it sums)."""
        return self.tables[: self.size, row.indices] @ row.data


# --- The protection loop -----------------------------------------------------------------------


@dataclass
class _Guarded:
    """A count whose rule must hold: a withheld cell, or a small piece of a released number."""

    row: sparse.csr_array
    value: int
    reason: Reason
    threshold: int
    organisations: frozenset[str]
    name: str


class _Protection:
    def __init__(
        self,
        hidden: _Hidden,
        truth: np.ndarray,
        entries: Sequence[tuple[str, Labels, Box]],
        threshold: int,
        sensitive: Collection[str],
        earlier: Sequence[Released],
        insiders: Collection[str],
        deadline: float | None,
    ) -> None:
        self.hidden, self.truth = hidden, truth
        self.entries = entries
        self.threshold = threshold
        self.sensitive = frozenset(sensitive)
        self.deadline = deadline
        self.exposed_before: list[str] = []
        # The new release's distinct cells, in order of first appearance.
        self.boxes = list(dict.fromkeys(b for _t, _l, b in entries))
        self.names = {}
        for table, labels, box in entries:
            self.names.setdefault(box, f"{table} {labels}")
        self.rows = [hidden.row(b) for b in self.boxes]
        self.values = np.array([round(_dot(r, truth)) for r in self.rows], dtype=np.int64)
        self.reasons: dict[int, Reason] = {}
        for i, box in enumerate(self.boxes):
            reason = self._primary(box, int(self.values[i]), threshold, self.sensitive)
            if reason:
                self.reasons[i] = reason
        self.earlier = earlier
        known = [r for r in earlier if r.value is not None or r.lower or r.upper is not None]
        self.known_rows = [hidden.row(r.box) for r in known]
        intervals = np.array([r.interval() for r in known], dtype=float).reshape(-1, 2)
        self.known_low, self.known_high = intervals[:, 0], intervals[:, 1]
        fits = [
            lo - 0.5 <= _dot(row, truth) <= hi + 0.5
            for row, lo, hi in zip(self.known_rows, self.known_low, self.known_high, strict=True)
        ]
        if not all(fits):
            raise DisclosureCheckFailed(
                "numbers released earlier do not match the stored counts of their revision"
            )
        owner = hidden.organisation_of() if hidden.size else np.empty(0, dtype=object)
        self.owner = owner
        self.insiders = sorted(set(insiders) & set(owner))
        self.guarded_earlier = [
            _Guarded(
                hidden.row(r.box),
                round(_dot(hidden.row(r.box), truth)),
                Reason(r.reason),
                r.threshold,
                frozenset(o for o, _y, _r in r.box.strata),
                f"an earlier {r.box.space} cell",
            )
            for r in earlier
            if r.value is None and r.reason is not None
        ]
        self.pieces = self._pieces()
        # Hidden tables the attacker cannot rule out, per attacker: each a witness that some
        # value is possible. They stay possible as more is withheld.
        self.pools: dict[str | None, list[np.ndarray]] = {}

    def _primary(self, box: Box, value: int, threshold: int, sensitive: Collection[str]):
        if 0 < value < threshold:
            return Reason.PRIMARY
        for variable, category in box.where:
            if variable in sensitive and value:
                group = Box(box.space, box.where - {(variable, category)}, box.strata)
                if round(_dot(self.hidden.row(group), self.truth)) == value:
                    return Reason.GROUP
        return None

    def _pieces(self) -> list[_Guarded]:
        """Small counts of one organisation, year and slice inside any released number."""
        rules: dict[tuple, tuple[int, frozenset[str]]] = {}
        new = [(b, self.threshold, self.sensitive) for b in self.boxes]
        old = [(r.box, r.threshold, r.sensitive) for r in self.earlier]
        for box, threshold, sensitive in new + old:
            for part in self.hidden.parts(box):
                key = (box.space, box.where, part)
                had = rules.get(key, (0, frozenset()))
                rules[key] = (max(had[0], threshold), had[1] | sensitive)
        pieces = []
        for (space, where, part), (threshold, sensitive) in rules.items():
            row = self.hidden.part_row(space, where, part)
            value = round(_dot(row, self.truth))
            reason = None
            if 0 < value < threshold:
                reason = Reason.PRIMARY
            elif value and sensitive:
                for variable, category in where:
                    if variable in sensitive:
                        group = self.hidden.part_row(space, where - {(variable, category)}, part)
                        if round(_dot(group, self.truth)) == value:
                            reason = Reason.GROUP
            if reason:
                organisation, year, (revision, sign) = part
                what = ", ".join(f"{v}={c}" for v, c in sorted(where)) or "total"
                step = "" if not revision else f", {'+' if sign > 0 else '-'}revision {revision}"
                name = f"{space} {what} of {organisation or 'the release'} {year}{step}"
                pieces.append(
                    _Guarded(row, value, reason, threshold, frozenset({organisation}), name)
                )
        return pieces

    def run(self) -> dict[tuple[str, Labels], Cell]:
        models = [None, *self.insiders]
        changed = True
        while changed:
            withheld = len(self.reasons)
            for insider in models:
                self._protect_against(insider)
            changed = len(self.reasons) != withheld
        index = {box: i for i, box in enumerate(self.boxes)}
        cells = {}
        for table, labels, box in self.entries:
            i = index[box]
            reason = self.reasons.get(i)
            cells[table, labels] = Cell(None, reason) if reason else Cell(int(self.values[i]))
        return cells

    def _protect_against(self, insider: str | None) -> None:
        """Withhold new cells until every guarded count keeps its rule for this attacker: the
        public (None), or an organisation that knows its own data exactly."""
        lower, upper = self.hidden.lower.copy(), self.hidden.upper.copy()
        if insider is not None:
            own = self.owner == insider
            lower[own] = upper[own] = self.truth[own]
        solver = _Solver(self.hidden, lower, upper, self.deadline)
        solver.fix(self.known_rows, self.known_low, self.known_high)
        published = np.ones(len(self.boxes), dtype=bool)
        published[list(self.reasons)] = False
        start = solver.fixed.shape[0]
        solver.fix(
            [r for r, p in zip(self.rows, published, strict=True) if p],
            self.values[published].astype(float),
            self.values[published].astype(float),
        )
        # Which fixed row is which new cell (the soft rows the move may let go of).
        cell_of = np.full(solver.fixed.shape[0], -1)
        cell_of[start:] = np.flatnonzero(published)
        pool = self.pools.setdefault(insider, _Pool(self.truth))
        guarded = self._guarded(insider)
        self._cover(guarded, pool, solver)
        done = 0
        while done < len(guarded):
            cell = guarded[done]
            done += 1
            for low, high in _targets(cell, pool.seen(cell.row)):
                witness = solver.feasible(cell.row, low, high, self.truth)
                if witness is not None:
                    pool.add(witness)
                    continue
                if cell.reason is Reason.SECONDARY:
                    least, most = solver.bounds(cell.row)
                    if most is None or most - least >= cell.threshold:
                        continue
                weight = np.where(cell_of >= 0, self.values[np.maximum(cell_of, 0)] + 1.0, 0.0)
                moved = solver.move(cell.row, low, high, cell_of >= 0, weight, self.truth)
                if moved is None:
                    self.exposed_before.append(cell.name)
                    break
                let_go, witness = moved
                for j in cell_of[let_go]:
                    self.reasons[int(j)] = Reason.SECONDARY
                    if insider is None:
                        guarded.append(self._withheld(int(j)))
                keep = np.ones(solver.fixed.shape[0], dtype=bool)
                keep[let_go] = False
                solver.release(keep)
                cell_of = cell_of[keep]
                pool.add(witness)

    def _cover(self, guarded: list[_Guarded], pool: _Pool, solver: _Solver) -> None:
        """A few tables that each show many guarded counts can be 0 (or large), before the
        counts are taken one by one."""
        for low in (True, False):
            for _round in range(12):
                need = [
                    g
                    for g in guarded
                    if any((t[0] <= 0) == low for t in _targets(g, pool.seen(g.row)))
                ]
                if not need:
                    break
                rows = sparse.csr_array(sparse.vstack([g.row for g in need]))
                caps = None
                if not low:
                    caps = np.array(
                        [
                            g.threshold + (0 if g.reason is Reason.PRIMARY else g.value)
                            for g in need
                        ],
                        dtype=float,
                    )
                witness = solver.extreme(rows, caps, self.truth)
                if witness is None:
                    break
                pool.add(witness)
                met = sum(
                    not any((t[0] <= 0) == low for t in _targets(g, pool.seen(g.row))) for g in need
                )
                if not met:
                    break

    def _guarded(self, insider: str | None) -> list[_Guarded]:
        if insider is None:
            own = [self._withheld(i) for i in sorted(self.reasons)]
            return own + self.guarded_earlier + self.pieces
        return [p for p in self.pieces if insider not in p.organisations]

    def _withheld(self, i: int) -> _Guarded:
        box = self.boxes[i]
        return _Guarded(
            self.rows[i],
            int(self.values[i]),
            self.reasons[i],
            self.threshold,
            frozenset(o for o, _y, _r in box.strata),
            self.names[box],
        )


def _targets(cell: _Guarded, seen: np.ndarray) -> list[tuple[float, float]]:
    """Values the attacker must not be able to exclude that no witness shows yet."""
    value, threshold = cell.value, cell.threshold
    if cell.reason is Reason.PRIMARY:
        return [
            target
            for target, shown in (
                ((0, 0), (seen <= 0.5).any()),
                ((threshold, np.inf), (seen >= threshold - 0.5).any()),
            )
            if not shown
        ]
    if cell.reason is Reason.GROUP:
        return [] if (seen <= value - threshold + 0.5).any() else [(0, value - threshold)]
    if seen.max() - seen.min() >= threshold - 0.5:
        return []
    return [(value + threshold, np.inf)]
