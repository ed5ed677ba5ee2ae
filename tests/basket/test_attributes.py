"""Banded customer attributes and rules over them: hand-made bands and the planted car rule."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.basket import attributes as at
from crmlab.core.errors import InputError, ParameterError
from tests.basket.frames import find_rule


def test_band_attributes() -> None:
    customers = pd.DataFrame({"customer_id": [1, 2, 3, 4], "age": [17, 25, 45, 70], "married": ["y", "n", "y", "y"]})
    banded = at.band_attributes(customers, bands={"age": [18, 25, 46]})
    assert banded["age"].tolist() == ["<18", "25–45", "25–45", "46+"]
    assert banded["married"].tolist() == ["y", "n", "y", "y"]
    assert banded["customer_id"].tolist() == ["1", "2", "3", "4"]
    with pytest.raises(ParameterError, match="agee"):
        at.band_attributes(customers, bands={"agee": [1]})


def test_continuous_columns_are_cut_at_quantiles() -> None:
    customers = pd.DataFrame({"customer_id": range(30), "income": range(30)})
    banded = at.band_attributes(customers, lang="zh")
    assert banded["收入"].value_counts().to_dict() == {"低": 10, "中": 10, "高": 10}  # attribute named in Chinese


def test_chinese_attribute_rules_name_attributes_in_chinese(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, customers = synthetic
    rules = at.attribute_rules(customers, bands={"age": [50, 60], "cars": [2]}, min_support=0.02, lang="zh")
    items = {str(i) for side in ("antecedents", "consequents") for s in rules.table[side] for i in s}
    assert "年龄 = 50–59" in items and not any(i.startswith(("age", "cars", "married", "gender")) for i in items)


def test_attribute_rules_find_the_planted_car_rule(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, customers = synthetic
    rules = at.attribute_rules(
        customers,
        lines=lines,
        bands={"age": [18, 30, 40, 50, 60], "cars": [1, 2]},
        min_support=0.02,
        min_confidence=0.1,
    )
    cars = find_rule(rules, {"age = 50–59", "married = yes"}, {"cars = 2+"})
    assert cars["kind"] == "attribute" and 0.5 < cars["confidence"] < 0.7
    assert set(rules.table["kind"]) == {"attribute", "item"}
    assert rules.n_baskets == len(customers)
    assert all(
        not any(a.startswith(("age", "married", "cars", "gender", "income")) is False and "=" not in a for a in ante)
        for ante in rules.table["antecedents"]
    )
    table = at.attribute_rule_table(rules, top=3, lang="en").data
    assert table.columns[:2].tolist() == ["Rule", "Then-part"]
    assert table["Rule"].str.startswith("if a customer has {").all()
    assert set(table["Then-part"]) <= {"attribute", "item"}


def test_attribute_rules_need_the_customer_of_each_line(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    lines, customers = synthetic
    with pytest.raises(InputError, match="customer_id"):
        at.attribute_rules(customers, lines=lines.drop(columns="customer_id"))
