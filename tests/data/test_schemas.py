"""Validation of the canonical data kinds: types, missing columns, bad rows, the data dictionary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError
from crmlab.core.i18n import set_lang
from crmlab.data import schemas
from tests.conftest import ROOT


def _tx(**overrides) -> pd.DataFrame:
    data = {
        "customer_id": [17850.0, np.nan, 13047.0],
        "invoice_id": ["536365", "C536379", "536366"],
        "item_id": ["85123A", "D", "22633"],
        "quantity": ["6", "-1", "2"],
        "unit_price": [2.55, 27.5, 1.85],
        "timestamp": ["2010-12-01 08:26:00", "2010-12-01 09:41:00", "2010-12-01 08:28:00"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_transactions_are_coerced_and_amount_computed() -> None:
    df = _tx()
    out = schemas.validate(df, "transactions")
    assert out.columns[:7].tolist() == [
        "customer_id",
        "invoice_id",
        "item_id",
        "quantity",
        "unit_price",
        "amount",
        "timestamp",
    ]
    assert out["customer_id"].tolist()[0::2] == ["17850", "13047"]
    assert out["customer_id"].isna().tolist() == [False, True, False]
    assert out["amount"].tolist() == pytest.approx([15.3, -27.5, 3.7])
    assert pd.api.types.is_datetime64_any_dtype(out["timestamp"])
    assert df["quantity"].tolist() == ["6", "-1", "2"], "input must not be mutated"


def test_float_text_customer_ids_lose_the_trailing_zero() -> None:
    out = schemas.validate(_tx(customer_id=["17850.0", None, "13047.0"]), "transactions")
    assert out["customer_id"].tolist()[0::2] == ["17850", "13047"]


def test_missing_column_names_it_and_suggests() -> None:
    df = _tx().rename(columns={"invoice_id": "invoce_id"})
    with pytest.raises(InputError, match=r"'invoice_id' is missing.*Did you mean 'invoce_id'"):
        schemas.validate(df, "transactions")


def test_wrong_type_names_column_and_rows() -> None:
    with pytest.raises(InputError, match=r"'quantity' must hold numbers.*1 row.*row 3: 'two'"):
        schemas.validate(_tx(quantity=["6", "-1", "two"]), "transactions")


def test_bad_date_names_rows() -> None:
    with pytest.raises(InputError, match=r"'timestamp' must hold dates.*row 2: 'yesterday'"):
        schemas.validate(_tx(timestamp=["2010-12-01", "yesterday", "2010-12-02"]), "transactions")


def test_empty_required_cells_name_rows() -> None:
    with pytest.raises(InputError, match=r"'item_id' must not be empty.*rows 2"):
        schemas.validate(_tx(item_id=["a", None, "b"]), "transactions")


def test_no_amount_and_no_price() -> None:
    with pytest.raises(InputError, match="neither 'amount' nor 'unit_price'"):
        schemas.validate(_tx().drop(columns="unit_price"), "transactions")


def test_empty_frame() -> None:
    with pytest.raises(InputError, match="no rows"):
        schemas.validate(_tx().iloc[:0], "transactions")


def test_customers_must_be_unique() -> None:
    df = pd.DataFrame({"customer_id": ["a", "b", "a"], "age": [30, 40, 30]})
    with pytest.raises(InputError, match=r"'customer_id' must appear once.*'a'"):
        schemas.validate(df, "customers")


def test_labelled_target() -> None:
    df = pd.DataFrame({"x": [1, 2], "churned": [0, 1]})
    out = schemas.validate(df, "labelled", target="churned")
    assert schemas.labelled_target(out, "churned", context="test") == "churned"
    assert out.attrs == {}, "no hidden state: callers pass the target on"
    assert schemas.labelled_target(df.rename(columns={"churned": "target"}), None, context="test") == "target"
    with pytest.raises(InputError, match="no target column"):
        schemas.validate(df, "labelled")
    with pytest.raises(InputError, match="'churnd' is missing.*Did you mean 'churned'"):
        schemas.validate(df, "labelled", target="churnd")
    with pytest.raises(InputError, match=r"target 'churned' is empty in 1 row.*rows 2"):
        schemas.validate(pd.DataFrame({"x": [1, 2], "churned": [0, None]}), "labelled", target="churned")


def test_churn_margin_must_be_a_fraction() -> None:
    df = pd.DataFrame({"customer_id": ["a", "b"], "margin": [0.2, 25.0]})
    with pytest.raises(InputError, match=r"'margin' must lie between 0.0 and 1.0.*row 2: 25.0"):
        schemas.validate(df, "churn_events")


def test_unknown_kind_suggests() -> None:
    with pytest.raises(InputError, match="Did you mean 'transactions'"):
        schemas.validate(_tx(), "transaction")


def test_require_numeric_returns_a_copy() -> None:
    df = pd.DataFrame({"a": ["1", "2.5"]})
    out = schemas.require_numeric(df, ["a"], context="test")
    assert out["a"].tolist() == [1.0, 2.5]
    assert df["a"].tolist() == ["1", "2.5"]


def test_messages_in_chinese() -> None:
    set_lang("zh")
    try:
        with pytest.raises(InputError, match="缺少列 'invoice_id'"):
            schemas.validate(_tx().drop(columns="invoice_id"), "transactions")
    finally:
        set_lang("en")


def test_dictionary_is_in_sync() -> None:
    committed = (ROOT / "data" / "dictionary.md").read_text(encoding="utf-8")
    assert committed == schemas.dictionary_markdown(), (
        "data/dictionary.md is out of date: regenerate it with "
        "python -c 'import crmlab.data.schemas as s; print(s.dictionary_markdown(), end=\"\")' > data/dictionary.md"
    )


def test_every_missing_column_is_named_at_once():
    frame = pd.DataFrame({"order": [1], "thing": ["beer"]})
    with pytest.raises(InputError, match=r"'invoice_id' is missing.*Also missing: item_id, quantity, timestamp\."):
        schemas.validate(frame, "transactions")


def test_panel_is_one_row_per_customer_and_period():
    df = pd.DataFrame({"customer_id": ["a", "a", "b"], "period": [1, 2, 1], "x": [0.1, 0.2, 0.3]})
    assert schemas.validate(df, "panel")["customer_id"].tolist() == ["a", "a", "b"]
    with pytest.raises(InputError, match=r"pair \('customer_id', 'period'\) must appear once.*\('a', 1\)"):
        schemas.validate(df.assign(period=[1, 1, 1]), "panel")
    with pytest.raises(InputError, match="'period' is missing"):
        schemas.validate(df.drop(columns="period"), "panel")


def test_item_names_serve_as_item_ids():
    out = schemas.validate(_tx(item_name=["tea", "mug", "tea"]).drop(columns="item_id"), "transactions")
    assert out["item_id"].tolist() == ["tea", "mug", "tea"]


def test_require_finite_names_rows():
    df = pd.DataFrame({"v": ["1", None, "x", 2.0]})
    with pytest.raises(InputError, match=r"'v' has 2 missing or non-numeric value\(s\), e.g. rows 2, 3"):
        schemas.require_finite(df, ["v"], context="test")
    assert schemas.require_finite(df.iloc[[0, 3]], ["v"], context="test")["v"].tolist() == [1.0, 2.0]
