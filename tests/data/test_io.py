"""Reading users' files (encodings, formats, column mapping) and the real named data sets."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from tests.conftest import ROOT, zh_message

ZH_CSV = (
    "客户编号,订单号,商品编号,商品名称,数量,单价,下单时间\n"
    "10001,A001,P01,乌龙茶,2,35.5,2024-03-01 10:00:00\n"
    "10001,A001,P02,绿茶,1,28,2024-03-01 10:00:00\n"
    ",A002,P01,乌龙茶,1,35.5,2024-03-02 11:30:00\n"
    "10002,CA001,P02,绿茶,-1,28,2024-03-03 09:00:00\n"
)
ZH_MAP = {
    "客户编号": "customer_id",
    "订单号": "invoice_id",
    "商品编号": "item_id",
    "商品名称": "item_name",
    "数量": "quantity",
    "单价": "unit_price",
    "下单时间": "timestamp",
}


def _write(tmp_path: Path, name: str, text: str, encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _check_zh(df: pd.DataFrame) -> None:
    assert len(df) == 4
    assert df["item_name"].tolist() == ["乌龙茶", "绿茶", "乌龙茶", "绿茶"]
    assert df["customer_id"].tolist()[:2] == ["10001", "10001"]
    assert df["customer_id"].isna().sum() == 1
    assert df["amount"].tolist() == pytest.approx([71.0, 28.0, 35.5, -28.0])


@pytest.mark.parametrize(("encoding", "detected"), [("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")])
def test_chinese_csv_in_each_encoding(tmp_path: Path, encoding: str, detected: str) -> None:
    path = _write(tmp_path, "orders.csv", ZH_CSV, encoding)
    assert datasets.detect_encoding(path) == detected
    df = datasets.read(path, kind="transactions", columns=ZH_MAP)
    _check_zh(df)
    assert "客户编号" not in df.columns and "\ufeff客户编号" not in df.columns


def test_gbk_bytes_are_really_not_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, "orders.csv", ZH_CSV, "gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")


def test_undecodable_file_says_what_was_tried(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n\x81,1\n")  # 0x81 then a comma: neither UTF-8, GB18030 nor Windows-1252
    with pytest.raises(InputError, match=r"tried UTF-8 \(BOM\), UTF-16/UTF-32 \(BOM\), UTF-8, GBK/GB18030.*CSV UTF-8"):
        datasets.read(path)
    zh_message(lambda: datasets.read(path))


# --- encodings: each file reads right, or fails saying why --------------------------------------

LATIN = "customer_id,name,city\n1,Müller,Köln\n2,Zoë,Genève\n3,François,Besançon\n4,Søren,Århus\n"


@pytest.mark.parametrize("text", [LATIN, "name\nMüller\n", "name;note\nZoë;café crème\n"])
def test_latin1_file_with_accented_names_reads_right(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "names.csv", text, "latin-1")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert path.read_bytes().decode("gb18030", errors="replace") != text  # it would also "decode" as GB18030
    assert datasets.detect_encoding(path) == "cp1252"
    df = datasets.read(path)
    expected = pd.read_csv(io.StringIO(text), sep=";" if ";" in text else ",")
    pd.testing.assert_frame_equal(df, expected)


def test_latin1_names_read_right_in_a_transactions_file(tmp_path: Path) -> None:
    text = "CustomerID,Name,InvoiceNo,StockCode,Quantity,UnitPrice,InvoiceDate\n" + "".join(
        f"{i},{name},{100 + i},A{i},1,2.5,2024-01-0{i}\n"
        for i, name in enumerate(["Müller", "Zoë", "François", "Ångström"], start=1)
    )
    df = datasets.read(_write(tmp_path, "orders.csv", text, "cp1252"), kind="transactions")
    assert df["Name"].tolist() == ["Müller", "Zoë", "François", "Ångström"]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-16", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32"), ("utf-8-sig", "utf-8-sig")],
)
def test_unicode_files_with_a_bom_read_right(tmp_path: Path, encoding: str, detected: str) -> None:
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")  # Python writes a BOM for utf-16/utf-32, not for -be
    path = _write(tmp_path, "orders.csv", bom + ZH_CSV.replace(",", "\t"), encoding)
    assert datasets.detect_encoding(path) == detected
    _check_zh(datasets.read(path, kind="transactions", columns=ZH_MAP))
    latin = _write(tmp_path, "names.txt", bom + LATIN, encoding)
    assert datasets.read(latin)["name"].tolist() == ["Müller", "Zoë", "François", "Søren"]


def test_gbk_file_is_not_mistaken_for_latin1(tmp_path: Path) -> None:
    short = _write(tmp_path, "b.csv", "订单号,商品名称\n1,啤酒\n1,尿布\n2,牛奶\n", "gbk")
    assert datasets.detect_encoding(short) == "gb18030"
    assert datasets.read(short)["商品名称"].tolist() == ["啤酒", "尿布", "牛奶"]
    mixed = _write(tmp_path, "m.csv", "客户,城市\n王芳,北京\nLi Lei,上海\n", "gbk")
    assert datasets.read(mixed)["城市"].tolist() == ["北京", "上海"]


def _xlsx_bytes(tmp_path: Path) -> bytes:
    pd.DataFrame({"a": [1, 2]}).to_excel(tmp_path / "real.xlsx", index=False)
    return (tmp_path / "real.xlsx").read_bytes()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (lambda tmp: random.Random(0).randbytes(4000), "Export the data again as CSV"),
        (lambda tmp: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "Export the data again as CSV"),
        (_xlsx_bytes, r"format Excel \(.xlsx\): give it the extension .xlsx"),
    ],
)
def test_a_file_that_is_not_text_fails_clearly(tmp_path: Path, content: Callable[[Path], bytes], says: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content(tmp_path))
    with pytest.raises(InputError, match=f"orders.csv as text: it holds binary data.*{says}"):
        datasets.read(path, kind="transactions")
    assert "二进制" in zh_message(lambda: datasets.read(path))


def test_tsv_and_semicolon_separators(tmp_path: Path) -> None:
    tsv = _write(tmp_path, "orders.tsv", ZH_CSV.replace(",", "\t"), "utf-8")
    semi = _write(tmp_path, "orders.txt", ZH_CSV.replace(",", ";"), "gbk")
    _check_zh(datasets.read(tsv, kind="transactions", columns=ZH_MAP))
    _check_zh(datasets.read(semi, kind="transactions", columns=ZH_MAP))


def test_excel_and_parquet(tmp_path: Path) -> None:
    raw = datasets.read(_write(tmp_path, "orders.csv", ZH_CSV, "utf-8"))
    raw.to_excel(tmp_path / "orders.xlsx", sheet_name="订单", index=False)
    raw.to_parquet(tmp_path / "orders.parquet")
    _check_zh(datasets.read(tmp_path / "orders.xlsx", kind="transactions", columns=ZH_MAP, sheet="订单"))
    _check_zh(datasets.read(tmp_path / "orders.parquet", kind="transactions", columns=ZH_MAP))


def test_leading_zeros_of_ids_are_kept(tmp_path: Path) -> None:
    text = "customer_id,invoice_id,item_id,quantity,amount,timestamp\n00042,007,0001,1,9.5,2024-01-01\n"
    df = datasets.read(_write(tmp_path, "t.csv", text, "utf-8"), kind="transactions")
    assert df.loc[0, ["customer_id", "invoice_id", "item_id"]].tolist() == ["00042", "007", "0001"]


def test_mapping_key_not_in_file_suggests(tmp_path: Path) -> None:
    path = _write(tmp_path, "orders.csv", ZH_CSV, "gbk")
    mapping = dict(ZH_MAP)
    mapping["客户编码"] = mapping.pop("客户编号")
    with pytest.raises(InputError, match="'客户编码', which is not in orders.csv. Did you mean '客户编号'"):
        datasets.read(path, kind="transactions", columns=mapping)


def test_mapping_to_a_misspelt_canonical_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "orders.csv", ZH_CSV, "utf-8")
    with pytest.raises(InputError, match="'custmer_id'.*Did you mean 'customer_id'"):
        datasets.read(path, kind="transactions", columns={**ZH_MAP, "客户编号": "custmer_id"})


def test_mapping_clash(tmp_path: Path) -> None:
    path = _write(tmp_path, "orders.csv", ZH_CSV, "utf-8")
    with pytest.raises(InputError, match="two columns the name 'item_id'"):
        datasets.read(path, columns={"商品编号": "item_id", "商品名称": "item_id"})


def test_unmapped_required_column_is_named(tmp_path: Path) -> None:
    # 下单时间 is in the alias table (it would be recognised); 发生时刻 is not
    path = _write(tmp_path, "orders.csv", ZH_CSV.replace("下单时间", "发生时刻"), "gbk")
    mapping = {k: v for k, v in ZH_MAP.items() if v != "timestamp"}
    with pytest.raises(InputError, match=r"orders.csv: the column 'timestamp' is missing.*发生时刻"):
        datasets.read(path, kind="transactions", columns=mapping)
    assert "timestamp" in datasets.read(_write(tmp_path, "o.csv", ZH_CSV, "gbk"), kind="transactions").columns


def test_wrong_type_in_file_names_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "orders.csv", ZH_CSV.replace(",2,35.5", ",两个,35.5"), "gbk")
    with pytest.raises(InputError, match=r"orders.csv: the column 'quantity' must hold numbers.*row 1: '两个'"):
        datasets.read(path, kind="transactions", columns=ZH_MAP)


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv is empty"):
        datasets.read(empty, kind="transactions")
    header = _write(tmp_path, "header.csv", ZH_CSV.splitlines()[0] + "\n", "utf-8")
    with pytest.raises(InputError, match="no rows"):
        datasets.read(header, kind="transactions", columns=ZH_MAP)


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        datasets.read(tmp_path / "nope.csv")
    odd = _write(tmp_path, "orders.json", "{}", "utf-8")
    with pytest.raises(InputError, match=r"extension '.json' is not supported"):
        datasets.read(odd)


def test_unknown_data_set_suggests() -> None:
    with pytest.raises(InputError, match="Did you mean 'cdnow_master'"):
        datasets.load("cdnow_mastr")


@pytest.mark.parametrize(
    ("name", "kind", "rows", "target"),
    [
        ("cdnow_master", "transactions", 69_659, None),
        ("cdnow_sample", "transactions", 6_919, None),
        ("wa_churn", "labelled", 7_043, "churn"),
        ("charles_book_club", "labelled", 4_000, "Florence"),
        ("tayko", "labelled", 2_000, "Purchase"),
    ],
)
def test_real_data_sets_load_offline(name: str, kind: str, rows: int, target: str | None) -> None:
    df = datasets.load(name)
    assert datasets.info(name).kind == kind
    assert len(df) == rows
    assert datasets.info(name).target == target


def test_cdnow_master_figures() -> None:
    df = datasets.load("cdnow_master")
    assert df["customer_id"].nunique() == 23_570
    assert df["invoice_id"].is_unique
    assert (df["timestamp"].min(), df["timestamp"].max()) == (pd.Timestamp("1997-01-01"), pd.Timestamp("1998-06-30"))
    assert df["customer_id"].iloc[0] == "00001"


def test_registry_lists_real_and_synthetic() -> None:
    names = set(datasets.available()["name"])
    assert {"cdnow_master", "wa_churn", "synthetic_transactions", "synthetic_customers"} <= names


SAMPLES = ROOT / "data" / "samples"
ZH_SAMPLE_MAP = {
    "客户编号": "customer_id",
    "订单号": "invoice_id",
    "商品编码": "item_id",
    "商品名称": "item_name",
    "数量": "quantity",
    "单价": "unit_price",
    "金额": "amount",
    "下单时间": "timestamp",
}


@pytest.mark.parametrize(
    ("file", "kind", "target"),
    [
        ("transactions.csv", "transactions", None),
        ("customers.csv", "customers", None),
        ("labelled.csv", "labelled", "fraud"),
        ("churn_events.csv", "churn_events", None),
    ],
)
def test_sample_files_fit_their_schema(file: str, kind: str, target: str | None) -> None:
    df = datasets.read(SAMPLES / file, kind=kind, target=target)
    assert len(df) >= 10


def test_gbk_sample_with_the_documented_mapping() -> None:
    path = SAMPLES / "transactions_zh_gbk.csv"
    assert datasets.detect_encoding(path) == "gb18030"
    zh = datasets.read(path, kind="transactions", columns=ZH_SAMPLE_MAP)
    pd.testing.assert_frame_equal(datasets.read(path, kind="transactions"), zh)  # the headers are recognised
    en = datasets.read(SAMPLES / "transactions.csv", kind="transactions")
    pd.testing.assert_frame_equal(zh.drop(columns="item_name"), en.drop(columns="item_name"))
    assert zh["item_name"].str.contains("茶叶").any()
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert all(f'"{k}": "{v}"' in readme for k, v in ZH_SAMPLE_MAP.items())


# --- the column-alias table: real export headers are recognised without columns= ----------------

ONLINE_RETAIL = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,WHITE HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
    "536365,71053,LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n"
    "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom\n"
    "536366,71053,LANTERN,2,2010-12-01 08:28:00,3.39,,United Kingdom\n"
)
ONLINE_RETAIL_MAPPING = {
    "InvoiceNo": "invoice_id",
    "StockCode": "item_id",
    "Description": "item_name",
    "Quantity": "quantity",
    "InvoiceDate": "timestamp",
    "UnitPrice": "unit_price",
    "CustomerID": "customer_id",
}
ZH_HEADER_CSV = (
    "订单号,客户编号,商品名称,数量,单价,日期\n"
    "A001,10001,乌龙茶,2,35.5,2024-03-01\n"
    "A001,10001,绿茶,1,28,2024-03-01\n"
    "A002,,乌龙茶,1,35.5,2024-03-02\n"
)


def test_online_retail_header_is_recognised(tmp_path: Path) -> None:
    path = _write(tmp_path, "online_retail.csv", ONLINE_RETAIL, "utf-8")
    df, mapping = datasets.read_mapped(path, kind="transactions")
    assert mapping == ONLINE_RETAIL_MAPPING
    assert df.columns[:8].tolist() == [
        "customer_id",
        "invoice_id",
        "item_id",
        "item_name",
        "quantity",
        "unit_price",
        "amount",
        "timestamp",
    ]
    assert df["customer_id"].tolist()[:3] == ["17850", "17850", "14527"]
    assert df["amount"].tolist() == pytest.approx([15.3, 20.34, -27.5, 6.78])
    assert "Country" in df.columns  # other columns are kept under their own names
    explicit = datasets.read(path, kind="transactions", columns=ONLINE_RETAIL_MAPPING)
    pd.testing.assert_frame_equal(df, explicit)


def test_online_retail_ii_header_with_spaces_and_case(tmp_path: Path) -> None:
    text = ONLINE_RETAIL.replace("InvoiceNo", "Invoice").replace("UnitPrice", "Price")
    text = text.replace("CustomerID", " customer id ").replace("Quantity", "QUANTITY")
    df, mapping = datasets.read_mapped(_write(tmp_path, "retail_ii.csv", text, "utf-8"), kind="transactions")
    assert mapping["Invoice"] == "invoice_id" and mapping["Price"] == "unit_price"
    assert mapping[" customer id "] == "customer_id" and mapping["QUANTITY"] == "quantity"
    assert df["unit_price"].tolist()[:2] == [2.55, 3.39]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_chinese_header_is_recognised(tmp_path: Path, encoding: str) -> None:
    path = _write(tmp_path, "订单.csv", ZH_HEADER_CSV, encoding)
    df, mapping = datasets.read_mapped(path, kind="transactions")
    assert mapping == {
        "订单号": "invoice_id",
        "客户编号": "customer_id",
        "商品名称": "item_name",
        "数量": "quantity",
        "单价": "unit_price",
        "日期": "timestamp",
    }
    assert df["item_id"].tolist() == ["乌龙茶", "绿茶", "乌龙茶"]  # only names: the name is the product id
    assert df["amount"].tolist() == pytest.approx([71.0, 28.0, 35.5])
    assert df["customer_id"].isna().tolist() == [False, False, True]


def test_explicit_mapping_wins_and_canonical_headers_stay(tmp_path: Path) -> None:
    text = "Invoice,InvoiceNo,invoice_id_old,item_id,Description,数量,amount,日期\n1,X1,o1,A,tea,1,2.0,2024-01-01\n"
    path = _write(tmp_path, "mixed.csv", text, "utf-8")
    df, mapping = datasets.read_mapped(path, kind="transactions", columns={"InvoiceNo": "invoice_id"})
    assert mapping["InvoiceNo"] == "invoice_id" and "Invoice" not in mapping  # columns= wins over the alias
    assert mapping["item_id"] == "item_id"  # already canonical: stays
    assert df.loc[0, "invoice_id"] == "X1" and df.loc[0, "Invoice"] == 1
    both = _write(tmp_path, "both.csv", "StockCode,item_id,invoice_id\nA,B,1\n", "utf-8")
    assert datasets.resolve_columns(["StockCode", "item_id"]) == {"item_id": "item_id"}
    assert datasets.read(both).columns.tolist() == ["StockCode", "item_id", "invoice_id"]


def test_two_columns_matching_one_canonical_column_must_be_chosen(tmp_path: Path) -> None:
    text = "InvoiceNo,订单号,StockCode,Quantity,Amount,Date\n1,1,A,1,2.0,2024-01-01\n"
    path = _write(tmp_path, "clash.csv", text, "utf-8")
    with pytest.raises(InputError, match=r"'InvoiceNo', '订单号' could each be 'invoice_id'.*columns=\{'InvoiceNo'"):
        datasets.read(path, kind="transactions")
    df = datasets.read(path, kind="transactions", columns={"订单号": "invoice_id"})
    assert "InvoiceNo" in df.columns and df.loc[0, "invoice_id"] == "1"


def test_alias_table_is_unambiguous() -> None:
    from crmlab.data.columns import ALIASES, normalize

    seen: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        for alias in (canonical, *aliases):
            assert seen.setdefault(normalize(alias), canonical) == canonical, f"{alias!r} means two columns"


def test_basket_roles_resolve_through_the_same_table() -> None:
    header = ["BillNo", "Itemname", "Quantity", "Date", "Price", "CustomerID", "Country"]
    wanted = ["invoice_id", "item", "item_name", "item_id", "customer_id", "quantity"]
    assert datasets.resolve_columns(header, wanted=wanted) == {
        "BillNo": "invoice_id",
        "Itemname": "item_name",
        "Quantity": "quantity",
        "CustomerID": "customer_id",
    }
    assert datasets.resolve_columns(["order", "item"], wanted=wanted, columns={"order": "invoice_id"}) == {
        "order": "invoice_id",
        "item": "item",
    }


def test_without_a_kind_only_the_explicit_mapping_renames(tmp_path: Path) -> None:
    path = _write(tmp_path, "online_retail.csv", ONLINE_RETAIL, "utf-8")
    df, mapping = datasets.read_mapped(path, columns={"CustomerID": "customer_id"})
    assert mapping == {"CustomerID": "customer_id"}
    assert "InvoiceNo" in df.columns


# --- load_input: a notebook's file or named data set, with the mapping used ----------------------


def test_load_input_from_a_file_states_the_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path, "online_retail.csv", ONLINE_RETAIL, "gbk")
    loaded = datasets.load_input(path, dataset="cdnow_master", kind="transactions", sheet="")
    assert (loaded.source, loaded.dataset, loaded.kind, loaded.target) == (
        "online_retail.csv",
        False,
        "transactions",
        None,
    )
    assert dict(loaded.mapping) == ONLINE_RETAIL_MAPPING
    en = datasets.describe_input(loaded, "en")
    assert "`online_retail.csv`, 4 rows of kind transactions" in en
    assert "`InvoiceNo` → `invoice_id`" in en and "`CustomerID` → `customer_id`" in en
    zh = datasets.describe_input(loaded, "zh")
    assert "`UnitPrice` → `unit_price`" in zh and "共 4 行" in zh


def test_load_input_without_a_kind_recognises_only_the_roles_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "telco.csv"
    path.write_text("Customer ID,Churn Label,Churn Reason,Churn Score\nK1,Yes,Moved,80\nK2,No,,20\n", encoding="utf-8")
    loaded = datasets.load_input(path, roles=["customer_id", "churned", "reason"])
    assert list(loaded.frame.columns) == ["customer_id", "churned", "reason", "Churn Score"]
    user_named = datasets.load_input(path, roles=["customer_id", "Churn Label", "reason"])  # churn_col="Churn Label"
    assert list(user_named.frame.columns) == ["customer_id", "Churn Label", "reason", "Churn Score"]
    unasked = datasets.load_input(path).frame
    assert list(unasked.columns) == ["Customer ID", "Churn Label", "Churn Reason", "Churn Score"]


def test_load_input_from_a_named_data_set() -> None:
    loaded = datasets.load_input("", dataset="synthetic_fraud_insurance", target="")
    assert (loaded.kind, loaded.target, loaded.dataset, dict(loaded.mapping)) == ("labelled", "fraud", True, {})
    assert "no column mapping was needed" in datasets.describe_input(loaded, "en")
    with pytest.raises(InputError, match="'synthetic_fraud_insurance' is of kind 'labelled'.*'transactions'"):
        datasets.load_input("", dataset="synthetic_fraud_insurance", kind="transactions")
    with pytest.raises(ParameterError, match="input_path nor dataset"):
        datasets.load_input("", dataset="")


def test_load_input_labelled_file_target(tmp_path: Path) -> None:
    path = _write(tmp_path, "l.csv", "客户编号,x,churned\n1,0.5,1\n2,0.1,0\n", "utf-8")
    loaded = datasets.load_input(path, kind="labelled", target="churned")
    assert loaded.target == "churned" and dict(loaded.mapping) == {"客户编号": "customer_id"}
    unchecked = datasets.load_input(path)
    assert unchecked.kind is None and "not checked" in datasets.describe_input(unchecked, "en")
