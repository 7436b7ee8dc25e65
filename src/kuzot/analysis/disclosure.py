"""Disclosure control for the frequency tables a coalition publishes.

Every table that leaves the organisation goes through :func:`protect`:

* primary suppression: a cell (margins and totals included) counting 1 to ``threshold - 1``
  cases is withheld; so is a non-zero cell that makes up its whole group on a *sensitive*
  dimension ("all 7 victims in region X were women"), when the caller names that dimension;
* complementary (secondary) suppression: further cells are withheld, jointly across every table
  of the release, until no withheld cell can be worked out from what is published;
* optional rounding of every published number to a base.

"Worked out" is judged the way an attacker would: the published tables are sums over one hidden
table of non-negative whole numbers (the cross-classification of every variable that appears),
and integer linear programming gives the least and greatest value each withheld cell can take.
A small cell is protected when that range covers 0 to ``threshold`` (the attacker can tell
neither that anyone is in it nor that fewer than ``threshold`` are); any other withheld cell when
the range is at least ``threshold`` wide. :func:`audit` runs the attack on a published release.

The rules are explained for coordinators and statisticians in ``docs/disclosure.md``.
"""

import enum
import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

Labels = tuple[str | None, ...]  # one category per dimension; None is the total over it
Key = frozenset[tuple[str, str]]  # what a cell counts: {(variable, category), ...}
# {(child, parent): {child category: parent category}}, e.g. {("region", "country"): {...}}
Nesting = Mapping[tuple[str, str], Mapping[str, str]]

MARKER = "–"


class Reason(enum.StrEnum):
    """Why a cell is withheld. For the organisation's records only: never publish it."""

    PRIMARY = "primary"  # fewer than `threshold` cases
    GROUP = "group"  # the whole group shares a sensitive attribute
    SECONDARY = "secondary"  # withheld so that the cells above cannot be worked out


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
        return sorted(
            itertools.product(*[(*c, None) for c in self.categories]),
            key=lambda labels: sum(label is None for label in labels),
        )

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


class _Release:
    """The cells of a set of tables as sums over the hidden cross-classification (the cube)."""

    def __init__(self, tables: Sequence[Table] | Sequence[ProtectedTable], nested: Nesting) -> None:
        variables: dict[str, list[str]] = {}
        for table in tables:
            for dim, categories in zip(table.dims, table.categories, strict=True):
                known = variables.setdefault(dim, [])
                known.extend(c for c in categories if c not in known)
            for variable, category in table.scope.items():
                known = variables.setdefault(variable, [])
                if category not in known:
                    known.append(category)
        self.keys: list[Key] = list(
            dict.fromkeys(table.key(labels) for table in tables for labels in table.labels())
        )
        position = {name: i for i, name in enumerate(variables)}
        code = {name: {c: i for i, c in enumerate(cats)} for name, cats in variables.items()}
        coords = np.indices([len(c) for c in variables.values()]).reshape(len(variables), -1)
        for (child, parent), parents in nested.items():
            if child in variables and parent in variables:
                parent_of = np.array([code[parent][parents[c]] for c in variables[child]])
                coords = coords[:, parent_of[coords[position[child]]] == coords[position[parent]]]
        self.size = coords.shape[1]
        rows, cols = [], []
        for row, key in enumerate(self.keys):
            mask = np.ones(self.size, dtype=bool)
            for variable, category in key:
                mask &= coords[position[variable]] == code[variable][category]
            members = np.flatnonzero(mask)
            rows.append(np.full(members.size, row))
            cols.append(members)
        self.matrix = sparse.csr_array(
            (np.ones(sum(c.size for c in cols)), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(self.keys), self.size),
        )

    def bounds(
        self, cell: int, published: np.ndarray, lower: np.ndarray, upper: np.ndarray
    ) -> tuple[int, int | None]:
        """Least and greatest whole value of ``cell`` given the published cells' ranges."""
        # Hidden counts inside a published 0 are 0: leave them out, and the 0s with them.
        zeros = published & (upper == 0)
        free = np.asarray(self.matrix[zeros].sum(axis=0)).ravel() == 0
        rows = published & ~zeros
        known = self.matrix[rows][:, free]
        constraint = LinearConstraint(known, lower[rows], upper[rows])
        objective = self.matrix[[cell]][:, free].toarray().ravel()
        if not objective.any():
            return 0, 0
        covered = np.asarray(known.sum(axis=0)).ravel() > 0
        least = self._solve(objective, constraint)
        if not covered[objective > 0].all():
            return least, None
        return least, -self._solve(-objective, constraint)

    def check(self, values: np.ndarray) -> None:
        """Raise ValueError unless some hidden table gives exactly these cell values."""
        self._solve(np.zeros(self.size), LinearConstraint(self.matrix, values, values))

    def _solve(self, objective: np.ndarray, constraint: LinearConstraint) -> int:
        result = milp(
            objective,
            integrality=np.ones(objective.size),
            bounds=Bounds(0, np.inf),
            constraints=constraint if constraint.A.shape[0] else (),
        )
        if result.status != 0:
            raise ValueError(f"the tables do not describe one set of cases ({result.message})")
        return round(result.fun)

    def move(
        self, cell: int, published: np.ndarray, values: np.ndarray, target: tuple[float, float]
    ) -> np.ndarray:
        """Cheapest published cells to withhold so that ``cell`` could lie in ``target``.

        Finds hidden counts with ``cell`` in ``target`` that disagree with as little of the
        published release as possible, each unit of disagreement on a cell costing its value
        plus one (small cells are cheap to withhold, totals dear). The cells it disagrees with
        are returned; once they are withheld, the attacker can no longer exclude ``target``.
        """
        known = np.flatnonzero(published)
        weight = values[known] + 1.0
        n = known.size
        slack = sparse.hstack([sparse.eye_array(n), -sparse.eye_array(n)])
        agree = LinearConstraint(
            sparse.hstack([self.matrix[known], -slack]), values[known], values[known]
        )
        reach = LinearConstraint(
            sparse.hstack([self.matrix[[cell]], sparse.csr_array((1, 2 * n))]), *target
        )
        result = milp(
            np.concatenate([np.zeros(self.size), weight, weight]),
            integrality=np.concatenate([np.ones(self.size), np.zeros(2 * n)]),
            bounds=Bounds(0, np.inf),
            constraints=[agree, reach],
        )
        if result.status != 0:
            raise ValueError(f"no way to protect a cell ({result.message})")
        changed = result.x[self.size : self.size + n] + result.x[self.size + n :] > 0.5
        return known[changed]


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
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if rounding_base is not None and not 2 <= rounding_base <= 2 * threshold:
        raise ValueError("rounding_base must be between 2 and twice the threshold")
    if not tables:
        return []
    nested = dict(nested or {})
    release = _Release(tables, nested)
    index = {key: i for i, key in enumerate(release.keys)}
    values = np.full(len(index), -1, dtype=np.int64)
    reasons: dict[int, Reason] = {}
    for table in tables:
        for labels in table.labels():
            i, value = index[table.key(labels)], table.value(labels)
            if values[i] not in (-1, value):
                raise ValueError(f"{table.name}: {labels} disagrees with another table")
            values[i] = value
            reason = _primary(table, labels, value, threshold, sensitive)
            if reason and i not in reasons:
                reasons[i] = reason
    release.check(values)

    # Withholding more only widens intervals, and each move makes its target reachable for good:
    # a cell checked (and, if need be, moved) once stays protected. Cells are taken in order,
    # those withheld along the way included.
    checked: set[int] = set()
    while unchecked := sorted(set(reasons) - checked):
        i = unchecked[0]
        checked.add(i)
        published = np.ones(len(index), dtype=bool)
        published[list(reasons)] = False
        lower, upper = release.bounds(i, published, values, values)
        for target in _targets(reasons[i], values[i], lower, upper, threshold):
            for j in release.move(i, published, values, target):
                reasons[j] = Reason.SECONDARY
                published[j] = False

    def cell(value: int, reason: Reason | None) -> Cell:
        if reason:
            return Cell(None, reason)
        if rounding_base:
            value = (value + rounding_base // 2) // rounding_base * rounding_base
        return Cell(value)

    return [
        ProtectedTable(
            name=table.name,
            dims=table.dims,
            categories=table.categories,
            scope=table.scope,
            cells={
                labels: cell(table.value(labels), reasons.get(index[table.key(labels)]))
                for labels in table.labels()
            },
            threshold=threshold,
            rounding_base=rounding_base,
            nested=nested,
        )
        for table in tables
    ]


def _primary(
    table: Table, labels: Labels, value: int, threshold: int, sensitive: Collection[str]
) -> Reason | None:
    if 0 < value < threshold:
        return Reason.PRIMARY
    for d, (dim, label) in enumerate(zip(table.dims, labels, strict=True)):
        group = (*labels[:d], None, *labels[d + 1 :])
        if value and dim in sensitive and label is not None and table.value(group) == value:
            return Reason.GROUP
    return None


def _targets(
    reason: Reason, value: int, lower: int, upper: int | None, threshold: int
) -> list[tuple[float, float]]:
    """Values the attacker must not be able to exclude, for each rule the cell now fails."""
    if reason is Reason.PRIMARY:
        targets = []
        if lower > 0:
            targets.append((0, 0))
        if upper is not None and upper < threshold:
            targets.append((threshold, np.inf))
        return targets
    wide = upper is None or upper - lower >= threshold
    if reason is Reason.GROUP:
        return [] if wide else [(0, value - threshold)]
    return [] if wide else [(value + threshold, np.inf)]


def audit(published: Sequence[ProtectedTable]) -> list[CellInterval]:
    """The attacker's view: the range each withheld cell can take, given everything published.

    Uses only what is published, plus the rules themselves: a published number is the true
    count rounded as stated, and is never a count between 1 and ``threshold - 1``.
    """
    if not published:
        return []
    release = _Release(published, published[0].nested)
    index = {key: i for i, key in enumerate(release.keys)}
    lower = np.zeros(len(index))
    upper = np.zeros(len(index))
    shown = np.zeros(len(index), dtype=bool)
    for table in published:
        for labels, cell in table.cells.items():
            if cell.value is not None:
                i = index[table.key(labels)]
                shown[i] = True
                lower[i], upper[i] = _preimage(cell.value, table.threshold, table.rounding_base)
    found: dict[int, tuple[int, int | None]] = {}
    intervals = []
    for table in published:
        for labels, cell in table.cells.items():
            if cell.value is None:
                i = index[table.key(labels)]
                if i not in found:
                    found[i] = release.bounds(i, shown, lower, upper)
                intervals.append(CellInterval(table.name, labels, *found[i]))
    return intervals


def _preimage(value: int, threshold: int, base: int | None) -> tuple[int, int]:
    """The true counts that could have been published as ``value``."""
    low, high = (value, value) if not base else (value - base // 2, value + (base - 1) // 2)
    low = max(low, 0)
    if 0 < low < threshold:
        low = threshold
    if high < threshold:
        high = 0
    return low, high
