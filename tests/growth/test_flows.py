from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.growth import prepare_purchases, relationship_flows
from tests.conftest import zh_message
from tests.growth.frames import COHORT_ROWS, lines

START = pd.Timestamp("2023-01-02")


def planted(seed: int = 0) -> tuple[pd.DataFrame, set[tuple[str, pd.Timestamp]]]:
    """60 regular buyers (every 7, 10 or 14 days, 8 purchases); 20 of them lapse once for 5 gaps.

    Returns the lines and the planted (customer, day) of every purchase that ends a lapse.
    """
    rng = np.random.default_rng(seed)
    rows, lapses = [], set()
    for i in range(60):
        gap = int(rng.choice([7, 10, 14]))
        steps = [gap] * 7
        if i % 3 == 0:
            steps[3] = 5 * gap  # the fifth purchase ends a silence of 5 gaps > 3 gaps
        days = START + pd.to_timedelta(np.concatenate([[i % 5], np.cumsum(steps) + i % 5]), unit="D")
        rows += [(f"c{i:02d}", d) for d in days]
        if i % 3 == 0:
            lapses.add((f"c{i:02d}", days[4]))
    return lines(rows), lapses


def test_planted_lapses_are_won_back_on_the_day_and_nobody_else_is():
    tx, lapses = planted()
    flows = relationship_flows(prepare_purchases(tx, as_of=tx["timestamp"].max()))
    won = flows.events[flows.events["event"] == "won_back"]
    assert set(zip(won["customer_id"], won["day"], strict=True)) == lapses
    lost = flows.events[flows.events["event"] == "lost"]
    # each lapse was lost on the first day past 3 x the gap: the 4th purchase + 3 x gap + 1
    for customer, _day in lapses:
        days = sorted(tx.loc[tx["customer_id"] == customer, "timestamp"])
        gap = (days[1] - days[0]).days
        expected = days[3] + pd.Timedelta(days=3 * gap + 1)
        assert expected in set(lost.loc[lost["customer_id"] == customer, "day"])


def test_net_growth_adds_up_to_the_customers_still_in_a_relationship():
    tx, _ = planted(1)
    p = prepare_purchases(tx, as_of=tx["timestamp"].max() + pd.Timedelta(days=60))
    flows = relationship_flows(p)
    table = flows.table
    assert (table["net_growth"] == table["new"] + table["won_back"] - table["lost"]).all()
    assert table["base"].iloc[-1] == int((~flows.customers["lost"]).sum())
    assert table["new"].sum() == 60
    assert (table["returning"] + table["new"] <= table["active"]).all()


def test_a_fixed_gap_and_the_typical_gap_for_first_repeats():
    rows = [("a", "2024-01-01"), ("a", "2024-01-11"), ("a", "2024-03-01"), ("b", "2024-01-01"), ("b", "2024-01-05")]
    p = prepare_purchases(lines(rows), as_of="2024-03-31")
    fixed = relationship_flows(p, winback_gap=30)
    assert fixed.events.query("event == 'won_back'")["customer_id"].tolist() == ["a"]
    # own rule: a's first repeat (gap 10) is judged against the typical gap: median of (29.5... ) own medians
    own = relationship_flows(p)
    assert own.typical_gap == pytest.approx(np.median([np.median([10, 50]), 4]))
    assert own.customers.set_index("customer_id")["lost"].to_dict() == {"a": False, "b": True}


def test_hand_counted_flows_per_month():
    flows = relationship_flows(prepare_purchases(lines(COHORT_ROWS)), winback_gap=45)
    table = flows.table.set_index("label")
    assert table["new"].tolist() == [3, 2, 1]
    assert table["active"].tolist() == [3, 3, 4]
    # b: silent from Jan 15 to Mar 20 (65 days > 45): lost on Mar 1, won back on Mar 20
    assert table.loc["2024-03", "won_back"] == 1
    assert table.loc["2024-03", "lost"] == 3  # b (Mar 1), c (Jan 20 + 46 = Mar 6), e (Feb 14 + 46 = Mar 31)
    assert table.loc["2024-03", "returning"] == 2  # a and d


def test_nobody_bought_twice_needs_a_fixed_gap():
    p = prepare_purchases(lines([("a", "2024-01-01"), ("b", "2024-01-02")]))
    with pytest.raises(InputError, match="winback_gap"):
        relationship_flows(p)
    assert "winback_gap" in zh_message(lambda: relationship_flows(p))
    assert relationship_flows(p, winback_gap=10).table["new"].sum() == 2
    with pytest.raises(ParameterError, match="gap_multiple"):
        relationship_flows(p, gap_multiple=0)
