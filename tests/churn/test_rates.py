"""Tests of crmlab.churn.rates: churn rate overall, per segment and per period."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.churn import SEGMENT_CHURN


def test_planted_churn_rates_are_recovered(synthetic: pd.DataFrame) -> None:
    rate = churn.churn_rate(churn.churn_status(synthetic), segment_col="segment")
    by_segment = rate.by_segment.set_index("segment")["rate"]
    for segment, planted in SEGMENT_CHURN.items():
        assert by_segment[segment] == pytest.approx(planted, abs=0.001)
    assert rate.rate == pytest.approx(0.1225)


def test_total_customers_for_a_list_of_churners() -> None:
    dates = pd.to_datetime(["2024-01-15"] * 10 + ["2024-02-15"] * 20)
    listed = pd.DataFrame({"reason": ["x"] * 30, "churn_date": dates, "segment": ["a", "b"] * 15})
    status = churn.mark_churn(listed, definition="list")
    rate = churn.churn_rate(status, total_customers=600, segment_col="segment")
    assert rate.rate == 0.05
    assert rate.by_segment is None  # the segments of the 570 customers not listed are unknown
    periods = churn.churn_by_period(status, freq="M", total_customers=600)
    assert periods["at_risk"].tolist() == [600, 590]
    assert periods["rate"].tolist() == pytest.approx([10 / 600, 20 / 590])
    with pytest.raises(ParameterError, match="total_customers"):
        churn.churn_rate(status, total_customers=10)


def test_churn_by_period_hand_computed() -> None:
    df = pd.DataFrame(
        {
            "churned": [1, 1, 1, 0],
            "churn_date": pd.to_datetime(["2024-01-05", "2024-02-20", "2024-02-21", None]),
        }
    )
    periods = churn.churn_by_period(churn.churn_status(df), freq="M")
    assert periods["period"].tolist() == ["2024-01", "2024-02"]
    assert periods["at_risk"].tolist() == [4, 3]
    assert periods["churned"].tolist() == [1, 2]
    assert periods["rate"].tolist() == pytest.approx([0.25, 2 / 3])


def test_planted_price_rise_shows_in_2025q1(synthetic: pd.DataFrame) -> None:
    periods = churn.churn_by_period(churn.churn_status(synthetic), start_col="signup_date").set_index("period")
    assert periods["rate"].idxmax() == "2025Q1"
    assert periods.loc["2025Q1", "rate"] > 2 * periods["rate"].drop("2025Q1").max()


def test_period_errors() -> None:
    status = churn.churn_status(pd.DataFrame({"churned": [1, 0], "churn_date": ["2024-01-05", None]}))
    with pytest.raises(ParameterError, match="'W-XYZ'"):
        churn.churn_by_period(status, freq="W-XYZ")
    with pytest.raises(InputError, match="signup"):
        churn.churn_by_period(status, start_col="signup")
    with pytest.raises(InputError, match="churn_date_col"):
        churn.churn_by_period(churn.churn_status(pd.DataFrame({"churned": [1, 0]}), churn_date_col=None))
