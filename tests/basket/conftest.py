"""Fixtures of the basket tests: the synthetic demo data (planted rules and type) and its rules."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.basket.rules import Itemsets, Rules, association_rules, mine
from crmlab.data.synthetic.baskets import make_baskets


@pytest.fixture(scope="package")
def synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Basket lines and customers of the demo data (seed 0)."""
    return make_baskets(0)


@pytest.fixture(scope="package")
def synthetic_rules(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[Itemsets, Rules]:
    """The demo's itemsets at min_support 0.01 and rules at min_confidence 0.3."""
    itemsets = mine(synthetic[0], min_support=0.01)
    return itemsets, association_rules(itemsets, min_confidence=0.3)
