"""Every error of the data layer reads entirely in Chinese when the report's language is zh."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import ParameterError
from crmlab.data import cleaning, schemas, summary
from crmlab.data.real import package_dir
from tests.conftest import zh_message


def _tx(**changes: object) -> pd.DataFrame:
    base = {
        "customer_id": ["a", "b"],
        "invoice_id": ["1", "2"],
        "item_id": ["x", "y"],
        "quantity": [1, 2],
        "unit_price": [2.0, 3.0],
        "timestamp": ["2024-01-01", "2024-01-02"],
    }
    base.update(changes)
    return pd.DataFrame(base)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


SCHEMA_ERRORS: dict[str, Callable[[], object]] = {
    "missing_column": lambda: schemas.validate(_tx().drop(columns=["invoice_id", "timestamp"]), "transactions"),
    "empty": lambda: schemas.validate(_tx().iloc[:0], "transactions"),
    "not_numeric": lambda: schemas.validate(_tx(quantity=["1", "两个"]), "transactions"),
    "not_datetime": lambda: schemas.validate(_tx(timestamp=["2024-01-01", "昨天"]), "transactions"),
    "null_values": lambda: schemas.validate(_tx(item_id=["x", None]), "transactions"),
    "no_amount": lambda: schemas.validate(_tx().drop(columns="unit_price"), "transactions"),
    "out_of_range": lambda: schemas.validate(pd.DataFrame({"customer_id": ["a"], "margin": [25.0]}), "churn_events"),
    "duplicate_key": lambda: schemas.validate(pd.DataFrame({"customer_id": ["a", "a"]}), "customers"),
    "duplicate_pair": lambda: schemas.validate(pd.DataFrame({"customer_id": ["a", "a"], "period": [1, 1]}), "panel"),
    "no_target": lambda: schemas.validate(pd.DataFrame({"x": [1]}), "labelled"),
    "no_features": lambda: schemas.validate(pd.DataFrame({"y": [1]}), "labelled", target="y"),
    "target_null": lambda: schemas.validate(pd.DataFrame({"x": [1, 2], "y": [1, None]}), "labelled", target="y"),
    "unknown_kind": lambda: schemas.validate(_tx(), "transaction"),
    "not_finite": lambda: schemas.require_finite(pd.DataFrame({"v": [1, None]}), ["v"], context="test"),
}


@pytest.mark.parametrize("name", SCHEMA_ERRORS)
def test_schema_errors_in_chinese(name: str) -> None:
    zh_message(SCHEMA_ERRORS[name])


def test_file_errors_in_chinese(tmp_path: Path) -> None:
    orders = _write(tmp_path / "orders.csv", "InvoiceNo,订单号,Quantity\n1,1,2\n")
    zh_message(lambda: datasets.read(tmp_path / "missing.csv"))
    zh_message(lambda: datasets.read(_write(tmp_path / "o.json", "{}")))
    zh_message(lambda: datasets.read(_write(tmp_path / "empty.csv", "")))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n\x81,1\n")  # neither UTF-8, GB18030 nor Windows-1252
    zh_message(lambda: datasets.read(bad))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    zh_message(lambda: datasets.read(broken))
    zh_message(lambda: datasets.read(orders, columns={"Invoice": "invoice_id"}))
    zh_message(lambda: datasets.read(orders, kind="transactions", columns={"订单号": "invoce_id"}))
    zh_message(lambda: datasets.read(orders, columns={"订单号": "Quantity"}))
    message = zh_message(lambda: datasets.read(orders, kind="transactions"))
    assert "columns=" in message


def test_named_data_and_input_errors_in_chinese() -> None:
    zh_message(lambda: datasets.load("cdnow_mastr"))
    zh_message(lambda: package_dir("no_such_package_for_crmlab"))
    zh_message(lambda: datasets.load_input("", dataset=""), ParameterError)
    zh_message(lambda: datasets.load_input("", dataset="tayko", kind="transactions"))


def test_cleaning_and_summary_errors_in_chinese(tmp_path: Path) -> None:
    tx = schemas.validate(_tx(), "transactions")
    zh_message(lambda: cleaning.CleaningRules(rules=("cancelation",)), ParameterError)
    zh_message(lambda: cleaning.CleaningRules().without("customer"), ParameterError)
    zh_message(lambda: cleaning.clean(tx, engine="spark"), ParameterError)
    zh_message(lambda: cleaning.cleaning_report(tmp_path / "missing.parquet"))
    zh_message(lambda: summary.customer_summary(tx, as_of="2020-01-01"))
    zh_message(lambda: summary.customer_summary(tx.drop(columns="timestamp")))
