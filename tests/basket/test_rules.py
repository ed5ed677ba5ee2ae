"""Frequent itemsets and association rules: hand-computed metrics, mlxtend as oracle, planted rules."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from crmlab.basket import rules as basket
from crmlab.basket.rules import Itemsets, Rules
from crmlab.core.errors import ParameterError
from crmlab.data.real import package_dir
from crmlab.data.synthetic.baskets import make_baskets
from tests.basket.frames import TINY, find_rule


def test_mine_returns_the_counts_with_the_table() -> None:
    itemsets = basket.mine(TINY, min_support=0.1)
    assert (itemsets.n_baskets, itemsets.n_items, itemsets.min_support) == (10, 4, 0.1)
    assert itemsets.counts(2) == {frozenset("AB"): 4, frozenset("AC"): 2, frozenset("BC"): 2}
    lines = pd.DataFrame({"invoice_id": ["1", "1", "2"], "item": ["A", "B", "A"]})
    assert basket.mine(lines, min_support=0.5).counts(1) == {frozenset("A"): 2, frozenset("B"): 1}


def test_hand_computed_metrics() -> None:
    itemsets = basket.mine(TINY, min_support=0.1)
    rules = basket.association_rules(itemsets, min_confidence=0.0, prune_redundant=False)
    a_b = find_rule(rules, {"A"}, {"B"})
    # support 4/10; confidence 4/6; lift (4/6)/(5/10); leverage 0.4 - 0.6*0.5; conviction (1-0.5)/(1-4/6)
    assert a_b["count"] == 4 and a_b["antecedent_count"] == 6 and a_b["consequent_count"] == 5
    assert a_b["support"] == pytest.approx(0.4)
    assert a_b["confidence"] == pytest.approx(2 / 3)
    assert a_b["lift"] == pytest.approx(4 / 3)
    assert a_b["leverage"] == pytest.approx(0.1)
    assert a_b["conviction"] == pytest.approx(1.5)
    ab_c = find_rule(rules, {"A", "B"}, {"C"})
    # {A,B,C} in 1 basket, {A,B} in 4, C in 4: confidence 1/4, lift 0.25/0.4
    assert ab_c["confidence"] == pytest.approx(0.25)
    assert ab_c["lift"] == pytest.approx(0.625)
    assert ab_c["leverage"] == pytest.approx(0.1 - 0.4 * 0.4)
    assert ab_c["conviction"] == pytest.approx((1 - 0.4) / (1 - 0.25))
    assert (rules.n_baskets, rules.min_support, rules.min_confidence, rules.metric) == (10, 0.1, 0.0, "lift")


def test_a_filtered_table_keeps_the_basket_count() -> None:
    itemsets = basket.mine(TINY, min_support=0.1)
    pairs_only = replace(itemsets, table=itemsets.table[itemsets.table["itemsets"].map(len) <= 2])
    rules = basket.association_rules(pairs_only, min_confidence=0.0, prune_redundant=False)
    assert find_rule(rules, {"A"}, {"B"})["support"] == pytest.approx(0.4)


def test_redundant_rules_are_dropped(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, rules = synthetic_rules
    everything = basket.association_rules(itemsets, min_confidence=0.3, prune_redundant=False)
    assert len(everything) > len(rules)
    find_rule(everything, {"chips", "milk"}, {"salsa"})
    with pytest.raises(AssertionError):
        find_rule(rules, {"chips", "milk"}, {"salsa"})
    find_rule(rules, {"bread", "butter"}, {"jam"})  # far more confident than bread -> jam: kept
    assert (rules.table["lift"] >= 1.1).all()


def test_conviction_is_infinite_at_full_confidence() -> None:
    itemsets = basket.mine([["x", "y"], ["x", "y"], ["y"], ["z"]], min_support=0.25)
    rules = basket.association_rules(itemsets, min_confidence=0, prune_redundant=False)
    assert math.isinf(find_rule(rules, {"x"}, {"y"})["conviction"])


def _cosmetics() -> list[list[str]]:
    """The DMBA textbook's cosmetics purchases (1,000 real baskets of 14 products), shipped in the dmba wheel."""
    frame = pd.read_csv(package_dir("dmba") / "csvFiles" / "Cosmetics.csv.gz").iloc[
        :, 1:
    ]  # after the transaction number
    return [[item for item, bought in row.items() if bought] for _, row in frame.iterrows()]


PARITY_DATA = {
    "hand-made": (lambda: TINY, 0.1, 0.2),
    "synthetic baskets": (lambda: make_baskets(0)[0], 0.01, 0.3),
    "dmba cosmetics": (_cosmetics, 0.05, 0.5),
}


@pytest.mark.parametrize("name", PARITY_DATA)
def test_without_pruning_the_rules_are_mlxtends(name: str) -> None:
    """prune_redundant=False gives exactly mlxtend's rules on the same itemsets, with every metric."""
    from mlxtend.frequent_patterns import association_rules

    load, min_support, min_confidence = PARITY_DATA[name]
    itemsets = basket.mine(load(), min_support=min_support, max_len=0)
    rules = basket.association_rules(itemsets, min_confidence=min_confidence, prune_redundant=False)
    theirs = association_rules(
        itemsets.table[["support", "itemsets"]],
        num_itemsets=itemsets.n_baskets,
        metric="confidence",
        min_threshold=min_confidence,
    )
    assert len(rules) == len(theirs) == rules.n_before_pruning > 10
    ours = rules.table.assign(
        **{
            "antecedent support": rules.table["antecedent_count"] / rules.n_baskets,
            "consequent support": rules.table["consequent_count"] / rules.n_baskets,
        }
    )
    merged = ours.merge(theirs, on=["antecedents", "consequents"], suffixes=("", "_mlx"), validate="one_to_one")
    assert len(merged) == len(theirs)
    for metric in (
        "antecedent support",
        "consequent support",
        "support",
        "confidence",
        "lift",
        "leverage",
        "conviction",
    ):
        assert merged[metric].to_numpy() == pytest.approx(merged[f"{metric}_mlx"].to_numpy(), rel=1e-12), metric
    pruned = basket.association_rules(itemsets, min_confidence=min_confidence)
    assert pruned.n_before_pruning == len(rules) > len(pruned)


def test_max_len_zero_means_no_limit() -> None:
    baskets = make_baskets(0)[0]
    unlimited = basket.mine(baskets, min_support=0.01, max_len=0)
    assert unlimited.table.equals(basket.mine(baskets, min_support=0.01).table)
    longest = unlimited.table["itemsets"].map(len).max()
    assert longest > 2 and basket.mine(baskets, min_support=0.01, max_len=2).table["itemsets"].map(len).max() == 2


def test_the_pruning_sentence_states_both_counts(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, rules = synthetic_rules
    assert (rules.n_before_pruning, len(rules), rules.prune_redundant) == (40, 19, True)
    assert basket.pruning_text(rules, lang="en").startswith(
        "40 rules pass the thresholds; 21 of them are redundant and left out, which leaves 19"
    )
    assert "剩余 19 条" in basket.pruning_text(rules, lang="zh")
    everything = basket.association_rules(itemsets, min_confidence=0.3, prune_redundant=False)
    assert basket.pruning_text(everything, lang="en").startswith("All 40 rules that pass the thresholds are listed")
    strict = basket.association_rules(itemsets, min_confidence=0.3, min_improvement=-1)
    assert basket.pruning_text(strict, lang="en").startswith("None of the 40 rules that pass the thresholds is")
    none = basket.association_rules(itemsets, min_confidence=1.0)
    assert (len(none), basket.pruning_text(none)) == (0, "")


def test_planted_rules_are_among_the_top_rules(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    _, rules = synthetic_rules
    top = rules.table.head(25)
    pairs = set(zip(top["antecedents"], top["consequents"], strict=True))
    assert (frozenset({"diapers"}), frozenset({"beer"})) in pairs
    assert (frozenset({"bread", "butter"}), frozenset({"jam"})) in pairs
    assert (frozenset({"sweets", "wine"}), frozenset({"gourmet coffee"})) in pairs
    assert any(c == frozenset({"salsa"}) and "chips" in a for a, c in pairs)
    assert find_rule(rules, {"diapers"}, {"beer"})["lift"] > 3


def test_the_demo_figures(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    """The headline figures of notebook 30 on its default data."""
    itemsets, rules = synthetic_rules
    assert (itemsets.n_baskets, itemsets.n_items, len(itemsets), len(rules)) == (7594, 28, 262, 19)
    assert basket.rule_sentences(rules, top=1, lang="en") == ["if {gourmet coffee} then {sweets, wine}"]
    assert rules.table["lift"].iloc[0] == pytest.approx(13.320633107611977, rel=1e-12)


def test_rule_table_reads_as_sentences(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    _, rules = synthetic_rules
    table = basket.rule_table(rules, top=5, lang="en").data
    assert len(table) == 5
    assert table["Rule"].str.match(r"^if \{.+\} then \{.+\}$").all()
    assert table.columns.tolist() == [
        "Rule",
        "Baskets with the 'if' items",
        "Baskets with all items",
        "Support",
        "Confidence",
        "Lift",
    ]
    zh = basket.rule_table(rules, top=1, lang="zh")
    assert zh.data.columns[0] == "规则" and zh.data.iloc[0, 0].startswith("如果购买")
    html = zh.to_html()
    assert "13.32×" in html and "2.83%" in html and "row_heading" not in html


def test_threshold_advice(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, rules = synthetic_rules
    assert basket.threshold_advice(itemsets, rules) == []
    assert basket.advice_text(itemsets, rules, lang="en") == "The thresholds give a readable number of rules."
    low = basket.mine(TINY, min_support=0.1)
    everything = basket.association_rules(low, min_confidence=0, prune_redundant=False)
    advice = basket.threshold_advice(low, everything, max_rules=3, lang="en")
    assert any("coincidence" in a for a in advice) and any("too many" in a for a in advice)
    high = basket.mine(TINY, min_support=0.5)
    none = basket.threshold_advice(high, basket.association_rules(high, min_confidence=0.9), lang="en")
    assert len(none) == 1 and "no rule" in none[0]
    assert basket.advice_text(high, basket.association_rules(high, min_confidence=0.9), lang="en").startswith("**")


def test_summary_text(synthetic_rules: tuple[Itemsets, Rules]) -> None:
    itemsets, rules = synthetic_rules
    assert basket.summary_text(itemsets, rules, lang="en") == (
        "7,594 baskets with 28 distinct items give 262 frequent itemsets and 19 rules."
    )


@pytest.mark.parametrize("bad", [0, 1.01, -1])
def test_min_support_outside_0_1_is_refused(bad: float) -> None:
    with pytest.raises(ParameterError, match=r"\(0, 1\]"):
        basket.mine(TINY, min_support=bad)


@pytest.mark.parametrize("bad", [-0.1, 1.5, "high"])
def test_min_confidence_outside_0_1_is_refused(bad: object) -> None:
    with pytest.raises(ParameterError, match="min_confidence"):
        basket.association_rules(basket.mine(TINY, min_support=0.2), min_confidence=bad)  # type: ignore[arg-type]


def test_unknown_metric_gets_a_suggestion() -> None:
    with pytest.raises(ParameterError, match="Did you mean 'lift'"):
        basket.association_rules(basket.mine(TINY, min_support=0.2), metric="lfit")
