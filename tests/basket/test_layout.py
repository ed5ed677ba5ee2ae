"""Telling basket lines from one basket per line, and finding the basket and item columns, from the data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crmlab import data
from crmlab.basket import io
from crmlab.basket.layout import MIN_RUN, Layout, detect_layout, infer_roles, layout_text
from crmlab.core.errors import InputError
from tests.conftest import zh_message


@pytest.fixture(scope="module")
def chinese_lines() -> pd.DataFrame:
    """The Chinese demo baskets (7,594 baskets of 28 items, one row per basket line)."""
    return data.load("synthetic_baskets_zh")[["invoice_id", "item"]]


def _baskets(lines: pd.DataFrame) -> list[frozenset[str]]:
    return sorted((frozenset(b) for b in io.baskets_of(lines)), key=sorted)


@pytest.mark.parametrize("columns", [None, {"id": "invoice_id", "Goods": "item"}, {"Goods": "item"}])
def test_two_column_gbk_file_with_unknown_headers(
    tmp_path: Path, chinese_lines: pd.DataFrame, columns: dict[str, str] | None
) -> None:
    path = tmp_path / "goods.csv"
    chinese_lines.set_axis(["id", "Goods"], axis=1).to_csv(path, index=False, encoding="gbk")
    loaded = io.load_basket_lines(path, columns=columns)
    assert loaded.layout.format == "lines"
    assert loaded.mapping == {"id": "invoice_id", "Goods": "item"}
    lines = loaded.frame
    assert (lines["invoice_id"].nunique(), lines["item"].nunique()) == (7594, 28)
    assert not {"id", "Goods"} & set(lines["item"]) and not set(lines["invoice_id"]) & set(lines["item"])
    assert _baskets(lines) == _baskets(chinese_lines)


def test_the_report_says_which_columns_came_from_the_data(tmp_path: Path, chinese_lines: pd.DataFrame) -> None:
    path = tmp_path / "goods.csv"
    chinese_lines.set_axis(["id", "Goods"], axis=1).to_csv(path, index=False, encoding="gbk")
    loaded = io.load_basket_lines(path)
    layout = loaded.layout
    text = io.input_text(loaded, "en")
    assert text.startswith("Data: the file `goods.csv`, 25,388 rows") and "`id` → `invoice_id`" in text
    assert "Read as one row per basket line: the column 'id' repeats" in text
    assert (layout.reason, layout.evidence["column"]) == ("runs", "id")
    assert layout.evidence["share"] == pytest.approx(1 - 7594 / len(chinese_lines), abs=0.05)
    text = layout_text(layout, lang="en")
    assert "the column 'id' repeats on consecutive rows" in text
    assert "taken from the data: `id` → `invoice_id`, `Goods` → `item`" in text
    assert "`id` → `invoice_id`、`Goods` → `item`" in layout_text(layout, lang="zh")
    demo = io.load_basket_lines(dataset="synthetic_baskets")
    assert layout_text(demo.layout) == "" and io.input_text(demo, "en").endswith("no column mapping was needed.")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1,tea\n1,milk\n2,tea\n2,jam\n3,milk\n3,jam\n3,tea\n", r"first line \(1, tea\) looks like data"),  # no header
        ("InvoiceNo,Description\n1,tea\n1,milk\n1,jam\n", r"all 3 lines are in one basket \('1'\)"),
    ],
)
def test_a_headerless_table_and_a_single_basket_are_refused(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=f"{says}.*input_format='baskets'"):
        io.read_basket_lines(path)
    zh_message(lambda: io.read_basket_lines(path))


def test_misspelt_headers_are_read_as_lines_not_as_baskets(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("InvoceNo,Descripton\n7,tea\n7,milk\n8,tea\n8,jam\n9,milk\n", encoding="utf-8")
    loaded = io.load_basket_lines(path)
    assert loaded.mapping == {"InvoceNo": "invoice_id", "Descripton": "item"}
    assert io.baskets_of(loaded.frame) == [["tea", "milk"], ["tea", "jam"], ["milk"]]
    wide = tmp_path / "wide.csv"
    wide.write_text("InvoceNo,StockCod,Descripton\n7,A1,tea\n7,B2,milk\n8,A1,tea\n8,C3,jam\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no column for 'item'.*StockCod, Descripton.*columns="):
        io.read_basket_lines(wide)


def test_a_table_without_an_item_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("InvoiceNo,Quantity\n1,2\n1,3\n2,1\n2,5\n3,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no column for 'item'.*InvoiceNo, Quantity"):
        io.read_basket_lines(path)


def test_a_header_naming_only_the_item_finds_the_basket_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("order,商品名称\n1,啤酒\n1,尿布\n2,啤酒\n2,尿布\n3,牛奶\n", encoding="gbk")
    loaded = io.load_basket_lines(path)
    assert loaded.layout.inferred == {"order": "invoice_id"}
    assert loaded.mapping == {"order": "invoice_id", "商品名称": "item_name"}


def test_weak_evidence_shows_both_readings(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("a,b\n1,x\n2,y\n3,z\n4,w\n", encoding="utf-8")  # no repeating id, no shared items
    with pytest.raises(InputError) as raised:
        io.read_basket_lines(path)
    message = str(raised.value)
    assert "the first 5 lines give 4 baskets of 4 items with 'a' as the basket and 'b' as the item" in message
    assert "read as one basket per line, they give 5 baskets of 10 items (e.g. {a, b} / {1, x})" in message
    assert "input_format='lines'" in message and "input_format='baskets'" in message
    assert "input_format='lines'" in zh_message(lambda: io.read_basket_lines(path))
    chosen = io.read_basket_lines(path, input_format="lines", columns={"a": "invoice_id", "b": "item"})
    assert chosen["item"].tolist() == ["x", "y", "z", "w"]
    assert io.read_basket_lines(path, input_format="baskets")["invoice_id"].nunique() == 5


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("milk,bread\nbread,tea\ntea,milk\nmilk,jam\njam,bread\n", "shared"),  # every basket has two items
        ("1 2 3\n2 3\n1 3 4 5\n", "ragged"),  # the FIMI .dat format
        ("milk\nbread\nmilk\n", "single"),
    ],
)
def test_one_basket_per_line_is_recognised(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "baskets.txt"
    path.write_text(text, encoding="utf-8")
    assert detect_layout(path) == Layout("baskets", reason, detect_layout(path).evidence)


def test_the_run_threshold_separates_basket_ids_from_items() -> None:
    rows = [["basket", "what"], *([str(i // 2), f"item{i % 7}"] for i in range(40))]
    assert infer_roles(rows) == {"basket": "invoice_id", "what": "item"}
    singles = [["no", "what"], *([str(i), f"item{i % 7}"] for i in range(40))]  # every row its own id
    assert infer_roles(singles) == {}
    assert MIN_RUN == 0.2
