"""Tests of crmlab.churn.economics: profit lost, cost of defection, break-even budget, what-if."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab.core.errors import InputError, ParameterError


def test_worked_example_is_exact() -> None:
    e = churn.exit_economics(6000, 0.05, 1000, 0.10)
    assert e.n_lost == 300
    assert e.revenue_lost == 300_000
    assert e.profit_lost == 30_000
    assert churn.break_even_budget(e) == 30_000
    assert churn.break_even_budget(e, kept_share=0.5) == 15_000


def test_worked_example_from_customer_data() -> None:
    df = pd.DataFrame({"customer_id": [f"c{i}" for i in range(6000)], "churned": [1] * 300 + [0] * 5700})
    status = churn.churn_status(df, churn_date_col=None)
    assert churn.churn_rate(status).rate == 0.05
    costs = churn.exit_costs(status, revenue=1000, margin=0.10, expected_lifetime_years=2)
    assert (costs.n_lost, costs.revenue_lost, costs.profit_lost) == (300, 300_000, 30_000)
    assert costs.cost_of_defection == 60_000
    assert (costs.n_revenue_default, costs.n_margin_default) == (300, 300)


def test_retention_what_if_is_linear_in_kept_share() -> None:
    table = churn.retention_what_if(
        churn.exit_economics(6000, 0.05, 1000, 0.10), kept_shares=[0.2, 1.0], programme_cost=10_000
    )
    assert table["customers_kept"].tolist() == pytest.approx([60, 300])
    assert table["profit_saved"].tolist() == pytest.approx([6_000, 30_000])
    assert table["net_profit"].tolist() == pytest.approx([-4_000, 20_000])


def test_margin_outside_unit_interval() -> None:
    with pytest.raises(ParameterError, match="margin"):
        churn.exit_economics(6000, 0.05, 1000, 10)
    df = pd.DataFrame({"churned": [1, 1], "margin": [0.1, 15]})
    with pytest.raises(InputError, match="'margin'.*2: 15"):
        churn.exit_costs(df)


def test_empty_set_of_churners() -> None:
    df = pd.DataFrame({"churned": [0, 0], "reason": ["x", "y"]})
    with pytest.raises(InputError):
        churn.exit_costs(df)


def test_negative_and_out_of_range_parameters() -> None:
    with pytest.raises(ParameterError, match="revenue_per_customer"):
        churn.exit_economics(6000, 0.05, -1, 0.10)
    with pytest.raises(ParameterError, match="expected_lifetime_years"):
        churn.exit_costs(pd.DataFrame({"churned": [1]}), expected_lifetime_years=-1)
    with pytest.raises(ParameterError, match="kept_share"):
        churn.break_even_budget(churn.exit_economics(6000, 0.05, 1000, 0.10), kept_share=1.5)


def test_worked_example_table_in_both_languages() -> None:
    example = churn.exit_economics(6000, 0.05, 1000, 0.10)
    en = example.table("en").data
    assert en.columns.tolist() == ["Item", "Value"]
    assert en["Value"].tolist() == ["6,000", "5%", "300", "1,000", "300,000", "10%", "30,000"]
    assert example.table("zh").data["项目"].tolist()[-1] == "损失利润"
    assert "<th" in example.table("en").to_html() and "row0" in example.table("en").to_html()
