from __future__ import annotations

import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.growth import prepare_purchases
from tests.growth.frames import COHORT_ROWS, lines


def test_orders_periods_and_completeness():
    p = prepare_purchases(lines(COHORT_ROWS))
    assert len(p.orders) == 10 and p.orders["amount"].sum() == 10
    assert [p.label(x) for x in range(p.first_period, p.last_period + 1)] == ["2024-01", "2024-02", "2024-03"]
    assert all(p.complete(x) for x in range(p.first_period, p.last_period + 1))
    assert p.last_complete == p.last_period
    cut = prepare_purchases(lines(COHORT_ROWS), as_of="2024-03-15")
    assert not cut.complete(cut.last_period) and cut.last_complete == cut.last_period - 1
    assert len(cut.orders) == 8  # the two March purchases after the 15th are left out


def test_categories_are_the_product_lines_when_given_else_items():
    tx = lines(COHORT_ROWS[:3], item=["x", "y", "z"]).assign(category=["tea", "tea", "cups"])
    assert prepare_purchases(tx).lines["line"].nunique() == 2
    assert prepare_purchases(tx, category_col="").lines["line"].nunique() == 3
    assert prepare_purchases(tx.drop(columns="category")).line_col == "item_id"


def test_quarters_and_weeks():
    tx = lines(COHORT_ROWS)
    quarters = prepare_purchases(tx, period="quarter")
    assert quarters.label(quarters.first_period) == "2024Q1"
    weeks = prepare_purchases(tx, period="week")
    assert weeks.label(weeks.first_period) == "2024-01-01"  # weeks start on Monday


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="period"):
        prepare_purchases(lines(COHORT_ROWS), period="year")
    with pytest.raises(InputError, match="amount"):
        prepare_purchases(lines(COHORT_ROWS).drop(columns="amount"))
    with pytest.raises(InputError):
        prepare_purchases(lines(COHORT_ROWS), as_of=pd.Timestamp("2023-01-01"))
