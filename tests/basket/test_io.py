"""Basket analysis: hand-computed metrics, planted rules and types, readers and bad input."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from crmlab.basket import rules as basket
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.baskets import PLANTED_TYPES, make_baskets

matplotlib.use("Agg")

# 10 baskets. Hand counts: A 6, B 5, C 4, {A,B} 4, {A,C} 2, {B,C} 2, {A,B,C} 1.
TINY = [["A", "B"], ["A", "B"], ["A", "B", "C"], ["A", "B"], ["A", "C"], ["A"], ["B", "C"], ["C"], ["D"], ["D"]]


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_baskets(0)


@pytest.fixture(scope="module")
def synthetic_rules(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    itemsets = basket.mine(synthetic[0], min_support=0.01)
    return itemsets, basket.association_rules(itemsets, min_confidence=0.3)


def _rule(rules: pd.DataFrame, antecedent: set[str], consequent: set[str]) -> pd.Series:
    hit = rules[(rules["antecedents"] == frozenset(antecedent)) & (rules["consequents"] == frozenset(consequent))]
    assert len(hit) == 1, f"rule {antecedent} -> {consequent} not found"
    return hit.iloc[0]


def test_hand_computed_metrics() -> None:
    itemsets = basket.mine(TINY, min_support=0.1)
    rules = basket.association_rules(itemsets, min_confidence=0.0, min_improvement=-1)
    a_b = _rule(rules, {"A"}, {"B"})
    # support 4/10; confidence 4/6; lift (4/6)/(5/10); leverage 0.4 - 0.6*0.5; conviction (1-0.5)/(1-4/6)
    assert a_b["count"] == 4 and a_b["antecedent_count"] == 6 and a_b["consequent_count"] == 5
    assert a_b["support"] == pytest.approx(0.4)
    assert a_b["confidence"] == pytest.approx(2 / 3)
    assert a_b["lift"] == pytest.approx(4 / 3)
    assert a_b["leverage"] == pytest.approx(0.1)
    assert a_b["conviction"] == pytest.approx(1.5)
    ab_c = _rule(rules, {"A", "B"}, {"C"})
    # {A,B,C} in 1 basket, {A,B} in 4, C in 4: confidence 1/4, lift 0.25/0.4
    assert ab_c["confidence"] == pytest.approx(0.25)
    assert ab_c["lift"] == pytest.approx(0.625)
    assert ab_c["leverage"] == pytest.approx(0.1 - 0.4 * 0.4)
    assert ab_c["conviction"] == pytest.approx((1 - 0.4) / (1 - 0.25))


def test_redundant_rules_are_dropped(synthetic_rules: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    itemsets, rules = synthetic_rules
    everything = basket.association_rules(itemsets, min_confidence=0.3, min_improvement=-1)
    assert len(everything) > len(rules)
    _rule(everything, {"chips", "milk"}, {"salsa"})
    with pytest.raises(AssertionError):
        _rule(rules, {"chips", "milk"}, {"salsa"})
    _rule(rules, {"bread", "butter"}, {"jam"})  # far more confident than bread -> jam: kept
    assert (rules["lift"] >= 1.1).all()


def test_conviction_is_infinite_at_full_confidence() -> None:
    itemsets = basket.mine([["x", "y"], ["x", "y"], ["y"], ["z"]], min_support=0.25)
    rules = basket.association_rules(itemsets, min_confidence=0, min_improvement=-1)
    assert math.isinf(_rule(rules, {"x"}, {"y"})["conviction"])


def test_metrics_match_mlxtend_association_rules() -> None:
    from mlxtend.frequent_patterns import association_rules

    itemsets = basket.mine(TINY, min_support=0.1)
    ours = basket.association_rules(itemsets, min_confidence=0.2, min_improvement=-1)
    theirs = association_rules(itemsets[["support", "itemsets"]], metric="confidence", min_threshold=0.2)
    merged = ours.merge(theirs, on=["antecedents", "consequents"], suffixes=("", "_mlx"))
    assert len(merged) == len(ours) == len(theirs)
    for metric in ("support", "confidence", "lift", "leverage", "conviction"):
        assert merged[metric].to_numpy() == pytest.approx(merged[f"{metric}_mlx"].to_numpy())


def test_planted_rules_are_among_the_top_rules(synthetic_rules: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, rules = synthetic_rules
    top = rules.head(25)
    pairs = set(zip(top["antecedents"], top["consequents"], strict=True))
    assert (frozenset({"diapers"}), frozenset({"beer"})) in pairs
    assert (frozenset({"bread", "butter"}), frozenset({"jam"})) in pairs
    assert (frozenset({"sweets", "wine"}), frozenset({"gourmet coffee"})) in pairs
    assert any(c == frozenset({"salsa"}) and "chips" in a for a, c in pairs)
    assert _rule(rules, {"diapers"}, {"beer"})["lift"] > 3


def test_rule_table_reads_as_sentences(synthetic_rules: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, rules = synthetic_rules
    table = basket.rule_table(rules, top=5, lang="en")
    assert len(table) == 5
    assert table["Rule"].str.match(r"^if \{.+\} then \{.+\}$").all()
    zh = basket.rule_table(rules, top=1, lang="zh")
    assert zh.columns[0] == "规则" and zh.iloc[0, 0].startswith("如果购买")


def test_cross_sell_recommends_the_planted_partners(synthetic_rules: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    itemsets, _ = synthetic_rules
    table = basket.cross_sell(itemsets, top_items=30, per_item=1)
    best = dict(zip(table["item"], table["offer"], strict=True))
    assert best["diapers"] == "beer" and best["chips"] == "salsa"
    assert (table["lift"] >= 1.5).all()
    assert table["why"].str.contains("×").all()


def test_spider_web_keeps_top_n_and_the_strongest_pairs(synthetic_rules: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    itemsets, _ = synthetic_rules
    web = basket.spider_web(itemsets, top_n=8, metric="lift")
    assert len(web.nodes) == 8
    assert set(web.edges["source"]) | set(web.edges["target"]) <= set(web.nodes["item"])
    edges = {frozenset(e) for e in zip(web.edges["source"], web.edges["target"], strict=True)}
    assert frozenset({"diapers", "beer"}) in edges and frozenset({"chips", "salsa"}) in edges
    assert web.edges["strength"].is_monotonic_decreasing


def test_spider_web_chart_draws_chinese_labels() -> None:
    from crmlab.basket.charts import plot_spider_web

    lines, _ = make_baskets(0, n_customers=300, lang="zh")
    web = basket.spider_web(basket.mine(lines, min_support=0.01), top_n=10)
    ax = plot_spider_web(web, lang="zh")
    texts = {t.get_text() for t in ax.texts}
    assert "尿布" in texts and "蜘蛛网图" in ax.get_title()
    assert len(ax.patches) == len(web.edges)


def test_threshold_advice(synthetic_rules: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    itemsets, rules = synthetic_rules
    assert basket.threshold_advice(itemsets, rules) == []
    low = basket.mine(TINY, min_support=0.1)
    everything = basket.association_rules(low, min_confidence=0, min_improvement=-1)
    advice = basket.threshold_advice(low, everything, max_rules=3, lang="en")
    assert any("coincidence" in a for a in advice) and any("too many" in a for a in advice)
    high = basket.mine(TINY, min_support=0.5)
    none = basket.threshold_advice(high, basket.association_rules(high, min_confidence=0.9), lang="en")
    assert len(none) == 1 and "no rule" in none[0]


def test_band_attributes() -> None:
    customers = pd.DataFrame({"customer_id": [1, 2, 3, 4], "age": [17, 25, 45, 70], "married": ["y", "n", "y", "y"]})
    banded = basket.band_attributes(customers, bands={"age": [18, 25, 46]})
    assert banded["age"].tolist() == ["<18", "25–45", "25–45", "46+"]
    assert banded["married"].tolist() == ["y", "n", "y", "y"]
    with pytest.raises(ParameterError, match="agee"):
        basket.band_attributes(customers, bands={"agee": [1]})


def test_attribute_rules_find_the_planted_car_rule(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, customers = synthetic
    rules = basket.attribute_rules(
        customers,
        lines=lines,
        bands={"age": [18, 30, 40, 50, 60], "cars": [1, 2]},
        min_support=0.02,
        min_confidence=0.1,
    )
    cars = _rule(rules, {"age = 50–59", "married = yes"}, {"cars = 2+"})
    assert cars["kind"] == "attribute" and 0.5 < cars["confidence"] < 0.7
    assert set(rules["kind"]) == {"attribute", "item"}
    assert all(
        not any(a.startswith(("age", "married", "cars", "gender", "income")) is False and "=" not in a for a in ante)
        for ante in rules["antecedents"]
    )


def test_purchase_type_classifier_recovers_the_planted_rule(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, customers = synthetic
    labels = basket.label_customers(lines, PLANTED_TYPES["en"])
    assert set(labels["purchase_type"]) == {"trendy", "other"}
    result = basket.type_rules(
        customers[["customer_id", "gender", "age", "income"]],
        labels,
        bands={"age": [25, 46], "income": [30, 60]},
        max_depth=3,
    )
    trendy = result.rules[result.rules["purchase_type"] == "trendy"]
    assert len(trendy) >= 1
    best = trendy.iloc[0]
    assert {"gender = F", "age = 25–45", "income = 60+"} <= set(best["conditions"])
    assert result.test_accuracy >= result.baseline_accuracy
    sentence = basket.describe_type_rules(result, lang="en")[0]
    assert sentence.startswith("trendy tends to be:") and "gender = F" in sentence


def test_label_baskets_needs_every_item_of_the_type() -> None:
    lines = pd.DataFrame(
        {"invoice_id": ["1", "1", "1", "2", "2"], "item": ["wine", "sweets", "coffee", "wine", "coffee"]}
    )
    labels = basket.label_baskets(lines, {"trendy": ["wine", "sweets", "coffee"]})
    assert labels["1"] == "trendy" and pd.isna(labels["2"])
    with pytest.raises(InputError, match="tea"):
        basket.label_baskets(lines, {"x": ["tea"]})


def test_one_basket_per_line_file(tmp_path: Path) -> None:
    path = tmp_path / "baskets.dat"
    path.write_text("1 2 3\n2 3\n\n1 3\n")
    lines = basket.read_basket_lines(path)
    assert lines["invoice_id"].nunique() == 3 and len(lines) == 7


def test_gbk_chinese_basket_lines(tmp_path: Path) -> None:
    path = tmp_path / "baskets_gbk.csv"
    frame = pd.DataFrame({"订单号": ["1", "1", "2", "2", "3"], "商品名称": ["啤酒", "尿布", "啤酒", "尿布", "牛奶"]})
    frame.to_csv(path, index=False, encoding="gbk")
    lines = basket.read_basket_lines(path)
    assert lines["item"].tolist() == ["啤酒", "尿布", "啤酒", "尿布", "牛奶"]
    rules = basket.association_rules(basket.mine(lines, min_support=0.3), min_confidence=0.5)
    assert basket.rule_table(rules, lang="zh").iloc[0, 0] in {
        "如果购买 {啤酒}，则也购买 {尿布}",
        "如果购买 {尿布}，则也购买 {啤酒}",
    }


def test_gbk_one_basket_per_line(tmp_path: Path) -> None:
    path = tmp_path / "baskets_gbk.txt"
    path.write_bytes("啤酒,尿布\n啤酒,尿布,牛奶\n".encode("gbk"))
    lines = basket.read_basket_lines(path)
    assert sorted(lines["item"].unique()) == sorted(["啤酒", "尿布", "牛奶"])


def test_online_retail_cleaning() -> None:
    lines = pd.DataFrame(
        {
            "invoice_id": ["536365", "536365", "C536379", "536380", "536380", "536381"],
            "item_id": ["85123A", "POST", "D", "71053", "BANK CHARGES", "22752"],
            "item": ["HEART", "POSTAGE", "Discount", "LANTERN", "Bank Charges", "SET"],
            "quantity": [6, 1, -1, 6, 1, -2],
        }
    )
    cleaned = basket.clean_basket_lines(lines)
    assert cleaned["item"].tolist() == ["HEART", "LANTERN"]
    assert len(lines) == 6  # input not mutated


def test_online_retail_style_file(tmp_path: Path) -> None:
    path = tmp_path / "online_retail.csv"
    path.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
        "536365,71053,LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n"
        "536366,POST,POSTAGE,1,2010-12-01 08:28:00,18.0,,United Kingdom\n"
        "536366,71053,LANTERN,2,2010-12-01 08:28:00,3.39,,United Kingdom\n"
    )
    lines = basket.clean_basket_lines(basket.read_basket_lines(path))
    assert lines["item"].tolist() == ["WHITE HEART", "LANTERN", "LANTERN"]
    assert lines["customer_id"].iloc[0] == "17850"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InputError, match="empty"):
        basket.read_basket_lines(path)
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \n")
    with pytest.raises(InputError, match="empty"):
        basket.read_basket_lines(blank)


def test_a_single_item_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("milk\nmilk\n")
    with pytest.raises(InputError, match="at least two different items"):
        basket.read_basket_lines(path)


@pytest.mark.parametrize("bad", [0, 1.01, -1])
def test_min_support_outside_0_1_is_refused(bad: float) -> None:
    with pytest.raises(ParameterError, match=r"\(0, 1\]"):
        basket.mine(TINY, min_support=bad)


def test_unknown_metric_and_format_get_suggestions(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="Did you mean 'lift'"):
        basket.association_rules(basket.mine(TINY, min_support=0.2), metric="lfit")
    path = tmp_path / "b.txt"
    path.write_text("a b\n")
    with pytest.raises(ParameterError, match="Did you mean 'lines'"):
        basket.read_basket_lines(path, input_format="line")


def test_missing_basket_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("order,商品名称\n1,啤酒\n")
    with pytest.raises(InputError, match="invoice_id"):
        basket.read_basket_lines(path, input_format="lines")
