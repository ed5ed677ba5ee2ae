from __future__ import annotations

import numpy as np
import pytest

from crmlab.core.errors import ParameterError
from crmlab.growth import (
    prepare_purchases,
    profit_by_tenure,
    relationship_flows,
    relationship_lengths,
    retention_whatif,
)
from tests.growth.frames import lines


def test_hand_computed_what_if_with_the_last_period_carried_forward():
    # retention 1, 0.5, then 0.5 carried; profit 10, 4, 4: base 10 + 2 + 1 = 13; raised 10 + 2.2 + 1.21 = 13.41
    w = retention_whatif([1.0, 0.5], [10.0, 4.0], rise=0.05, horizon=3)
    assert w.base == pytest.approx(13.0) and w.raised == pytest.approx(13.41)
    assert w.uplift == pytest.approx(0.41 / 13) and w.observed == 2 and not w.text_holds
    assert w.table["raised_survival"].tolist() == pytest.approx([1, 0.55, 0.3025])


def test_retention_is_capped_at_one_and_a_steep_curve_can_reach_the_texts_60_percent():
    capped = retention_whatif([1.0, 0.98, 0.9604], [1.0, 1.0, 1.0], horizon=3)
    assert capped.table["raised_retention"].tolist() == [1.0, 1.0, 1.0]
    # a loyal base (90%/period) over 36 periods: +5 points compounds to a large gain
    long = retention_whatif(0.9 ** np.arange(36), np.ones(36), horizon=36)
    assert long.uplift > 0.6 and long.text_holds


def test_profit_per_customer_still_in_a_relationship():
    rows = [("a", "2024-01-05"), ("a", "2024-02-05"), ("b", "2024-01-06"), ("b", "2024-03-06"), ("c", "2024-01-07")]
    p = prepare_purchases(lines(rows, amount=[10.0, 6.0, 20.0, 8.0, 30.0]), as_of="2024-03-31")
    lengths = relationship_lengths(p, relationship_flows(p, winback_gap=90))
    profit = profit_by_tenure(p, lengths, margin=0.5)
    # month 0: 60 spent by 3 customers; month 1: 6 by the 2 still going (a, b); month 2: 8 by b alone
    assert profit.tolist() == pytest.approx([0.5 * 60 / 3, 0.5 * 6 / 2, 0.5 * 8 / 1])


def test_bad_options():
    with pytest.raises(ParameterError, match="retention_rise"):
        retention_whatif([1.0], [1.0], rise=1.5)
    with pytest.raises(ParameterError, match="horizon"):
        retention_whatif([1.0], [1.0], horizon=0)
