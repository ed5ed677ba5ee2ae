"""Small planted transaction files for the value analysis: revenue concentrated (80/20) or spread evenly."""

from __future__ import annotations

import numpy as np
import pandas as pd

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-06-30")


def transactions(kind: str, customers: int = 300, seed: int = 0) -> pd.DataFrame:
    """One line per purchase of ``customers`` customers over 18 months.

    ``kind="spread"``: every customer's total is about the same (spend per purchase is 60 divided by
    their number of purchases, +-20%), so the top 20% of customers hold little more than 20% of
    revenue. ``kind="concentrated"``: every fifth customer spends about 25 times as much per
    purchase, so the top 20% hold about 85%.
    """
    rng = np.random.default_rng(seed)
    span = (END - START).days
    rows = []
    for c in range(customers):
        first = int(rng.integers(0, span // 3))
        purchases = 1 + int(rng.poisson(rng.gamma(1.5, 2.0)))  # purchase rates vary between customers
        days = sorted([first, *rng.integers(first, span, size=purchases - 1).tolist()])
        for k, day in enumerate(days):
            if kind == "spread":
                amount = 60 / purchases * rng.uniform(0.8, 1.2)
            else:
                amount = rng.uniform(300, 600) if c % 5 == 0 else rng.uniform(10, 30)
            rows.append(
                {
                    "invoice_id": f"N{c:04d}{k:02d}",
                    "customer_id": f"K{c:04d}",
                    "item_id": f"SKU{int(rng.integers(0, 40))}",
                    "quantity": 1,
                    "amount": round(float(amount), 2),
                    "timestamp": (START + pd.Timedelta(days=int(day))).strftime("%Y-%m-%d"),
                }
            )
    return pd.DataFrame(rows)
