"""Purchase types: labels need every item of a type, and the tree recovers the planted trendy profile."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.basket import purchase_types as pt
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.baskets import PLANTED_TYPES, planted_types

BANDS = {"age": [25, 46], "income": [30, 60]}


@pytest.fixture(scope="module")
def classifier(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> pt.TypeRules:
    lines, customers = synthetic
    labels = pt.label_customers(lines, PLANTED_TYPES["en"])
    return pt.type_rules(customers[["customer_id", "gender", "age", "income"]], labels, bands=BANDS, max_depth=3)


def test_label_baskets_needs_every_item_of_the_type() -> None:
    lines = pd.DataFrame(
        {"invoice_id": ["1", "1", "1", "2", "2"], "item": ["wine", "sweets", "coffee", "wine", "coffee"]}
    )
    labels = pt.label_baskets(lines, {"trendy": ["wine", "sweets", "coffee"]})
    assert labels["1"] == "trendy" and pd.isna(labels["2"])
    with pytest.raises(InputError, match="tea"):
        pt.label_baskets(lines, {"x": ["tea"]})
    with pytest.raises(ParameterError):
        pt.label_baskets(lines, {})


def test_label_customers_takes_the_type_of_most_baskets() -> None:
    lines = pd.DataFrame(
        {
            "invoice_id": ["1", "1", "2", "3", "3", "4"],
            "customer_id": ["a", "a", "a", "b", "b", "c"],
            "item": ["wine", "tea", "wine", "tea", "milk", "milk"],
        }
    )
    labels = pt.label_customers(lines, {"wine lover": ["wine"], "tea drinker": ["tea"]}, min_baskets=2)
    assert labels.set_index("customer_id")["purchase_type"].to_dict() == {"a": "wine lover", "b": "other", "c": "other"}
    assert labels["typed_baskets"].tolist() == [2, 1, 0] and labels["baskets"].tolist() == [2, 1, 1]
    assert pt.types_text(labels, lang="en") == "1 of 3 customers have a purchase type."


def test_the_demo_type_comes_from_the_data_layer() -> None:
    assert planted_types("synthetic_baskets") == PLANTED_TYPES["en"]
    assert planted_types("synthetic_baskets_zh") == PLANTED_TYPES["zh"]
    assert planted_types("my_baskets") == {}


def test_purchase_type_classifier_recovers_the_planted_rule(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, _ = synthetic
    labels = pt.label_customers(lines, PLANTED_TYPES["en"])
    assert set(labels["purchase_type"]) == {"trendy", "other"}
    assert (labels["purchase_type"] == "trendy").sum() == 81  # the demo report's "81 of 1,500 customers"


def test_the_tree_reads_as_the_planted_profile(classifier: pt.TypeRules) -> None:
    trendy = classifier.rules[classifier.rules["purchase_type"] == "trendy"]
    assert len(trendy) >= 1
    best = trendy.iloc[0]
    assert {"gender = F", "age = 25–45", "income = 60+"} <= set(best["conditions"])
    assert classifier.test_accuracy >= classifier.baseline_accuracy
    sentence = pt.describe_type_rules(classifier, lang="en")[0]
    assert sentence.startswith("trendy tends to be:") and "gender = F" in sentence
    assert pt.classifier_text(classifier, lang="en").startswith("The tree predicts the type of held-out customers")


def test_the_seed_is_passed_to_the_split(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, customers = synthetic
    labels = pt.label_customers(lines, PLANTED_TYPES["en"])
    attributes = customers[["customer_id", "gender", "age", "income"]]
    same = [pt.type_rules(attributes, labels, bands=BANDS, seed=s).rules for s in (0, 0, 1)]
    pd.testing.assert_frame_equal(same[0], same[1])
    assert not same[0].equals(same[2])


def test_type_rules_table(classifier: pt.TypeRules) -> None:
    styled = pt.type_rules_table(classifier, lang="en")
    assert styled.data.columns.tolist() == [
        "Purchase type",
        "Customers who are",
        "Customers",
        "Share of the type",
        "Share among all customers",
    ]
    assert len(styled.data) == len(classifier.rules)
    assert "%" in styled.to_html() and "row_heading" not in styled.to_html()


def test_one_type_is_refused(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, customers = synthetic
    labels = pt.label_customers(lines, PLANTED_TYPES["en"]).assign(purchase_type="other")
    with pytest.raises(InputError, match="same purchase type"):
        pt.type_rules(customers, labels)


def test_leaf_conditions_read_has_on_the_right_and_not_on_the_left() -> None:
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(random_state=0).fit([[0], [0], [1], [1], [1]], ["a", "a", "b", "b", "a"])
    rules = pt._leaf_rules(tree, ["gender = F"], "zh")
    leaves = {r.conditions: (r.purchase_type, r.customers, r.share) for r in rules.itertuples()}
    assert leaves == {("非gender = F",): ("a", 2, 1.0), ("gender = F",): ("b", 3, 2 / 3)}
    assert rules["base_share"].tolist() == [3 / 5, 2 / 5]


def test_the_verdict_flips_when_attributes_do_not_tell_the_types_apart(
    synthetic: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    """Planted profile: the tree beats guessing; the same types on shuffled attributes: it adds nothing."""
    lines, customers = synthetic
    labels = pt.label_customers(lines, {"wine lover": ["wine"]})
    attributes = customers[["customer_id", "gender", "age", "income"]]
    planted = labels.assign(
        purchase_type=labels["customer_id"]
        .map(
            dict(zip(attributes["customer_id"], (attributes["gender"] == "F") & (attributes["age"] < 40), strict=True))
        )
        .map({True: "young women", False: "other"})
    )
    told = pt.type_rules(attributes, planted, bands=BANDS)
    assert pt.adds_over_baseline(told)
    assert "points above always guessing" in pt.classifier_text(told, lang="en")
    assert pt.type_advice(told, lang="en").startswith("Aim a promotion for young women at customers who are")
    shuffled = attributes.assign(customer_id=attributes["customer_id"].sample(frac=1, random_state=1).to_numpy())
    blind = pt.type_rules(shuffled, planted, bands=BANDS)
    assert not pt.adds_over_baseline(blind)
    assert "adds nothing" in pt.classifier_text(blind, lang="en") and "没有增加任何价值" in pt.classifier_text(
        blind, lang="zh"
    )
    assert pt.type_advice(blind, lang="en").startswith("Do not select customers")


def test_the_demo_tree_ties_the_commonest_type_and_says_so(classifier: pt.TypeRules) -> None:
    assert classifier.test_accuracy - classifier.baseline_accuracy < pt.MIN_GAIN
    assert "adds nothing" in pt.classifier_text(classifier, lang="en")
