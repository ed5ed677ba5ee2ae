"""Every error of the data layer reads entirely in Chinese when the report's language is zh.

`english_runs` finds runs of three or more English words outside quotes, backticks and placeholders;
column names, values and code names in quotes are fine. The value and profile families import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import yaml

from crmlab import data as datasets
from crmlab.core.errors import CrmlabError, InputError, ParameterError
from crmlab.core.i18n import set_lang
from crmlab.data import cleaning, schemas, summary
from crmlab.data.real import package_dir

SRC = Path(__file__).resolve().parents[2] / "src" / "crmlab"
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|“[^”]*”|\{[^}]*\}")
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*){2,}")


def english_runs(text: str) -> list[str]:
    """Runs of 3+ English words in ``text`` outside quotes, backticks and ``{placeholders}``.

    >>> english_runs("列 'unit price' 缺失；请 check the file。")
    ['check the file']
    """
    return _ENGLISH_RUN.findall(_QUOTED.sub(" ", text))


@contextmanager
def zh() -> Iterator[None]:
    set_lang("zh")
    try:
        yield
    finally:
        set_lang("en")


def zh_message(call: Callable[[], object], error: type[CrmlabError] = InputError) -> str:
    """The message ``call`` raises with the language set to zh; it must contain no English sentence."""
    with zh(), pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert re.search(r"[\u4e00-\u9fff]", message), f"not in Chinese: {message}"
    assert not english_runs(message), f"English in a zh message: {english_runs(message)} in {message}"
    return message


def catalogue_english(family: str) -> dict[str, list[str]]:
    """Keys of ``<family>/messages.yaml`` whose zh text has English runs."""
    messages = yaml.safe_load((SRC / family / "messages.yaml").read_text(encoding="utf-8"))
    return {key: english_runs(text["zh"]) for key, text in messages.items() if english_runs(text["zh"])}


def test_every_zh_message_of_the_data_layer_is_chinese() -> None:
    assert catalogue_english("data") == {}


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
    bad.write_bytes(b"a,b\n\x80\xff\xfe,1\n")
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
