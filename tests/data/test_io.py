"""Reading users' files (encodings, formats, column mapping) and the real named data sets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError
from tests.conftest import ROOT

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
    path.write_bytes(b"a,b\n\x80\xff\xfe,1\n")
    with pytest.raises(InputError, match=r"tried UTF-8 \(BOM\), UTF-8, GBK/GB18030.*CSV UTF-8"):
        datasets.read(path)


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
    path = _write(tmp_path, "orders.csv", ZH_CSV, "gbk")
    mapping = {k: v for k, v in ZH_MAP.items() if v != "timestamp"}
    with pytest.raises(InputError, match=r"orders.csv: the column 'timestamp' is missing.*下单时间"):
        datasets.read(path, kind="transactions", columns=mapping)


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
    assert df.attrs.get("target") == target


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
    en = datasets.read(SAMPLES / "transactions.csv", kind="transactions")
    pd.testing.assert_frame_equal(zh.drop(columns="item_name"), en.drop(columns="item_name"))
    assert zh["item_name"].str.contains("茶叶").any()
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert all(f'"{k}": "{v}"' in readme for k, v in ZH_SAMPLE_MAP.items())
