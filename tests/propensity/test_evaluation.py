"""Tests of crmlab.propensity.evaluation: metrics, gains, lift, calibration, ROC and PR tables."""

from __future__ import annotations

import numpy as np
import pytest

from crmlab import propensity as P
from crmlab.core.errors import InputError, ParameterError
from tests.conftest import zh_message


def test_gains_table_by_hand() -> None:
    y = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]
    g = P.gains_table(y, score, bins=5)
    assert g["customers"].tolist() == [2, 2, 2, 2, 2]
    assert g["responders"].tolist() == [1, 1, 0, 0, 1]
    np.testing.assert_allclose(g["lift"], [0.5 / 0.3, 0.5 / 0.3, 0, 0, 0.5 / 0.3])
    np.testing.assert_allclose(g["cum_responders_share"], [1 / 3, 2 / 3, 2 / 3, 2 / 3, 1])
    np.testing.assert_allclose(g["cum_lift"].iloc[1], (2 / 3) / 0.4)
    # 20 cases, positives exactly the top two: top decile holds 2 of 2 -> lift 10
    assert P.top_decile_lift([1, 1] + [0] * 18, np.arange(20)[::-1]) == pytest.approx(10.0)
    with pytest.raises(InputError, match="0/1"):
        P.gains_table([2, 0], [0.1, 0.2])


def test_gains_and_lift_on_a_hand_made_example() -> None:
    # 20 customers, 4 responders; scores sorted high to low; 5 bins of 4 customers.
    y = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    score = list(range(20, 0, -1))
    gains = P.gains_table(y, score, bins=5)
    assert gains["responders"].tolist() == [2, 1, 1, 0, 0]
    # Overall rate 4/20 = 0.2; bin 1 rate 2/4 = 0.5 -> lift 2.5; bin 2 rate 0.25 -> lift 1.25.
    assert gains["lift"].tolist() == pytest.approx([2.5, 1.25, 1.25, 0.0, 0.0])
    assert gains["cum_responders_share"].tolist() == pytest.approx([0.5, 0.75, 1.0, 1.0, 1.0])
    assert gains["cum_lift"].tolist() == pytest.approx([2.5, 1.875, 1 / 0.6, 1.25, 1.0])


def test_calibration_table() -> None:
    y = [0, 0, 1, 1]
    c = P.calibration_table(y, [0.1, 0.2, 0.7, 0.9], bins=2)
    assert c["bin"].tolist() == [1, 2]
    np.testing.assert_allclose(c["mean_score"], [0.15, 0.8])
    np.testing.assert_allclose(c["observed_rate"], [0.0, 1.0])


def test_tables_for_charts() -> None:
    y = np.array([0, 1, 0, 1, 1, 0, 0, 0])
    scores = {"logistic": np.linspace(0, 1, 8), "tree": np.linspace(1, 0, 8)}
    roc = P.roc_table(y, scores)
    assert set(roc["model"]) == {"logistic", "tree"}
    assert roc.groupby("model")["auc"].first()["tree"] == pytest.approx(
        1 - roc.groupby("model")["auc"].first()["logistic"]
    )
    stacked = P.stack({"a": P.gains_table(y, scores["logistic"], bins=4)})
    assert stacked.columns[0] == "model"
    pr = P.pr_table(y, scores)
    assert pr["base_rate"].iloc[0] == pytest.approx(3 / 8)
    metrics = P.evaluate(y, scores)
    assert list(metrics.columns) == ["model", "roc_auc", "pr_auc", "top_decile_lift", "brier"]
    assert metrics["brier"].iloc[0] == pytest.approx(np.mean((scores["logistic"] - y) ** 2))


@pytest.mark.parametrize(
    ("error", "call"),
    [
        (InputError, lambda: P.gains_table([0, 1], [0.1])),
        (InputError, lambda: P.gains_table([], [])),
        (InputError, lambda: P.gains_table([2, 0], [0.1, 0.2])),
        (InputError, lambda: P.gains_table([1, 0], [np.nan, 0.2])),
        (ParameterError, lambda: P.gains_table([1, 0], [0.3, 0.2], bins=0)),
    ],
)
def test_errors_read_in_chinese(error: type, call) -> None:
    zh_message(call, error)
