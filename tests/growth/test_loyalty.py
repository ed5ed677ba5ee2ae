from __future__ import annotations

import pandas as pd
import pytest

from crmlab.core.errors import InputError
from crmlab.growth import MARKS, loyalty_marks, prepare_purchases
from tests.conftest import zh_message


def built_to_meet(k: int) -> tuple[list[tuple[str, str, str]], dict[str, object]]:
    """Purchases and a customer-table row for a customer meeting exactly the first k marks."""
    customer = f"k{k}"
    if k >= 1:  # regular: four purchase days ten days apart
        days = ["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-31"]
    else:  # irregular: gaps of 1 and 40 days
        days = ["2024-01-01", "2024-01-02", "2024-02-11"]
    items = ["tea", "cups", "pots", "tea"] if k >= 2 else ["tea"] * len(days)
    rows = [(customer, d, items[i % len(items)]) for i, d in enumerate(days)]
    table = {
        "customer_id": customer,
        "referrals": 2 if k >= 3 else 0,
        "declined_offers": 1 if k >= 4 else 0,
        "complaint_date": "2024-01-05" if k >= 5 else ("2024-03-01" if k == 4 else None),  # k4: no purchase after
    }
    return rows, table


def scorecard(with_table: bool = True):
    rows, table = [], []
    for k in range(6):
        r, c = built_to_meet(k)
        rows += r
        table.append(c)
    tx = pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "invoice_id": [str(i) for i in range(len(rows))],
            "item_id": [r[2] for r in rows],
            "amount": 1.0,
            "timestamp": pd.to_datetime([r[1] for r in rows]),
        }
    )
    return loyalty_marks(prepare_purchases(tx), customers=pd.DataFrame(table) if with_table else None)


def test_customers_built_to_meet_exactly_k_marks():
    score = scorecard()
    assert score.measurable == list(MARKS)
    assert score.customers.set_index("customer_id")["marks"].to_dict() == {f"k{k}": k for k in range(6)}
    assert score.distribution["customers"].tolist() == [1] * 6
    assert score.loyal_share == pytest.approx(4 / 6)
    assert score.marks.set_index("mark")["customers"].tolist() == [5, 4, 3, 2, 1]


def test_marks_without_their_data_are_not_measurable_not_unmet():
    score = scorecard(with_table=False)
    assert score.measurable == ["regular", "lines"]
    assert (
        score.marks.set_index("mark").loc["recommends", "customer_share"]
        != score.marks.set_index("mark").loc["recommends", "customer_share"]
    )  # NaN
    assert score.loyal_share == pytest.approx(4 / 6)  # k2 .. k5 meet both measurable marks


def test_fewer_than_two_measurable_marks_give_no_loyal_share():
    tx = pd.DataFrame(
        {
            "customer_id": list("aab"),
            "invoice_id": list("123"),
            "item_id": "CD",
            "amount": 1.0,
            "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-03"]),
        }
    )
    score = loyalty_marks(prepare_purchases(tx))
    assert score.measurable == ["regular"] and score.loyal_share is None


def test_a_bad_customer_table_is_named():
    tx = pd.DataFrame(
        {
            "customer_id": ["a"],
            "invoice_id": ["1"],
            "item_id": "x",
            "amount": 1.0,
            "timestamp": pd.to_datetime(["2024-01-01"]),
        }
    )
    p = prepare_purchases(tx)
    bad = pd.DataFrame({"customer_id": ["a"], "referrals": ["many"]})
    with pytest.raises(InputError, match="referrals"):
        loyalty_marks(p, customers=bad)
    assert "referrals" in zh_message(lambda: loyalty_marks(p, customers=bad))
    with pytest.raises(InputError, match="customer_id"):
        loyalty_marks(p, customers=pd.DataFrame({"id": ["a"]}))
