"""Pair metrics, cross-sell offers and the spider web: hand counts and the planted pairs."""

from __future__ import annotations

import pytest

from crmlab.basket import pairs
from crmlab.basket.rules import Itemsets, Rules, mine
from crmlab.core.errors import ParameterError
from tests.basket.frames import TINY


def test_pair_metrics_both_ways_by_hand() -> None:
    table = pairs.pair_metrics(mine(TINY, min_support=0.2))
    a_b = table[(table["item"] == "A") & (table["other"] == "B")].iloc[0]
    b_a = table[(table["item"] == "B") & (table["other"] == "A")].iloc[0]
    # {A,B} in 4 of 10 baskets; A in 6, B in 5
    assert a_b["count"] == b_a["count"] == 4
    assert a_b["confidence"] == pytest.approx(4 / 6) and b_a["confidence"] == pytest.approx(4 / 5)
    assert a_b["lift"] == pytest.approx(b_a["lift"]) == pytest.approx(0.4 / (0.6 * 0.5))
    assert len(table) == 2 * 3  # three frequent pairs at 20%


def test_cross_sell_recommends_the_planted_partners(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, _ = synthetic_rules
    table = pairs.cross_sell(itemsets, top_items=30, per_item=1)
    best = dict(zip(table["item"], table["offer"], strict=True))
    assert best["diapers"] == "beer" and best["chips"] == "salsa"
    assert (table["lift"] >= 1.5).all()
    assert table["why"].str.contains("×").all()


def test_cross_sell_table_for_a_report(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, _ = synthetic_rules
    styled = pairs.cross_sell_table(pairs.cross_sell(itemsets, top_items=10, lang="zh"), lang="zh")
    assert styled.data.columns.tolist() == ["商品", "推荐搭配", "置信度", "提升度", "含全部商品的购物篮数", "理由"]
    assert len(styled.data) == 14  # the 14 offers of the demo report
    html = styled.to_html()
    assert "6.00×" in html and "54.9%" in html and "row_heading" not in html


def test_spider_web_keeps_top_n_and_the_strongest_pairs(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, _ = synthetic_rules
    web = pairs.spider_web(itemsets, top_n=8, metric="lift")
    assert len(web.nodes) == 8
    assert set(web.edges["source"]) | set(web.edges["target"]) <= set(web.nodes["item"])
    edges = {frozenset(e) for e in zip(web.edges["source"], web.edges["target"], strict=True)}
    assert frozenset({"diapers", "beer"}) in edges and frozenset({"chips", "salsa"}) in edges
    assert web.edges["strength"].is_monotonic_decreasing


@pytest.mark.parametrize("bad", [1, 2.5, True])
def test_spider_web_needs_two_items(bad: object) -> None:
    with pytest.raises(ParameterError, match="top_n"):
        pairs.spider_web(mine(TINY, min_support=0.2), top_n=bad)  # type: ignore[arg-type]


def test_spider_web_metric_gets_a_suggestion() -> None:
    with pytest.raises(ParameterError, match="Did you mean 'confidence'"):
        pairs.spider_web(mine(TINY, min_support=0.2), metric="confidance")


def test_strong_pairs_keep_one_row_per_pair_at_or_above_the_lift_cut_off() -> None:
    # TINY: lift {A,B} = 0.4 / (0.6 * 0.5) = 1.33, {B,C} = 0.2 / (0.5 * 0.4) = 1.0, {A,C} = 0.2 / (0.6 * 0.4) = 0.83
    itemsets = mine(TINY, min_support=0.2)
    assert pairs.strong_pairs(itemsets, min_lift=1.5).empty
    table = pairs.strong_pairs(itemsets, min_lift=1.0)
    assert [(a, b) for a, b in zip(table["item"], table["other"], strict=True)] == [("A", "B"), ("B", "C")]
    assert table["lift"].tolist() == pytest.approx([0.4 / 0.3, 1.0])


def test_cross_sell_advice_names_the_strongest_pairs_or_says_there_are_none(
    synthetic_rules: tuple[Itemsets, Rules],
) -> None:
    itemsets, _ = synthetic_rules
    advice = pairs.cross_sell_advice(pairs.strong_pairs(itemsets), lang="en")
    assert advice.startswith("Offer and shelve together") and "chips + salsa (6.0×)" in advice
    none = pairs.cross_sell_advice(pairs.strong_pairs(mine(TINY, min_support=0.2)), lang="zh")
    assert none.startswith("没有任何商品组合") and "1.5 倍" in none


def test_the_spider_web_draws_only_pairs_above_the_cut_off(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, _ = synthetic_rules
    lifts = pairs.pair_metrics(itemsets).set_index(["item", "other"])["lift"]
    web = pairs.spider_web(itemsets, top_n=30)
    assert min(web.lift) >= 1.5 and len(web.lift) == len(web.edges)
    assert all(lifts[(s, t)] >= 1.5 for s, t in zip(web.edges["source"], web.edges["target"], strict=True))
    assert len(web.edges) == len(pairs.strong_pairs(itemsets))  # every strong pair, nothing below it
    assert set(web.nodes["item"]) == set(web.edges["source"]) | set(web.edges["target"])  # no lone nodes
    loose = pairs.spider_web(itemsets, top_n=30, min_lift=1.0)
    assert len(loose.edges) > len(web.edges)
    assert "at least 1.5×" in pairs.web_caption(web, lang="en") and "chips + salsa at 6.0×" in pairs.web_caption(
        web, lang="en"
    )
    empty = pairs.spider_web(mine(TINY, min_support=0.2), min_lift=2)
    assert empty.edges.empty and pairs.web_caption(empty, lang="zh").startswith("没有任何商品组合")
    with pytest.raises(ParameterError, match="min_lift"):
        pairs.spider_web(itemsets, min_lift=0.5)
