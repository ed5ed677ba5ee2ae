"""RFM scores and segments (crmlab.value.rfm) on hand-made summaries."""

import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.value.rfm import SEGMENTS, profile_table, rfm_scores, segment_profile


def test_scores_and_segments():
    summary = pd.DataFrame(
        {"recency_days": [1, 50, 200, 300, 5], "orders": [9, 3, 1, 1, 2], "revenue": [900.0, 60.0, 10.0, 5.0, 40.0]}
    )
    scored = rfm_scores(summary)
    # ranks of -recency: 5,3,2,1,4 -> scores floor(5*(rank-1)/5)+1; the two one-order customers tie at F=1
    assert scored["r_score"].tolist() == [5, 3, 2, 1, 4]
    assert scored["f_score"].tolist() == [5, 4, 1, 1, 3]
    assert scored["rfm"].tolist()[0] == "555"
    assert scored["segment"].tolist() == ["champions", "loyal", "hibernating", "hibernating", "loyal"]
    assert "segment" not in summary.columns


def test_segments_cover_every_score_pair():
    for r in range(1, 6):
        for f in range(1, 6):
            assert any(lo <= r <= hi and flo <= f <= fhi for (lo, hi), (flo, fhi) in SEGMENTS.values())


def test_segment_profile_shares():
    scored = rfm_scores(
        pd.DataFrame(
            {"recency_days": [1, 50, 200, 300, 5], "orders": [9, 3, 1, 1, 2], "revenue": [900.0, 60.0, 10.0, 5.0, 40.0]}
        )
    )
    profile = segment_profile(scored).set_index("segment")
    assert profile.index.tolist() == ["champions", "loyal", "hibernating"]
    assert profile.loc["loyal", "customers"] == 2
    assert profile.loc["hibernating", "revenue_share"] == pytest.approx(15 / 1015)
    assert profile["customer_share"].sum() == pytest.approx(1.0)


def test_bad_input():
    with pytest.raises(ParameterError, match="bins"):
        rfm_scores(pd.DataFrame({"recency_days": [1], "orders": [1], "revenue": [1.0]}), bins=1)
    with pytest.raises(InputError, match="no rows"):
        rfm_scores(pd.DataFrame({"recency_days": [], "orders": [], "revenue": []}))


def test_profile_table_is_translated_and_formatted():
    scored = rfm_scores(
        pd.DataFrame({"recency_days": [1, 50, 200], "orders": [9, 3, 1], "revenue": [900.0, 2000.0, 1000.0]})
    )
    table = profile_table(segment_profile(scored), lang="zh")
    assert table.data.columns[0] == "细分群体"
    assert table.data.iloc[:, 0].tolist()[0] == "核心客户"
    html = table.to_html()
    assert "1,500.00" in html and "33.3%" in html and "66.7%" in html
