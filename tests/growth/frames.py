"""Small hand-made transaction frames for the growth tests."""

from __future__ import annotations

import pandas as pd


def lines(
    rows: list[tuple[str, str]], *, item: str | list[str] = "x", amount: float | list[float] = 1.0
) -> pd.DataFrame:
    """Transaction lines from ``(customer, date)`` pairs, one order each."""
    return pd.DataFrame(
        {
            "customer_id": [c for c, _ in rows],
            "invoice_id": [str(i) for i in range(1, len(rows) + 1)],
            "item_id": item,
            "amount": amount,
            "timestamp": pd.to_datetime([d for _, d in rows]),
        }
    )


#: Six customers over January to March 2024 (the cohort test's hand-counted truth).
COHORT_ROWS = [
    ("a", "2024-01-01"),
    ("a", "2024-02-10"),
    ("a", "2024-03-10"),
    ("b", "2024-01-15"),
    ("b", "2024-03-20"),
    ("c", "2024-01-20"),
    ("d", "2024-02-03"),
    ("d", "2024-03-03"),
    ("e", "2024-02-14"),
    ("f", "2024-03-31"),
]
