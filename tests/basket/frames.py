"""Small hand-made baskets and a rule finder shared by the basket tests."""

from __future__ import annotations

import pandas as pd

from crmlab.basket.rules import Rules

#: 10 baskets. Hand counts: A 6, B 5, C 4, {A,B} 4, {A,C} 2, {B,C} 2, {A,B,C} 1, D 2.
TINY = [["A", "B"], ["A", "B"], ["A", "B", "C"], ["A", "B"], ["A", "C"], ["A"], ["B", "C"], ["C"], ["D"], ["D"]]


def find_rule(rules: Rules, antecedent: set[str], consequent: set[str]) -> pd.Series:
    """The one rule "if ``antecedent`` then ``consequent``" of ``rules``; AssertionError when absent."""
    table = rules.table
    hit = table[(table["antecedents"] == frozenset(antecedent)) & (table["consequents"] == frozenset(consequent))]
    assert len(hit) == 1, f"rule {antecedent} -> {consequent} not found"
    return hit.iloc[0]
