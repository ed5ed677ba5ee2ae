"""Warnings on degenerate basket lines: each sign of a misread file is seen, and clean data gets none."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crmlab import data
from crmlab.basket import io
from crmlab.basket.layout import Layout
from crmlab.basket.rules import advice_text, association_rules, mine
from crmlab.basket.sanity import input_warnings, warnings_text
from crmlab.core.errors import InputError
from tests.conftest import english_runs

BASKETS = Layout("baskets", "chosen")


def _lines(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["invoice_id", "item"])


def test_clean_demo_data_has_no_warning(synthetic: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    assert input_warnings(synthetic[0]) == []
    assert warnings_text([], lang="en").startswith("The lines show no sign of a misread file")


def test_a_unique_value_per_line_read_as_the_item() -> None:
    lines = _lines([(str(i // 3), f"2024-01-{i % 28 + 1:02d} 10:{i % 60:02d}") for i in range(60)])
    [warning] = input_warnings(lines, lang="en")
    assert warning.startswith("Warning: 60 distinct items in 60 lines")


def test_ids_among_the_items_of_a_table() -> None:
    lines = _lines([(f"B{i // 2}", f"B{(i + 7) // 2}" if i % 2 else "tea") for i in range(40)])
    warnings = input_warnings(lines, lang="en")
    assert any(w.startswith("Warning: 16 of the 21 distinct items are also basket or customer ids") for w in warnings)


def test_one_item_baskets() -> None:
    lines = _lines([(str(i), ["tea", "milk", "jam"][i % 3]) for i in range(40)])
    assert input_warnings(lines, lang="en") == [
        "Warning: 100% of the 40 baskets hold a single item, so few rules can exist: the basket column may be a "
        "line number. Check which column is invoice_id."
    ]


def test_a_table_misread_as_one_basket_per_line(tmp_path: Path) -> None:
    """The issue's file: a GBK table `id,Goods` read with input_format='baskets' gets both warnings."""
    lines = data.load("synthetic_baskets_zh")[["invoice_id", "item"]].head(400)
    path = tmp_path / "goods.csv"
    lines.set_axis(["id", "Goods"], axis=1).to_csv(path, index=False, encoding="gbk")
    loaded = io.load_basket_lines(path, input_format="baskets")
    warnings = input_warnings(loaded.frame, layout=loaded.layout, lang="en")
    assert len(warnings) == 2
    assert warnings[0].startswith("Warning: the first value of every line (")
    assert "e.g. 'B000001', 'B000002', 'B000003') never appears later in a line" in warnings[0]
    assert warnings[1].startswith("Warning: the first line ('Goods', 'id') shares no value with the other lines")
    zh = input_warnings(loaded.frame, layout=loaded.layout, lang="zh")
    assert len(zh) == 2 and all(english_runs(w) == [] for w in zh)
    assert input_warnings(io.read_basket_lines(path), lang="en") == []  # read as lines: fine


def test_one_basket_per_line_data_without_signs() -> None:
    lines = _lines([(str(i), item) for i in range(30) for item in (["tea", "milk"] if i % 2 else ["milk", "jam"])])
    assert input_warnings(lines, layout=BASKETS) == []


def test_too_few_lines_to_judge() -> None:
    assert input_warnings(_lines([("1", "a"), ("2", "b")])) == []


def test_no_rule_warns_to_check_the_reading_too() -> None:
    itemsets = mine([["a", "b"], ["c"], ["d"], ["a"]], min_support=0.5)
    text = advice_text(itemsets, association_rules(itemsets), lang="en")
    assert "no rule passes the thresholds" in text and "set input_format and columns" in text


def test_missing_columns_are_named() -> None:
    with pytest.raises(InputError, match="item"):
        input_warnings(pd.DataFrame({"invoice_id": ["1"]}))
