"""Tests of crmlab.churn.sentences: the generated findings and actions follow the numbers.

Each test plants a pattern (which exit type leads, how the causes spread, what a programme costs)
and checks that the template chosen, and the figures in it, change with it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab.churn import sentences


def _causes(counts: dict[str, int], segments: dict[str, str] | None = None) -> churn.CauseDistribution:
    reasons = [reason for reason, n in counts.items() for _ in range(n)]
    df = pd.DataFrame({"reason": reasons})
    if segments is not None:
        df["segment"] = [segments[r] for r in reasons]
    return churn.cause_distribution(df, segment_col="segment" if segments else None)


# reasons the default vocabulary maps onto one exit type each
PRICE, PRODUCT, SERVICE, TECH, UNKNOWN = "too expensive", "moved away", "poor service", "outdated app", ""


def _costs(profit: float, n: int = 10) -> churn.ExitCosts:
    return churn.exit_costs(pd.DataFrame({"revenue": [profit / n] * n, "margin": [1.0] * n}))


@pytest.mark.parametrize(
    ("counts", "cause", "zh"),
    [
        ({PRICE: 6, PRODUCT: 3, SERVICE: 1}, "Price", "价格"),
        ({PRICE: 1, PRODUCT: 3, SERVICE: 6}, "Service", "服务"),
        ({PRICE: 2, PRODUCT: 6, SERVICE: 2}, "Product", "产品"),
    ],
)
def test_the_caption_and_the_action_name_the_planted_top_cause(counts, cause, zh) -> None:
    causes = _causes(counts)
    assert sentences.cause_caption(causes, "en").startswith(f"{cause} is the reason of 60.0% of the 10 lost customers")
    assert sentences.cause_action(causes, "en").startswith(
        f"Start with {'the product' if cause == 'Product' else cause.lower()}: 60%"
    )
    assert f"“{zh}”" in sentences.cause_caption(causes, "zh")


def test_a_spread_distribution_says_no_type_explains_half_and_counts_the_types_to_80_percent() -> None:
    causes = _causes({PRICE: 4, PRODUCT: 3, SERVICE: 2, TECH: 1})  # 40%, 70%, 90%: three types make 80%
    assert causes.n_causes_to(0.8) == 3
    caption = sentences.cause_caption(causes, "en")
    assert "Price is the most common reason to leave, given by 40.0%" in caption
    assert "no exit type explains half" in caption
    assert caption.endswith("3 of the 4 exit types found make up 80% of exits.")


def test_one_type_alone_reaching_80_percent_is_said_so() -> None:
    causes = _causes({SERVICE: 9, PRICE: 1})
    assert causes.n_causes_to(0.8) == 1
    assert sentences.cause_caption(causes, "en").endswith("Service alone makes up 80% of exits.")


def test_too_many_unknown_reasons_to_reach_80_percent_are_said_so() -> None:
    causes = _causes({PRICE: 5, PRODUCT: 2, UNKNOWN: 3})  # the types cover 70% of exits
    assert causes.n_causes_to(0.8) is None
    assert "cover only 70.0% of exits, less than 80%" in sentences.cause_caption(causes, "en")


def test_no_classified_reason_asks_to_classify_them() -> None:
    causes = _causes({UNKNOWN: 4})
    assert causes.top_cause is None
    assert "so there is no top cause" in sentences.cause_caption(causes, "en")
    assert sentences.cause_action(causes, "en").startswith("Classify the reasons of the 4 lost customers")


def test_chinese_sentences_follow_each_other_without_a_space() -> None:
    text = sentences.causes_paragraph(_causes({PRICE: 4, PRODUCT: 3, SERVICE: 2, UNKNOWN: 1}), "zh")
    assert "。 " not in text and text.count("。") >= 3


def test_the_budget_that_keeps_everyone_is_explained_with_the_likely_break_even() -> None:
    costs = _costs(10_000.0)
    meaning = sentences.budget_meaning(costs, 1.0, 0.35, "en")
    assert meaning.startswith("The break-even budget of 10,000 equals the yearly profit lost")
    assert "keeps every leaving customer" in meaning and "keeps a likely 35% of them saves 3,500" in meaning
    assert "assumes the programme keeps 60%" in sentences.budget_meaning(costs, 0.6, 0.35, "en")
    plain = sentences.budget_meaning(costs, 0.2, 0.35, "en")  # no more than the likely share: no caveat
    assert plain.startswith("A retention programme that keeps 20% of the leaving customers saves 2,000")


@pytest.mark.parametrize(
    ("cost", "start"),
    [
        (0.0, "Spend at most 3,500 a year on retention"),
        (2_000.0, "Run the planned programme: at 2,000 a year it pays back once it keeps 20%"),
        (5_000.0, "Test the planned programme on a sample first: at 5,000 a year it pays back only if it keeps 50%"),
        (12_000.0, "Do not run the planned programme: at 12,000 a year it costs more than the whole profit lost"),
    ],
)
def test_the_budget_action_follows_the_share_the_programme_must_keep(cost, start) -> None:
    action = sentences.budget_action(_costs(10_000.0), 0.35, cost, "service", "en")
    assert action.startswith(start)
    assert ("(Service)" in action) == (cost == 0)


def test_the_budget_action_names_no_exit_type_when_the_data_has_no_reasons() -> None:
    action = sentences.budget_action(_costs(10_000.0), 0.35, 0.0, None, "en")
    assert action.startswith("Spend at most 3,500 a year on retention") and "exit type" not in action


def test_no_profit_lost_means_no_budget() -> None:
    costs = _costs(0.0)
    assert "no retention budget pays back" in sentences.budget_meaning(costs, 1.0, 0.35, "en")
    assert sentences.budget_action(costs, 0.35, 0.0, "price", "en").startswith("Do not spend")
    assert "brought no profit" in sentences.profit_meaning(costs, 3.0, "en")


def test_the_winback_action_names_the_recommended_customers_or_none() -> None:
    costs = churn.exit_costs(pd.DataFrame({"reason": ["switched to a competitor"] * 3, "cause": ["price"] * 3}))
    some = churn.win_back(costs.per_customer)
    assert some.n_recommended == 3
    assert sentences.winback_action(some, "en").startswith("Contact the 3 lost customers recommended for win-back")
    none = churn.win_back(costs.per_customer, min_value=1e9)
    assert sentences.winback_action(none, "en").startswith("Do not run a win-back campaign: none of the 3")


def test_segments_with_the_same_or_different_top_causes() -> None:
    same = _causes({PRICE: 4, PRODUCT: 1, "expensive": 3}, {PRICE: "basic", PRODUCT: "basic", "expensive": "premium"})
    assert sentences.segment_caption(same, "en") == "Every segment leaves mostly for the same reason: Price."
    differ = _causes({PRICE: 4, PRODUCT: 3}, {PRICE: "basic", PRODUCT: "premium"})
    table = differ.top_by_segment
    assert table[["segment", "churned", "cause", "share"]].values.tolist() == [
        ["basic", 4, "price", 1.0],
        ["premium", 3, "product", 1.0],
    ]
    zh = "各细分群体的流失原因不同：“基础版”以价格为主（100%）；“高端版”以产品为主（100%）。"
    assert sentences.segment_caption(differ, "zh") == zh


def test_the_rate_meaning_names_the_segment_with_the_highest_rate() -> None:
    status = churn.churn_status(pd.DataFrame({"churned": [1, 0, 1, 1], "segment": ["basic", "basic", "VIP", "VIP"]}))
    meaning = sentences.rate_meaning(churn.churn_rate(status, segment_col="segment"), "en")
    assert meaning == "3 of 4 customers churned: a churn rate of 75.0%. The highest rate is in segment 'VIP' (100.0%)."
