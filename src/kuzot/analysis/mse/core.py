"""The two types every estimator shares: capture histories in, an estimate with its interval out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class CaptureHistories:
    """Aggregated capture histories of J lists.

    ``patterns`` is an (m, J) array of 0/1 (no all-zero row: those people were never seen),
    ``counts`` the number of observed people with each pattern.
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray

    def __post_init__(self) -> None:
        patterns = np.asarray(self.patterns, dtype=np.int8)
        counts = np.asarray(self.counts, dtype=np.int64)
        if patterns.ndim != 2 or patterns.shape[1] != len(self.lists):
            raise ValueError("patterns must have one column per list")
        if patterns.shape[0] != counts.shape[0]:
            raise ValueError("patterns and counts must have the same length")
        if ((patterns != 0) & (patterns != 1)).any():
            raise ValueError("patterns must be 0/1")
        if (patterns.sum(axis=1) == 0).any():
            raise ValueError("a capture history with no list is not an observation")
        if (counts < 0).any():
            raise ValueError("counts cannot be negative")
        object.__setattr__(self, "patterns", patterns)
        object.__setattr__(self, "counts", counts)

    @property
    def n_observed(self) -> int:
        return int(self.counts.sum())

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    def list_totals(self) -> dict[str, int]:
        totals = (self.patterns * self.counts[:, None]).sum(axis=0)
        return {name: int(t) for name, t in zip(self.lists, totals, strict=True)}

    @classmethod
    def from_memberships(
        cls, memberships: Iterable[Iterable[str]], lists: Sequence[str] | None = None
    ) -> CaptureHistories:
        """One iterable of list names per observed person (e.g. the sources of a linked cluster)."""
        rows = [frozenset(m) for m in memberships]
        names = tuple(lists) if lists is not None else tuple(sorted(set().union(*rows)))
        tally = Counter(tuple(int(n in row) for n in names) for row in rows if row)
        return cls.from_counts(names, tally)

    @classmethod
    def from_counts(
        cls, lists: Sequence[str], counts: Mapping[tuple[int, ...], int]
    ) -> CaptureHistories:
        """``{(1, 0, 1): 12, ...}``; zero counts and the all-zero pattern are dropped."""
        items = sorted((p, c) for p, c in counts.items() if c and any(p))
        patterns = np.array([p for p, _ in items], dtype=np.int8).reshape(-1, len(lists))
        return cls(tuple(lists), patterns, np.array([c for _, c in items], dtype=np.int64))


@dataclass(frozen=True)
class Estimate:
    """A population-size estimate: ``estimate`` is the MLE or the posterior median.

    ``warnings`` say, in plain words, why the number may not be trusted (a chain that did not
    converge, a fit that did not); ``diagnostics`` are the numbers behind them (R-hat, ...).
    ``draws`` (not serialised) are draws of N from the posterior or the bootstrap, from which
    totals over strata are formed.
    """

    method: str
    estimate: float
    lower: float
    upper: float
    n_observed: int
    level: float = 0.95
    details: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    diagnostics: dict = field(default_factory=dict)
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "estimate": round(self.estimate, 1),
            "lower": round(self.lower, 1),
            "upper": round(self.upper, 1),
            "level": self.level,
            "n_observed": self.n_observed,
            "warnings": list(self.warnings),
            **({"diagnostics": self.diagnostics} if self.diagnostics else {}),
            **({"details": self.details} if self.details else {}),
        }
