"""k-means segments recover planted groups, name them in words, and a shallow tree explains them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.value import segments
from tests.conftest import english_runs, zh_message

#: Three planted groups: (recency days, extra orders, mean revenue, customers).
GROUPS = {"loyal": (5, 20, 3000.0, 120), "lapsed": (400, 0, 25.0, 300), "new": (10, 0, 60.0, 180)}


def planted(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = [
        pd.DataFrame(
            {
                "planted": name,
                "recency_days": rng.poisson(r, n),
                "orders": 1 + rng.poisson(o, n),
                "revenue": rng.gamma(8, m / 8, n),
            }
        )
        for name, (r, o, m, n) in GROUPS.items()
    ]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def found() -> segments.Segments:
    return segments.kmeans_segments(planted(), max_segments=6)


def test_the_planted_groups_are_recovered(found):
    assert found.k == 3 and found.silhouette > 0.5
    crosstab = pd.crosstab(found.customers["planted"], found.customers["segment"])
    assert (crosstab.gt(0).sum(axis=1) == 1).all(), crosstab  # each planted group lies in one segment
    assert found.scores["k"].tolist() == [2, 3, 4, 5, 6]


def test_the_profile_in_business_words(found):
    profile = found.profile
    assert profile["revenue_share"].is_monotonic_decreasing and profile["revenue_share"].sum() == pytest.approx(1)
    assert profile["customers"].sum() == 600 and profile["customer_share"].sum() == pytest.approx(1)
    names = dict(zip(profile["segment"], segments.segment_names(found, "en"), strict=True))
    assert names[1] == "recent, frequent, high spend"  # the loyal group brings most revenue
    lapsed = found.customers.loc[found.customers["planted"] == "lapsed", "segment"].iloc[0]
    assert names[lapsed].startswith("long silent, occasional")


def test_a_shallow_tree_explains_the_segments(found):
    assert found.tree_accuracy > 0.95 and len(found.rules) == 3
    text = segments.rules_text(found, "en")
    assert "days since the last purchase" in text and text.count("- Segment") == 3
    for line in segments.rules_text(found, "zh").splitlines() + [segments.choice_text(found, "zh")]:
        assert english_runs(line) == [], line


def test_same_seed_same_segments():
    again = segments.kmeans_segments(planted(), max_segments=6)
    first = segments.kmeans_segments(planted(), max_segments=6)
    assert first.customers["segment"].equals(again.customers["segment"])


def test_bad_input():
    same = pd.DataFrame({"recency_days": [1, 1, 1], "orders": [2, 2, 2], "revenue": [5.0, 5.0, 5.0]})
    with pytest.raises(InputError):
        segments.kmeans_segments(same)
    zh_message(lambda: segments.kmeans_segments(same))
    with pytest.raises(ParameterError, match="max_segments"):
        segments.kmeans_segments(planted(), min_segments=4, max_segments=3)
    with pytest.raises(InputError, match="orders"):
        segments.kmeans_segments(planted().drop(columns="orders"))
