"""Kosovo 1999 (4 lists, n = 4,400) through the log-linear models, against stats.md B.1 / E.

* Ball et al. (2002) model [EXH.ABA.OSCE][EXH.HRW][OSCE.HRW]: 10,356.5 (SE 785.9), Rcapture
  profile 95 % interval 8,994 - 12,110 (published interval 9,002 - 12,122).
* SparseMSE stepwise (p = 0.02): 14,341.66, model [12,13,14,23,34].
* Rcapture ``closedp.t``: M0 7,608.4 (SE 136.6, deviance 1104.002 / 13 df),
  Mt 7,394.6 (SE 129.6, deviance 245.939 / 10 df).
"""

import pytest

from kuzot.analysis.mse.datasets import kosovo_aggregate
from kuzot.analysis.mse.loglinear import estimate_closed, estimate_loglinear, fit_loglinear

BALL_MODEL = [("EXH", "ABA", "OSCE"), ("EXH", "HRW"), ("OSCE", "HRW")]


def test_the_table_is_kosovo_aggregate():
    h = kosovo_aggregate()
    assert h.n_observed == 4400
    assert h.list_totals() == {"EXH": 1910, "ABA": 1528, "OSCE": 1786, "HRW": 685}


def test_ball_et_al_model_with_rcapture_profile_interval():
    est = fit_loglinear(kosovo_aggregate(), BALL_MODEL)
    assert est.estimate == pytest.approx(10356.5, abs=0.1)
    assert est.details["stderr"] == pytest.approx(785.9, abs=0.1)
    assert est.details["deviance"] == pytest.approx(9.32, abs=0.01)
    assert est.details["df"] == 4
    assert est.lower == pytest.approx(8994, abs=1)
    assert est.upper == pytest.approx(12110, abs=1)
    # and close to the interval published from Ball's ICTY testimony
    assert est.lower == pytest.approx(9002, rel=0.002)
    assert est.upper == pytest.approx(12122, rel=0.002)


def test_sparsemse_stepwise_on_kosovo():
    est = estimate_loglinear(kosovo_aggregate())
    assert est.estimate == pytest.approx(14341.66, abs=0.01)
    pairs = {tuple(p) for p in est.details["interactions"]}
    assert pairs == {
        ("EXH", "ABA"), ("EXH", "OSCE"), ("EXH", "HRW"), ("ABA", "OSCE"), ("OSCE", "HRW"),
    }


@pytest.mark.parametrize(
    ("model", "n_hat", "stderr", "deviance", "df"),
    [("M0", 7608.4, 136.6, 1104.002, 13), ("Mt", 7394.6, 129.6, 245.939, 10)],
)
def test_rcapture_closed_models(model, n_hat, stderr, deviance, df):
    est = estimate_closed(kosovo_aggregate(), model)
    assert est.estimate == pytest.approx(n_hat, abs=0.05)
    assert est.details["stderr"] == pytest.approx(stderr, abs=0.05)
    assert est.details["deviance"] == pytest.approx(deviance, abs=0.001)
    assert est.details["df"] == df
    assert est.lower < est.estimate < est.upper
