"""The growth report's headline meanings and actions flip with the data: a growing base against a shrinking one."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import growth
from crmlab.growth import report
from tests.conftest import english_runs
from tests.growth.frames import lines


def weekly(customer: str, start: str, end: str) -> list[tuple[str, str]]:
    return [(customer, d.strftime("%Y-%m-%d")) for d in pd.date_range(start, end, freq="7D")]


def growing():
    """Ten new weekly buyers each month from January to July 2024, nobody stops: July has 10 new, 0 lost."""
    rows = [
        row
        for m in range(1, 8)
        for k in range(10)
        for row in weekly(f"g{m}{k}", f"2024-{m:02d}-{k + 1:02d}", "2024-07-31")
    ]
    return growth.prepare_purchases(lines(rows), as_of=pd.Timestamp("2024-07-31"))


def shrinking():
    """30 weekly buyers from January; 20 stop in March, 10 in April: each is lost 3 weeks after their last
    purchase, so May (the last complete month at 9 June) loses the last 10 and gains nobody."""
    rows = [
        row
        for k in range(30)
        for row in weekly(f"s{k}", f"2024-01-{k + 1:02d}", "2024-03-31" if k < 20 else "2024-04-30")
    ]
    return growth.prepare_purchases(lines(rows), as_of=pd.Timestamp("2024-06-09"))


def test_net_growth_meaning_and_action_flip_with_the_base():
    up, down = growing(), shrinking()
    up_flows, down_flows = growth.relationship_flows(up), growth.relationship_flows(down)
    assert report.net_meaning(up, up_flows, "en") == (
        "In 2024-07 the base grew: 10 new and 0 won back against 0 lost, leaving 70 customers in a relationship."
    )
    assert report.net_meaning(down, down_flows, "en").startswith("In 2024-05 the base shrank: 10 lost outweighed 0 new")
    assert report.base_action(up, up_flows, "en").startswith("The base grows (10 new, 0 won back and nobody lost")
    assert report.base_action(down, down_flows, "en").startswith("The base shrank by 10 in 2024-05: win back some")
    for text in (report.net_meaning(down, down_flows, "zh"), report.base_action(up, up_flows, "zh")):
        assert english_runs(text) == [], text


def test_the_uplift_meaning_flips_at_the_texts_60_percent_and_the_action_states_the_break_even_cost():
    p = growing()
    low = growth.retention_whatif([1.0, 0.5], [1.0, 1.0], horizon=2)  # 1 + 0.5 against 1 + 0.55
    high = growth.retention_whatif([0.9**k for k in range(36)], [1.0] * 36, horizon=36)
    assert "from 1.50 to 1.55: short of the textbook's +60%" in report.whatif_meaning(p, low, "en")
    assert "the textbook's +60% holds here" in report.whatif_meaning(p, high, "en")
    assert "costs less than 0.05 per acquired customer over 2 periods" in report.retention_action(p, low, "en")
    nothing = growth.retention_whatif([1.0, 0.5], [0.0, 0.0], horizon=2)
    assert "cannot be measured" in report.whatif_meaning(p, nothing, "en")
    assert "spend nothing on retention" in report.retention_action(p, nothing, "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_retention_meaning_states_the_first_cohorts_numbers(lang):
    p = shrinking()
    cohorts = growth.cohort_retention(p)
    text = report.retention_meaning(p, cohorts, lang)
    assert "30" in text and "100%" in text  # all 30 January buyers bought again in February
