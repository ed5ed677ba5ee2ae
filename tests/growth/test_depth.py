from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import ParameterError
from crmlab.growth import prepare_purchases, relationship_depth
from tests.growth.frames import COHORT_ROWS, lines


def planted_cross_sell(seed: int = 0) -> pd.DataFrame:
    """300 customers buy tea in January and again in March; those who start with cups add two categories."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(300):
        first = "cups" if i < 100 else "tea"
        rows.append((f"c{i:03d}", "2024-01-10", first, 10.0))
        if i % 2 == 0:  # half come back in March
            later = ["pots", "spoons"] if first == "cups" else ["tea"]
            rows += [(f"c{i:03d}", "2024-03-10", item, 20.0) for item in later]
    rng.shuffle(rows)
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "invoice_id": [f"{r[0]}-{r[1]}" for r in rows],
            "item_id": [r[2] for r in rows],
            "category": [r[2] for r in rows],
            "amount": [r[3] for r in rows],
            "timestamp": pd.to_datetime([r[1] for r in rows]),
        }
    )


def test_planted_cross_sell_uptake_and_first_lines():
    depth = relationship_depth(prepare_purchases(planted_cross_sell(), as_of="2024-03-31"), min_customers=50)
    assert depth.measurable and depth.customers == 300 and depth.repeat == 150
    assert depth.adopters == 50 and depth.uptake == pytest.approx(1 / 3) and depth.uptake_all == pytest.approx(1 / 6)
    lines_by_tenure = depth.by_tenure.set_index("tenure")["lines"]
    assert lines_by_tenure[0] == 1 and lines_by_tenure[2] == pytest.approx(1 + 50 * 2 / 300)
    top = depth.first_lines.set_index("line")
    assert top.loc["cups", "new_lines"] == pytest.approx(1.0)  # 50 of 100 added two
    assert top.loc["tea", "new_lines"] == 0 and top.loc["cups", "came_back"] == pytest.approx(0.5)
    assert top.loc["cups", "index"] == pytest.approx(1.0 / (100 / 300))


def test_spend_per_order_over_tenure():
    depth = relationship_depth(prepare_purchases(planted_cross_sell(), as_of="2024-03-31"), min_customers=50)
    # later orders: 50 of 40 (pots and spoons) and 100 of 20 (tea); the median customer doubled (tea)
    assert depth.first_value == 10 and depth.later_value == pytest.approx(80 / 3)
    assert depth.value_change == pytest.approx(1.0)
    assert depth.by_tenure.set_index("tenure")["order_value"][2] == pytest.approx(80 / 3)


def test_one_product_line_is_not_measurable_but_spend_is():
    depth = relationship_depth(prepare_purchases(lines(COHORT_ROWS, amount=[float(i) for i in range(1, 11)])))
    assert not depth.measurable and depth.adopters == 0 and depth.first_lines.empty
    assert depth.by_tenure["lines"].isna().all() and depth.repeat == 3  # a, b and d bought again
    with pytest.raises(ParameterError, match="min_customers"):
        relationship_depth(prepare_purchases(lines(COHORT_ROWS)), min_customers=0)
