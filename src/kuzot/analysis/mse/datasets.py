"""Benchmark capture-history tables with published estimates (see docs/mse.md).

Counts are copied from the R package data files as quoted in the shared research notes:
``kosovo_aggregate`` (LCMCR; identical to MultipleSystemsEstimation ``Kosovo``) and
``UKdat`` (SparseMSE / MultipleSystemsEstimation).
"""

from __future__ import annotations

from kuzot.analysis.mse.core import CaptureHistories

_KOSOVO = {
    (1, 0, 0, 0): 1131,
    (0, 1, 0, 0): 845,
    (0, 0, 1, 0): 936,
    (0, 0, 0, 1): 306,
    (1, 1, 0, 0): 177,
    (1, 0, 1, 0): 228,
    (1, 0, 0, 1): 106,
    (0, 1, 1, 0): 217,
    (0, 1, 0, 1): 31,
    (0, 0, 1, 1): 123,
    (1, 1, 1, 0): 181,
    (1, 1, 0, 1): 18,
    (1, 0, 1, 1): 42,
    (0, 1, 1, 1): 32,
    (1, 1, 1, 1): 27,
}

_UK_2013 = {
    (1, 0, 0, 0, 0, 0): 54,
    (0, 1, 0, 0, 0, 0): 463,
    (0, 0, 1, 0, 0, 0): 907,
    (0, 0, 0, 1, 0, 0): 695,
    (0, 0, 0, 0, 1, 0): 316,
    (0, 0, 0, 0, 0, 1): 57,
    (1, 1, 0, 0, 0, 0): 15,
    (1, 0, 1, 0, 0, 0): 19,
    (1, 0, 0, 1, 0, 0): 3,
    (0, 1, 1, 0, 0, 0): 56,
    (0, 1, 0, 1, 0, 0): 19,
    (0, 1, 0, 0, 1, 0): 1,
    (0, 1, 0, 0, 0, 1): 3,
    (0, 0, 1, 1, 0, 0): 69,
    (0, 0, 1, 0, 1, 0): 10,
    (0, 0, 1, 0, 0, 1): 31,
    (0, 0, 0, 1, 1, 0): 8,
    (0, 0, 0, 1, 0, 1): 6,
    (0, 0, 0, 0, 1, 1): 1,
    (1, 1, 1, 0, 0, 0): 1,
    (1, 1, 0, 1, 0, 0): 1,
    (0, 1, 1, 1, 0, 0): 4,
    (0, 1, 1, 0, 0, 1): 3,
    (0, 0, 1, 1, 0, 1): 1,
    (1, 1, 1, 1, 0, 0): 1,
}


def kosovo_aggregate() -> CaptureHistories:
    """Killings in Kosovo, 20 March - 22 June 1999: 4 lists, 4,400 observed.

    EXH = exhumations, ABA = American Bar Association CEELI, OSCE, HRW = Human Rights Watch.
    """
    return CaptureHistories.from_counts(("EXH", "ABA", "OSCE", "HRW"), _KOSOVO)


def uk_modern_slavery_2013() -> CaptureHistories:
    """UK modern slavery, NCA 2013 assessment: 6 lists, 2,744 observed (SparseMSE ``UKdat``).

    LA = local authorities, NG = NGOs, PF = police forces, GO = government organisations,
    GP = general public, NCA = National Crime Agency.
    """
    return CaptureHistories.from_counts(("LA", "NG", "PF", "GO", "GP", "NCA"), _UK_2013)
