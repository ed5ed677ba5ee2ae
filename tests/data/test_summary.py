"""One row per customer (crmlab.data.summary): hand-computed values, identical engines, the analysis date."""

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.data.cleaning import ENGINES, CleaningRules
from crmlab.data.summary import SUMMARY_COLUMNS, customer_summary, summarize


def lines() -> pd.DataFrame:
    """Customer a: days 1, 11, 31 (gaps 10, 20); b: one day, two invoices; c: a cancellation."""
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "b", "c", "c", None],
            "invoice_id": ["1", "1", "2", "3", "4", "5", "6", "C6", "7"],
            "item_id": ["X"] * 9,
            "quantity": [1, 2, 1, 1, 1, 1, 1, -1, 1],
            "unit_price": [10.0, 5.0, 7.5, 2.5, 3.0, 4.0, 6.0, 6.0, 1.0],
            "timestamp": pd.to_datetime(
                [
                    "2024-01-01 09:00",
                    "2024-01-01 17:00",
                    "2024-01-11",
                    "2024-01-31",
                    "2024-01-20",
                    "2024-01-20 12:00",
                    "2024-01-05",
                    "2024-01-06",
                    "2024-01-02",
                ],
                format="ISO8601",
            ),
        }
    ).assign(amount=lambda d: d["quantity"] * d["unit_price"])


@pytest.mark.parametrize("engine", ENGINES)
def test_summary_hand_computed(engine):
    out = customer_summary(lines(), as_of="2024-02-10", cleaning=CleaningRules(), engine=engine).set_index(
        "customer_id"
    )
    assert list(out.reset_index().columns) == SUMMARY_COLUMNS
    a = out.loc["a"]
    assert (a.orders, a.purchase_days, a.revenue, a.first_day_revenue) == (3, 3, 30.0, 20.0)
    assert (a.recency_days, a.tenure_days, a.median_gap_days) == (10, 40, 15.0)
    b = out.loc["b"]
    assert (b.orders, b.purchase_days, b.revenue, b.recency_days) == (2, 1, 7.0, 21)
    assert np.isnan(b.median_gap_days)
    assert out.loc["c", "revenue"] == 6.0  # the cancellation line is cleaned away


def test_engines_identical_on_random_frame(tmp_path):
    rng = np.random.default_rng(7)
    n = 2000
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice([f"k{i}" for i in range(60)] + [None], n),
            "invoice_id": [("C" if rng.random() < 0.05 else "") + str(i // 4) for i in range(n)],
            "item_id": rng.choice(["A", "B", "POST"], n),
            "quantity": rng.integers(-1, 6, n),
            "unit_price": rng.choice([0.0, 0.85, 1.25, 2.1, 9.95], n),
            "timestamp": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 400 * 86400, n), unit="s"),
        }
    ).assign(amount=lambda d: d["quantity"] * d["unit_price"])
    rules = CleaningRules()
    frames = [customer_summary(tx, as_of="2023-12-31", cleaning=rules, engine=e) for e in ENGINES]
    pd.testing.assert_frame_equal(*frames, check_exact=True)
    path = tmp_path / "tx.parquet"
    tx.to_parquet(path)
    pd.testing.assert_frame_equal(customer_summary(path, as_of="2023-12-31", cleaning=rules), frames[1])


def test_summary_defaults_and_errors():
    out = customer_summary(lines())
    assert summarize(lines()).as_of == pd.Timestamp("2024-01-31")
    assert summarize(lines(), as_of="2024-02-10 15:00").as_of == pd.Timestamp("2024-02-10")
    assert out.set_index("customer_id").loc["c", "revenue"] == 0.0  # uncleaned: 6 - 6
    with pytest.raises(InputError, match="timestamp"):
        customer_summary(lines().drop(columns="timestamp"))
    with pytest.raises(InputError, match="as_of"):
        customer_summary(lines(), as_of="2020-01-01")
    with pytest.raises(ParameterError, match="engine"):
        customer_summary(lines(), engine="polars")


@pytest.mark.parametrize("engine", ENGINES)
def test_summarize_returns_the_cleaning_report_of_the_same_pass(engine):
    from crmlab.data.cleaning import cleaning_report

    result = summarize(lines(), cleaning=CleaningRules(), engine=engine)
    pd.testing.assert_frame_equal(result.cleaning, cleaning_report(lines(), engine="pandas"))
    pd.testing.assert_frame_equal(result.customers, customer_summary(lines(), cleaning=CleaningRules(), engine=engine))
    assert summarize(lines(), engine=engine).cleaning.empty  # no rules, no report rows


@pytest.mark.parametrize(
    "rules",
    [
        CleaningRules(),
        CleaningRules(rules=("non_positive_quantity", "non_product", "missing_customer", "cancellation")),
        CleaningRules(rules=("non_product", "cancellation"), non_product_codes=("1x", " post", "")),
        CleaningRules(non_product_codes=()),
    ],
)
def test_engines_agree_for_any_rule_order_and_codes(rules):
    """DuckDB tests the invoice and customer rules per group and the others per line: same first rule."""
    rng = np.random.default_rng(1)
    n = 400
    tx = pd.DataFrame(
        {
            "invoice_id": rng.choice(["1", "2", "C3", "c4", "5", "6"], n),
            "customer_id": rng.choice(np.array(["a", "b", " c", None, "  ", "d"], dtype=object), n),
            "item_id": rng.choice(np.array(["85123A", " post ", "M", "dot", "1X", " 1x", "", None], dtype=object), n),
            "quantity": rng.integers(-2, 5, n),
            "unit_price": rng.choice([0.0, -1.0, 1.1, 2.35], n),
            "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
        }
    ).assign(amount=lambda d: d["quantity"] * d["unit_price"])
    for data, as_of in [(tx, None), (tx.drop(columns="invoice_id"), "2024-05-01")]:
        duck, pand = (summarize(data, cleaning=rules, as_of=as_of, engine=e) for e in ("duckdb", "pandas"))
        pd.testing.assert_frame_equal(duck.customers, pand.customers)
        pd.testing.assert_frame_equal(duck.cleaning, pand.cleaning)
