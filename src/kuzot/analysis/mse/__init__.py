"""Multiple systems estimation (capture-recapture) of how many cases were never documented."""

from kuzot.analysis.mse.core import CaptureHistories, Estimate

__all__ = ["CaptureHistories", "Estimate"]
