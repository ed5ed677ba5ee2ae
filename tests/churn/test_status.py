"""Tests of crmlab.churn.status: churn flags, churn dates, churn by inactivity."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.churn import make_churn, make_churn_transactions


def test_flag_values_in_several_spellings() -> None:
    df = pd.DataFrame({"churned": [1, 0, "yes", "No", "是", "否", True, "TRUE"]})
    status = churn.churn_status(df, churn_date_col=None)
    assert status["churned"].tolist() == [True, False, True, False, True, False, True, True]


def test_churn_date_defines_churn_and_as_of_cuts_it() -> None:
    df = pd.DataFrame({"churn_date": ["2024-01-10", None, "2024-06-01", ""]})
    assert churn.churn_status(df, churn_col=None)["churned"].tolist() == [True, False, True, False]
    cut = churn.churn_status(df, churn_col=None, as_of="2024-03-01")
    assert cut["churned"].tolist() == [True, False, False, False]


def test_churn_from_transactions_hand_computed() -> None:
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", None, "c"],
            "timestamp": pd.to_datetime(
                ["2024-01-01", "2024-03-01", "2024-01-01", "2024-06-20", "2024-06-30", "2024-07-01"]
            ),
            "amount": [10.0, 20.0, 5.0, 5.0, 99.0, 1.0],
        }
    )
    status = churn.churn_status_from_transactions(tx, inactive_days=90).set_index("customer_id")
    assert status.index.tolist() == ["a", "b", "c"]
    assert status["churned"].tolist() == [True, False, False]
    assert status.loc["a", "churn_date"] == pd.Timestamp("2024-05-30")
    assert status.loc["a", "revenue"] == 30.0
    early = churn.churn_status_from_transactions(tx, inactive_days=90, as_of="2024-04-01")
    assert early["churned"].tolist() == [False, True]  # b: 91 days since 2024-01-01


def test_inactivity_definition_on_synthetic_transactions_matches_flags() -> None:
    customers = make_churn(2000, seed=3)
    status = churn.mark_churn(make_churn_transactions(2000, seed=3), definition="inactive", inactive_days=180)
    merged = status.merge(customers[["customer_id", "churned", "churn_date"]], on="customer_id", suffixes=("", "_true"))
    detectable = merged[merged["churn_date_true"].isna() | (merged["churn_date_true"] < "2025-06-01")]
    agreement = (detectable["churned"] == detectable["churned_true"].astype(bool)).mean()
    assert agreement > 0.95


def test_no_churn_column_or_date() -> None:
    df = pd.DataFrame({"customer_id": ["a"], "churn": [1]})
    with pytest.raises(InputError, match="churned.*churn_date") as err:
        churn.churn_status(df)
    assert "churn" in str(err.value)


def test_no_rows_is_an_input_error() -> None:
    with pytest.raises(InputError):
        churn.churn_status(pd.DataFrame({"churned": []}))


def test_bad_flag_and_date_values_name_the_rows() -> None:
    with pytest.raises(InputError, match=r"'status'.*2: 'maybe'"):
        churn.churn_status(pd.DataFrame({"status": [1, "maybe"]}), churn_col="status")
    with pytest.raises(InputError, match=r"'left'.*1: 'soon'"):
        churn.churn_status(pd.DataFrame({"left": ["soon", "2024-01-01"]}), churn_col=None, churn_date_col="left")


def test_bad_parameters() -> None:
    with pytest.raises(ParameterError, match="flags"):
        churn.mark_churn(pd.DataFrame({"churned": [1]}), definition="flags")
    with pytest.raises(ParameterError, match="inactive_days"):
        churn.churn_status_from_transactions(pd.DataFrame(), inactive_days=0)


def test_list_definition_marks_every_row_and_empty_column_names_mean_none() -> None:
    listed = pd.DataFrame({"reason": ["a", "b"], "churned": [0, 0]})
    status = churn.mark_churn(listed, definition="list", churn_col="", churn_date_col="")
    assert status["churned"].tolist() == [True, True]
    assert status["churn_date"].isna().all()
    assert listed["churned"].tolist() == [0, 0]  # the input is not changed


def test_default_dataset_follows_the_definition() -> None:
    assert [churn.default_dataset(d) for d in churn.DEFINITIONS] == [
        "synthetic_churn",
        "synthetic_churn_transactions",
        "synthetic_churn",
    ]
    with pytest.raises(ParameterError, match="inactiv"):
        churn.default_dataset("inactiv")


def test_same_seed_same_data() -> None:
    pd.testing.assert_frame_equal(make_churn(500, seed=1), make_churn(500, seed=1))
    assert not make_churn(500, seed=1)["reason"].equals(make_churn(500, seed=2)["reason"])
    assert "synthetic_churn" in set(datasets.available()["name"])
