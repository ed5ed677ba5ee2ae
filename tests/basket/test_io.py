"""Reading basket files (line tables and one basket per line, UTF-8 and GBK), the demo data, cleaning."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crmlab.basket import io
from crmlab.basket.rules import association_rules, mine, rule_sentences
from crmlab.core.errors import InputError, ParameterError
from crmlab.data import describe_input


def test_one_basket_per_line_file(tmp_path: Path) -> None:
    path = tmp_path / "baskets.dat"
    path.write_text("1 2 3\n2 3\n\n1 3\n")
    lines = io.read_basket_lines(path)
    assert lines["invoice_id"].nunique() == 3 and len(lines) == 7


def test_separators_of_one_basket_per_line(tmp_path: Path) -> None:
    path = tmp_path / "baskets.txt"
    path.write_text("milk; bread;tea\nbread;jam\n")
    lines = io.read_basket_lines(path)
    assert lines["item"].tolist() == ["milk", "bread", "tea", "bread", "jam"]
    assert lines["invoice_id"].tolist() == ["1", "1", "1", "2", "2"]


def test_gbk_chinese_basket_lines(tmp_path: Path) -> None:
    path = tmp_path / "baskets_gbk.csv"
    frame = pd.DataFrame({"订单号": ["1", "1", "2", "2", "3"], "商品名称": ["啤酒", "尿布", "啤酒", "尿布", "牛奶"]})
    frame.to_csv(path, index=False, encoding="gbk")
    lines = io.read_basket_lines(path)
    assert lines["item"].tolist() == ["啤酒", "尿布", "啤酒", "尿布", "牛奶"]
    rules = association_rules(mine(lines, min_support=0.3), min_confidence=0.5)
    assert rule_sentences(rules, top=1, lang="zh")[0] in {
        "如果购买 {啤酒}，则也购买 {尿布}",
        "如果购买 {尿布}，则也购买 {啤酒}",
    }


def test_gbk_one_basket_per_line(tmp_path: Path) -> None:
    path = tmp_path / "baskets_gbk.txt"
    path.write_bytes("啤酒,尿布\n啤酒,尿布,牛奶\n".encode("gbk"))
    lines = io.read_basket_lines(path)
    assert sorted(lines["item"].unique()) == sorted(["啤酒", "尿布", "牛奶"])


def test_excel_sheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "baskets.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        pd.DataFrame({"InvoiceNo": ["1", "1", "2"], "Description": ["tea", "milk", "tea"]}).to_excel(
            writer, sheet_name="lines", index=False
        )
    lines = io.read_basket_lines(path, sheet="lines")
    assert lines["item"].tolist() == ["tea", "milk", "tea"]


def test_online_retail_cleaning() -> None:
    lines = pd.DataFrame(
        {
            "invoice_id": ["536365", "536365", "C536379", "536380", "536380", "536381"],
            "item_id": ["85123A", "POST", "D", "71053", "BANK CHARGES", "22752"],
            "item": ["HEART", "POSTAGE", "Discount", "LANTERN", "Bank Charges", "SET"],
            "quantity": [6, 1, -1, 6, 1, -2],
        }
    )
    result = io.clean_basket_lines(lines)
    assert result.data["item"].tolist() == ["HEART", "LANTERN"]
    report = result.report.set_index("rule")
    assert report["removed"].to_dict() == {"cancellation": 1, "non_product": 2, "non_positive_quantity": 1}
    assert report["kept"].tolist() == [5, 3, 2]
    assert len(result.rules.non_product_codes) == 11  # crmlab's one list
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
    lines = io.clean_basket_lines(io.read_basket_lines(path)).data
    assert lines["item"].tolist() == ["WHITE HEART", "LANTERN", "LANTERN"]
    assert lines["customer_id"].iloc[0] == "17850"


def test_demo_data_follows_the_report_language() -> None:
    assert io.localized_dataset("synthetic_baskets", "zh") == "synthetic_baskets_zh"
    assert io.localized_dataset("synthetic_baskets", "en") == "synthetic_baskets"
    assert io.localized_dataset("cdnow_master", "zh") == "cdnow_master"  # no Chinese twin
    zh = io.load_basket_lines(dataset="synthetic_baskets_zh")
    assert zh.dataset and zh.source == "synthetic_baskets_zh" and zh.mapping == {}
    assert "尿布" in set(zh.frame["item"]) and zh.frame["invoice_id"].nunique() == 7594
    customers = io.load_customers(customers_dataset="synthetic_basket_customers_zh")
    assert customers is not None and set(customers.frame["gender"]) == {"女", "男"}
    assert io.load_customers(input_path="mine.csv") is None  # a user's baskets have no demo customers


def test_a_file_states_the_columns_it_used(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("单号,商品编码,品名,件数,备注\n1,A1,茶叶,2,x\n1,B2,,1,y\n2,A1,茶叶,1,z\n", encoding="utf-8")
    loaded = io.load_basket_lines(path)
    assert loaded.mapping == {"单号": "invoice_id", "商品编码": "item_id", "品名": "item_name", "件数": "quantity"}
    assert loaded.frame["item"].tolist() == ["茶叶", "B2", "茶叶"]  # a missing name falls back to the code
    assert loaded.frame.columns.tolist() == ["invoice_id", "item_id", "item", "quantity"]
    assert "`单号` → `invoice_id`" in describe_input(loaded, "en")


def test_a_mapping_names_unrecognised_columns(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("ticket,product\n7,tea\n7,milk\n8,tea\n", encoding="utf-8")
    lines = io.read_basket_lines(path, columns={"ticket": "invoice_id"})  # auto-detected as lines
    assert lines["invoice_id"].tolist() == ["7", "7", "8"] and lines["item"].tolist() == ["tea", "milk", "tea"]


def test_cleaning_can_keep_cancellations() -> None:
    lines = pd.DataFrame({"invoice_id": ["C1", "C1", "2"], "item": ["tea", "POST", "milk"], "quantity": [-1, 1, 1]})
    kept = io.clean_basket_lines(lines, drop_cancellations=False).data
    assert kept["item"].tolist() == ["tea", "milk"]  # the code POST still goes
    other = pd.DataFrame({"invoice_id": ["1", "1", "2", "2"], "item": ["tea", "jam", "milk", "tea"]})
    assert io.clean_basket_lines(other, non_product_codes=["JAM"]).data["item"].tolist() == ["tea", "milk", "tea"]


def test_baskets_of_keeps_first_appearance_and_drops_repeats() -> None:
    lines = pd.DataFrame({"invoice_id": ["2", "1", "2", "2"], "item": ["tea", "milk", "jam", "tea"]})
    assert io.baskets_of(lines) == [["tea", "jam"], ["milk"]]
    with pytest.raises(InputError, match="item"):
        io.baskets_of(lines.rename(columns={"item": "product"}))


def test_lines_table_has_headings_and_no_row_numbers() -> None:
    lines = pd.DataFrame({"invoice_id": ["B1", "B1"], "item": ["tea", "milk"], "quantity": [1200, 1]})
    styled = io.lines_table(lines, lang="zh")
    assert styled.data.columns.tolist() == ["购物篮", "商品", "数量"]
    html = styled.to_html()
    assert "1,200" in html and "row_heading" not in html


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InputError, match="empty"):
        io.read_basket_lines(path)
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \n")
    with pytest.raises(InputError, match="empty"):
        io.read_basket_lines(blank)


def test_a_single_item_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("milk\nmilk\n")
    with pytest.raises(InputError, match="at least two different items"):
        io.read_basket_lines(path)


def test_unknown_format_gets_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("a b\n")
    with pytest.raises(ParameterError, match="Did you mean 'lines'"):
        io.read_basket_lines(path, input_format="line")


def test_missing_basket_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("order,商品名称\n1,啤酒\n")
    with pytest.raises(InputError, match="invoice_id"):
        io.read_basket_lines(path, input_format="lines")
