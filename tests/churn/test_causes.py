"""Tests of crmlab.churn.causes: reasons mapped onto exit types, the churn-cause distribution."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.churn import CAUSE_SHARES


def test_planted_cause_shares_within_two_points(causes: churn.CauseDistribution, synthetic: pd.DataFrame) -> None:
    churners = synthetic[synthetic["churned"] == 1]
    weights = churners["segment"].value_counts(normalize=True)
    shares = causes.distribution.set_index("cause")["share"]
    for cause in CAUSE_SHARES["basic"]:
        planted = sum(weights[s] * CAUSE_SHARES[s][cause] for s in weights.index)
        assert shares[cause] == pytest.approx(planted, abs=0.02), cause
    for segment, planted_shares in CAUSE_SHARES.items():
        for cause, planted in planted_shares.items():
            assert causes.by_segment.loc[segment, cause] == pytest.approx(planted, abs=0.02), (segment, cause)
    assert causes.top_cause == "price"


def test_distribution_is_pareto_ordered_and_complete(causes: churn.CauseDistribution) -> None:
    dist = causes.distribution
    assert dist["count"].is_monotonic_decreasing
    assert dist["count"].sum() == len(causes.assigned)
    assert dist["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_unmapped_reasons_stay_visible() -> None:
    df = pd.DataFrame({"reason": ["Too expensive", "weird thing", "weird thing", "价格太高", "见备注", None]})
    result = churn.cause_distribution(df)
    counts = result.distribution.set_index("cause")["count"]
    assert counts.sum() == 6
    assert counts["unmapped"] == 3
    assert counts["other"] == 1
    assert result.unmapped.set_index("reason")["count"].to_dict() == {"weird thing": 2, "见备注": 1}


def test_default_mapping_covers_english_and_chinese_reasons() -> None:
    reasons = pd.Series(
        ["Found a CHEAPER provider", "产品质量不好", "Switched to newer technology", "公司污染环境", "其他", "unknown"]
    )
    assert churn.map_causes(reasons)["cause"].tolist() == [
        "price",
        "product",
        "technology",
        "political",
        "other",
        "other",
    ]


def test_category_column_and_custom_mapping() -> None:
    reasons = pd.Series(["价格", "Technology", "Vendor lock-in", "我们的技术落后"])
    assert churn.map_causes(reasons)["cause"].tolist() == ["price", "technology", "unmapped", "technology"]
    custom = churn.map_causes(reasons, mapping={"lock-in": "技术", "我们的技术落后": "price"})
    assert custom["cause"].tolist() == ["price", "technology", "technology", "price"]
    alone = churn.map_causes(reasons, mapping={"lock-in": "technology"}, extend_default=False)
    assert alone["cause"].tolist() == ["unmapped", "unmapped", "technology", "unmapped"]


def test_longest_keyword_wins_and_latin_keys_match_at_word_start() -> None:
    reasons = pd.Series(["no longer need it", "app crashed", "happy elsewhere"])
    result = churn.map_causes(reasons)
    assert result["keyword"].tolist()[:2] == ["no longer need", "app"]
    assert result["cause"].tolist() == ["product", "technology", "unmapped"]


def test_bad_mapping_type_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="pricee"):
        churn.map_causes(pd.Series(["x"]), mapping={"x": "pricee"})


def test_users_csv_of_churned_customers_with_chinese_reasons(tmp_path) -> None:
    path = tmp_path / "流失客户.csv"
    pd.DataFrame(
        {
            "客户编号": ["A1", "A2", "A3", "A4", "A5"],
            "流失原因": ["价格太贵", "搬家了", "竞争对手的APP更好用", "价格太贵", "不清楚"],
            "年收入": [1200, 800, None, 500, 300],
        }
    ).to_csv(path, index=False, encoding="gbk")
    df = datasets.read(path, columns={"客户编号": "customer_id"})
    status = churn.mark_churn(df, definition="list", churn_col="流失", churn_date_col="")
    result = churn.cause_distribution(status, reason_col="流失原因")
    assert result.top_cause == "price"
    assert result.top_cause_share == pytest.approx(0.4)
    assert result.unmapped["reason"].tolist() == ["不清楚"]
    costs = churn.exit_costs(result.assigned, revenue_col="年收入", revenue=1000, margin=0.2)
    assert costs.revenue_lost == 3800
    assert costs.profit_lost == pytest.approx(760)
    assert (costs.n_revenue_default, costs.n_margin_default) == (1, 5)  # the file has no margin column


def test_empty_set_of_churners() -> None:
    df = pd.DataFrame({"churned": [0, 0], "reason": ["x", "y"]})
    with pytest.raises(InputError, match="None of the 2 customers"):
        churn.cause_distribution(df)


def test_missing_reason_column() -> None:
    with pytest.raises(InputError, match="reason"):
        churn.cause_distribution(pd.DataFrame({"churned": [1], "why": ["x"]}))


def test_top_two_and_unmapped_counts() -> None:
    df = pd.DataFrame({"reason": ["too expensive", "价格太高", "搬家", "see notes", "技术落后"]})
    result = churn.cause_distribution(df)
    assert result.top2_share == pytest.approx(3 / 5)  # price 2, then product, technology, unmapped 1 each
    assert result.n_unmapped == 1
