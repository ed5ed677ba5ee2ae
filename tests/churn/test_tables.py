"""Tests of crmlab.churn.tables: result tables as the report shows them."""

from __future__ import annotations

import pandas as pd

from crmlab import churn


def test_distribution_in_chinese_with_percentages() -> None:
    table = pd.DataFrame({"cause": ["price", "unmapped"], "count": [3, 1], "share": [0.75, 0.25]})
    styled = churn.localize(table, "zh")
    assert styled.data.columns.tolist() == ["流失类型", "人数", "占比"]
    assert styled.data["流失类型"].tolist() == ["价格", "未归类"]
    html = styled.to_html()
    assert "75.0%" in html and "25.0%" in html
    assert "0.75" not in html
    assert table["cause"].tolist() == ["price", "unmapped"]  # the input is not changed


def test_segment_table_keeps_its_segments_and_heads_causes_by_name(causes: churn.CauseDistribution) -> None:
    styled = churn.localize(causes.by_segment, "en")
    columns = styled.data.columns.tolist()
    assert columns[:3] == ["Segment", "Customers", "Price"]
    assert sorted(styled.data["Segment"]) == ["basic", "premium", "standard"]
    assert "%" in styled.to_html()


def test_winback_table_and_summary_translate_types_and_rules() -> None:
    styled = churn.localize(churn.winback_table(), "zh")
    assert styled.data.columns.tolist() == ["赢返类型", "规则：赢返", "赢返成功率"]
    assert styled.data["赢返类型"].tolist()[0] == "企业主动放弃"
    html = styled.to_html()
    assert "否" in html and "是" in html and "30.0%" in html


def test_money_and_unknown_columns() -> None:
    table = pd.DataFrame({"customer_id": ["c1"], "expected_value": [1234.5], "note": ["x"]})
    styled = churn.localize(table, "en")
    assert styled.data.columns.tolist() == ["Customer", "Expected second-life value", "note"]
    assert "1,234.50" in styled.to_html()
