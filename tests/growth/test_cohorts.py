from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

from crmlab.growth import (
    cohort_retention,
    prepare_purchases,
    relationship_flows,
    relationship_lengths,
    relationship_sample,
)
from tests.growth.frames import COHORT_ROWS, lines


def test_cohort_counts_and_retention_by_hand():
    cohorts = cohort_retention(prepare_purchases(lines(COHORT_ROWS)))
    # January: a, b, c; a buys in February, a and b in March. February: d, e; d buys in March. March: f.
    assert cohorts.sizes.tolist() == [3, 2, 1]
    assert cohorts.active.fillna(-1).values.tolist() == [[3, 1, 2], [2, 1, -1], [1, -1, -1]]
    assert cohorts.retention.iloc[0].tolist() == pytest.approx([1, 1 / 3, 2 / 3])
    assert cohorts.curve["retention"].tolist() == pytest.approx([1, 2 / 5, 2 / 3])
    assert cohorts.curve["cohorts"].tolist() == [3, 2, 1]
    assert cohorts.first_size == 3 and cohorts.first_retention_m1 == pytest.approx(1 / 3)


def test_incomplete_periods_stay_empty_and_an_incomplete_first_period_is_skipped():
    cut = cohort_retention(prepare_purchases(lines(COHORT_ROWS), as_of="2024-03-15"))
    assert np.isnan(cut.retention.iloc[0, 2]) and np.isnan(cut.retention.iloc[1, 1])
    assert cut.curve["retention"].tolist() == pytest.approx([1, 1 / 3])
    late = prepare_purchases(lines(COHORT_ROWS[1:]))  # without a's first purchase the data starts on 15 January
    cohorts = cohort_retention(late)
    assert cohorts.first_complete == late.first_period + 1  # so January is not complete: February is first
    assert cohorts.first_size == 3  # a (now first buying on 10 February), d and e


def test_kaplan_meier_median_by_hand():
    # Ended after 10, 20 and 30 days; still going after 25 and 40 days (censored).
    rows = [("e1", "2024-01-01"), ("e1", "2024-01-11"), ("e2", "2024-01-01"), ("e2", "2024-01-21")]
    rows += [("e3", "2024-01-01"), ("e3", "2024-01-31"), ("g1", "2024-11-30"), ("g1", "2024-12-25")]
    rows += [("g2", "2024-11-15"), ("g2", "2024-12-25")]
    p = prepare_purchases(lines(rows), as_of="2024-12-31")
    lengths = relationship_lengths(p, relationship_flows(p, winback_gap=50))
    by_id = lengths.customers.set_index("customer_id")
    assert by_id["days"].to_dict() == {"e1": 10, "e2": 20, "e3": 30, "g1": 25, "g2": 40}
    assert by_id["ended"].to_dict() == {"e1": True, "e2": True, "e3": True, "g1": False, "g2": False}
    # S(10) = 4/5, S(20) = 4/5 * 3/4 = 3/5, S(30) = 3/5 * 1/2 = 3/10: the median is 30 days
    assert lengths.median_days == 30
    oracle = KaplanMeierFitter().fit(by_id["days"], by_id["ended"])
    assert oracle.median_survival_time_ == lengths.median_days
    assert lengths.survival["survival"].iloc[0] == 1


def test_median_beyond_the_data_and_at_the_first_purchase():
    going = [("a", "2024-01-01"), ("a", "2024-01-20"), ("b", "2024-01-05"), ("b", "2024-01-25")]
    p = prepare_purchases(lines(going))
    assert relationship_lengths(p, relationship_flows(p, winback_gap=30)).median_days == np.inf
    once = [("a", "2024-01-01"), ("b", "2024-01-02"), ("c", "2024-01-03"), ("c", "2024-05-01")]
    p = prepare_purchases(lines(once))
    lengths = relationship_lengths(p, relationship_flows(p, winback_gap=30))
    assert lengths.median_days == 0 and lengths.single_purchase_ended == pytest.approx(2 / 3)


def test_the_sample_of_relationships_is_seeded_and_ordered():
    tx = lines(COHORT_ROWS)
    p = prepare_purchases(tx)
    flows = relationship_flows(p, winback_gap=45)
    first = relationship_sample(p, flows, n=4, seed=3)
    assert first.equals(relationship_sample(p, flows, n=4, seed=3))
    assert len(first) == 4 and first["first_day"].is_monotonic_increasing
    assert (first["depth_kind"] == "revenue").all()
    assert len(relationship_sample(p, flows, n=100)) == 6
    wide = prepare_purchases(tx.assign(item_id=[f"i{i % 3}" for i in range(len(tx))]))
    assert (relationship_sample(wide, relationship_flows(wide, winback_gap=45))["depth_kind"] == "lines").all()
    assert pd.api.types.is_bool_dtype(first["ended"])
