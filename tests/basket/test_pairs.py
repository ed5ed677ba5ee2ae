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
    assert "6.00" in html and "0.549" in html and "row_heading" not in html


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
