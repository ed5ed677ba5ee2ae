"""The synthetic transactions and customers: determinism, schema, and the planted truth."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.data import schemas
from crmlab.data.synthetic.transactions import TransactionsTruth, make_customers, make_transactions
from crmlab.profile import profiling as profile


@pytest.fixture(scope="module")
def made():
    return make_transactions(400, seed=7)


@pytest.fixture(scope="module")
def tx(made) -> pd.DataFrame:
    return made.data


@pytest.fixture(scope="module")
def truth(made) -> TransactionsTruth:
    return made.truth


def test_same_seed_same_frame(tx: pd.DataFrame, truth: TransactionsTruth) -> None:
    again = make_transactions(400, seed=7)
    pd.testing.assert_frame_equal(tx, again.data)
    assert again.truth == truth
    pd.testing.assert_frame_equal(make_customers(400, seed=7), make_customers(400, seed=7))
    assert not tx.equals(make_transactions(400, seed=8).data)
    assert tx.attrs == {}, "the truth travels as a field, not in attrs"


def test_fits_the_schemas(tx: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(schemas.validate(tx, "transactions"), tx)
    customers = make_customers(400, seed=7)
    schemas.validate(customers, "customers")
    assert set(tx["customer_id"].dropna()) <= set(customers["customer_id"])


def test_profile_recovers_cancellations_returns_and_guests(tx: pd.DataFrame, truth: TransactionsTruth) -> None:
    tp = profile.profile(tx, "transactions").transactions
    assert truth.cancellation_lines > 0 and truth.return_lines > 0
    assert tp.cancellation_lines == truth.cancellation_lines
    assert tp.return_lines == truth.return_lines
    assert tp.lines_without_customer == truth.guest_lines


def test_cancellations_mirror_their_invoice(tx: pd.DataFrame) -> None:
    cancel = tx[tx["invoice_id"].str.startswith("C")]
    original = tx[tx["invoice_id"].isin(cancel["invoice_id"].str[1:])]
    assert len(cancel) == len(original)
    assert cancel["quantity"].sum() == -original["quantity"].sum()
    assert (cancel["quantity"] < 0).all()


def test_lapsed_customers_stop_buying_in_the_first_half(tx: pd.DataFrame, truth: TransactionsTruth) -> None:
    lapsed = list(truth.lapsed_customers)
    assert len(lapsed) == 60  # 15% of 400
    sales = tx[~tx["invoice_id"].str.match("[CR]")]
    last = sales.groupby("customer_id")["timestamp"].max()
    midpoint = pd.Timestamp("2024-01-01") + pd.Timedelta(days=365 // 2)
    assert (last.reindex(lapsed).dropna() < midpoint).all()
    active = last.drop(lapsed, errors="ignore")
    assert (active >= midpoint).mean() > 0.5
    assert make_customers(400, seed=7).set_index("customer_id").loc[lapsed, "planted_lapsed"].all()


def test_spend_is_pareto_skewed(tx: pd.DataFrame, truth: TransactionsTruth) -> None:
    p = profile.profile(tx, "transactions")
    assert p.transactions.top20_share == pytest.approx(truth.top20_share)
    assert p.transactions.top20_share > 0.6


def test_registered() -> None:
    assert datasets.info("synthetic_transactions").kind == "transactions"
    assert datasets.info("synthetic_customers").kind == "customers"
    assert len(datasets.load("synthetic_customers")) == 1000
    pd.testing.assert_frame_equal(datasets.load("synthetic_transactions"), make_transactions().data)
