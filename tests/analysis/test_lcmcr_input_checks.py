"""LCMCR refuses what the R package refuses, and tables it cannot identify."""

import pytest

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.lcmcr import estimate_lcmcr

SHORT = {"burnin": 100, "samples": 10, "thinning": 2}


def test_a_list_with_no_record_is_refused_by_name():
    h = CaptureHistories.from_counts(
        ("A", "B", "C", "D"), {(1, 0, 0, 0): 5, (0, 1, 0, 0): 4, (1, 1, 1, 0): 2}
    )

    with pytest.raises(ValueError, match="D"):
        estimate_lcmcr(h, **SHORT)


def test_two_lists_are_not_enough():
    h = CaptureHistories.from_counts(("A", "B"), {(1, 0): 5, (0, 1): 4, (1, 1): 2})

    with pytest.raises(ValueError, match="at least 3 lists"):
        estimate_lcmcr(h, **SHORT)


@pytest.mark.parametrize("bad", [{"K": 0}, {"samples": 0}, {"thinning": 0}, {"burnin": -1}])
def test_sampler_settings_must_make_sense(bad):
    h = CaptureHistories.from_counts(
        ("A", "B", "C"), {(1, 0, 0): 5, (0, 1, 0): 4, (0, 0, 1): 3, (1, 1, 0): 2}
    )

    with pytest.raises(ValueError, match="need K"):
        estimate_lcmcr(h, **{**SHORT, **bad})


def test_small_truncation_levels_work():
    h = CaptureHistories.from_counts(
        ("A", "B", "C"), {(1, 0, 0): 50, (0, 1, 0): 40, (0, 0, 1): 30, (1, 1, 0): 12, (1, 1, 1): 4}
    )

    for k in (1, 2, 4):
        estimate = estimate_lcmcr(h, K=k, **SHORT)
        assert h.n_observed <= estimate.lower <= estimate.estimate <= estimate.upper
