"""A method that cannot run on degenerate lists says why in words, not with Python's bare
"division by zero" or "math domain error"."""

from kuzot.analysis.mse.core import CaptureHistories
from kuzot.analysis.mse.histories import Stratum
from kuzot.analysis.mse.report import estimate_strata


def test_everyone_on_every_list_gets_a_reason():
    h = CaptureHistories.from_counts(["a", "b", "c"], {(1, 1, 1): 3})
    report = estimate_strata([Stratum((), h, ())], ["lcmcr"])
    error = report["strata"][0]["estimates"]["lcmcr"]["error"]
    assert error.startswith("cannot be computed on these lists: too few people, or everyone")
