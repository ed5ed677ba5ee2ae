"""Tests of crmlab.churn.causes: reasons mapped onto exit types, the churn-cause distribution."""

from __future__ import annotations

import ast

import pandas as pd
import pytest

from crmlab import churn
from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.churn import CAUSE_SHARES, REASON_TEMPLATES

#: The synthetic reasons whose planted exit type the vocabulary now reads differently, and why: poor
#: service quality is the service exit type; retiring is losing the condition to buy (product, like
#: moving); "no reason given" is an unknown answer.
REREAD = {"Poor service quality": "service", "Retired": "product", "No reason given": "unknown"}

#: IBM's telco churn reasons (its 20 phrasings), with illustrative counts, and the exit type each must get.
IBM_REASONS: dict[str, tuple[int, str]] = {
    "Attitude of support person": (192, "service"),
    "Competitor offered higher download speeds": (189, "technology"),
    "Competitor offered more data": (162, "product"),
    "Don't know": (154, "unknown"),
    "Competitor made better offer": (140, "price"),
    "Attitude of service provider": (135, "service"),
    "Competitor had better devices": (130, "technology"),
    "Network reliability": (103, "product"),
    "Product dissatisfaction": (102, "product"),
    "Price too high": (98, "price"),
    "Service dissatisfaction": (89, "service"),
    "Lack of self-service on Website": (88, "service"),
    "Extra data charges": (57, "price"),
    "Moved": (53, "product"),
    "Long distance charges": (44, "price"),
    "Limited range of services": (44, "product"),
    "Lack of affordable download/upload speed": (44, "price"),
    "Poor expertise of online support": (43, "service"),
    "Poor expertise of phone support": (20, "service"),
    "Deceased": (6, "product"),
}

#: Typical reasons of Chinese telecom and CRM exports, with illustrative counts and the exit type each must get.
CHINESE_REASONS: dict[str, tuple[int, str]] = {
    "资费太贵": (30, "price"),
    "套餐价格太高": (20, "price"),
    "流量费用太高": (15, "price"),
    "竞争对手优惠力度更大": (25, "price"),
    "携号转网": (10, "price"),
    "信号不好": (20, "product"),
    "网络经常掉线": (15, "product"),
    "网速太慢": (15, "technology"),
    "客服态度差": (20, "service"),
    "投诉一直没有解决": (10, "service"),
    "营业厅服务态度恶劣": (5, "service"),
    "手机终端老旧": (5, "technology"),
    "搬家到外地": (10, "product"),
    "出国": (5, "product"),
    "用户已去世": (2, "product"),
    "不知道": (15, "unknown"),
    "不再需要该业务": (10, "product"),
    "乱扣费": (8, "political"),
    "虚假宣传": (5, "political"),
    "宽带安装太慢": (5, "service"),
    "个人原因": (5, "other"),
    "合约到期": (4, "unmapped"),
}


def _reasons_file(reasons: dict[str, tuple[int, str]], blanks: int = 0) -> pd.DataFrame:
    texts = [text for text, (count, _) in reasons.items() for _ in range(count)] + [None] * blanks
    return pd.DataFrame({"customer_id": [f"K{i}" for i in range(len(texts))], "reason": texts})


def test_synthetic_reasons_get_their_planted_exit_type(causes: churn.CauseDistribution) -> None:
    truth = {None: "unknown"}
    for kind, _, en, zh in REASON_TEMPLATES:
        truth[en] = truth[zh] = REREAD.get(en, kind)
    assigned = causes.assigned
    assert (assigned["reason"].map(lambda r: truth[None if pd.isna(r) else r]) == assigned["cause"]).all()


def test_planted_cause_shares_within_two_points(causes: churn.CauseDistribution, synthetic: pd.DataFrame) -> None:
    churners = synthetic[synthetic["churned"] == 1]
    weights = churners["segment"].value_counts(normalize=True)
    shares = causes.distribution.set_index("cause")["share"]
    for cause in ("price", "technology", "political", "unmapped"):  # the planted types no template moved
        planted = sum(weights[s] * CAUSE_SHARES[s][cause] for s in weights.index)
        assert shares[cause] == pytest.approx(planted, abs=0.02), cause
        for segment, planted_shares in CAUSE_SHARES.items():
            assert causes.by_segment.loc[segment, cause] == pytest.approx(planted_shares[cause], abs=0.02)
    moved = shares[["product", "service"]].sum() + shares[["other", "unknown"]].sum()
    assert moved == pytest.approx(
        sum(weights[s] * (CAUSE_SHARES[s]["product"] + CAUSE_SHARES[s]["other"]) for s in weights.index), abs=0.02
    )
    assert causes.top_cause == "price"


def test_distribution_lists_exit_types_in_pareto_order_then_unknown_and_unmapped(causes) -> None:
    dist = causes.distribution
    assert dist["cause"].tolist()[-2:] == ["unknown", "unmapped"]
    assert causes.causes["count"].is_monotonic_decreasing
    assert dist["count"].sum() == len(causes.assigned)
    assert dist["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_unmapped_and_unknown_reasons_stay_visible() -> None:
    df = pd.DataFrame({"reason": ["Too expensive", "weird thing", "weird thing", "价格太高", "见备注", None, " "]})
    result = churn.cause_distribution(df)
    counts = result.distribution.set_index("cause")["count"]
    assert counts.to_dict() == {"price": 2, "unknown": 2, "unmapped": 3}
    assert result.unmapped.set_index("reason")["count"].to_dict() == {"weird thing": 2, "见备注": 1}
    assert (result.unmapped_share, result.unknown_share) == pytest.approx((3 / 7, 2 / 7))


@pytest.mark.parametrize("reasons", [IBM_REASONS, CHINESE_REASONS], ids=["ibm_english", "chinese"])
def test_typical_real_reasons_are_understood(reasons: dict[str, tuple[int, str]]) -> None:
    df = _reasons_file(reasons, blanks=7)
    result = churn.cause_distribution(df)
    expected = {text: kind for text, (_, kind) in reasons.items()}
    mapped = result.assigned.dropna(subset=["reason"])
    assert dict(zip(mapped["reason"], mapped["cause"], strict=True)) == expected
    answered = len(df) - int((result.assigned["cause"] == "unknown").sum())  # explicit unknown answers excluded
    assert result.n_unmapped / answered <= 0.10
    assert result.top_cause not in churn.NOT_CAUSES


def test_typical_english_crm_phrasings() -> None:
    expected = {
        "Too expensive": "price",
        "Switched to a competitor": "price",  # names only a competitor: the fallback tier
        "Found a better deal elsewhere": "price",
        "Roaming charges too high": "price",
        "Poor customer service": "service",
        "Billing errors": "service",
        "Long wait times on the phone": "service",
        "Complaint never resolved": "service",
        "Rude staff at the store": "service",
        "Bad coverage in my area": "product",
        "Dropped calls": "product",
        "No longer need the service": "product",
        "Moving abroad": "product",
        "Customer passed away": "product",
        "App keeps crashing": "technology",
        "Slow internet": "technology",
        "Outdated technology": "technology",
        "Concerned about data privacy": "political",
        "Hidden fees": "political",
        "Other": "other",
        "N/A": "unknown",
        "Don\u2019t know.": "unknown",
        "Contract ended": "unmapped",  # no reason in it: left to the user
    }
    assert churn.map_causes(pd.Series(list(expected)))["cause"].tolist() == list(expected.values())


def test_short_answers_match_only_whole() -> None:
    reasons = pd.Series(["无", "无法上网", "Other", "Went to another provider", "其他", "其他运营商更便宜"])
    assert churn.map_causes(reasons)["cause"].tolist() == ["unknown", "unmapped", "other", "price", "other", "price"]


def test_category_column_and_custom_mapping() -> None:
    reasons = pd.Series(["价格", "Technology", "Vendor lock-in", "我们的技术落后"])
    assert churn.map_causes(reasons)["cause"].tolist() == ["price", "technology", "unmapped", "technology"]
    custom = churn.map_causes(reasons, mapping={"lock-in": "技术", "我们的技术落后": "price"})
    assert custom["cause"].tolist() == ["price", "technology", "technology", "price"]
    alone = churn.map_causes(reasons, mapping={"lock-in": "technology"}, extend_default=False)
    assert alone["cause"].tolist() == ["unmapped", "unmapped", "technology", "unmapped"]


def test_the_users_mapping_is_tried_before_the_vocabulary() -> None:
    reasons = pd.Series(["Competitor made better offer", "Don't know", "see notes"])
    custom = churn.map_causes(reasons, mapping={"competitor": "服务", "don't know": "other"})
    assert custom["cause"].tolist() == ["service", "other", "unmapped"]  # a shorter key of the user still wins
    assert custom["keyword"].tolist()[:2] == ["competitor", "don't know"]


def test_longest_keyword_wins_and_latin_keys_match_whole_words() -> None:
    reasons = pd.Series(["no longer need it", "app crashed", "happy elsewhere", "apps are slow", "appointment missed"])
    result = churn.map_causes(reasons)
    assert result["keyword"].tolist()[:2] == ["no longer need", "app"]
    assert result["cause"].tolist() == ["product", "technology", "unmapped", "technology", "unmapped"]


def test_unknown_and_unmapped_are_never_the_top_cause() -> None:
    df = pd.DataFrame({"reason": ["Don't know"] * 5 + ["see notes"] * 4 + ["Too expensive"] * 2 + ["Moved"]})
    result = churn.cause_distribution(df)
    assert result.distribution["cause"].tolist() == ["price", "product", "unknown", "unmapped"]
    assert (result.top_cause, result.top_cause_share, result.top2_share) == (
        "price",
        pytest.approx(2 / 12),
        pytest.approx(3 / 12),
    )
    nothing = churn.cause_distribution(pd.DataFrame({"reason": ["?", "see notes"]}))
    assert (nothing.top_cause, nothing.top_cause_share, nothing.top2_share) == (None, 0.0, 0.0)


def test_mapping_template_pastes_back_as_a_mapping() -> None:
    df = pd.DataFrame({"reason": ["see notes", "详见工单备注", "see notes", "Too expensive", ' Said "bye" ']})
    result = churn.cause_distribution(df)
    text = churn.mapping_template(result)
    pasted = ast.literal_eval(text)
    assert pasted == {"see notes": "other", "详见工单备注": "other", 'Said "bye"': "other"}
    again = churn.cause_distribution(df, mapping=pasted)
    assert again.n_unmapped == 0


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
    assert result.assigned["cause"].tolist() == ["price", "product", "technology", "price", "unknown"]
    assert result.n_unmapped == 0
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
    assert result.top2_share == pytest.approx(3 / 5)  # price 2, then product, technology 1 each
    assert result.n_unmapped == 1
