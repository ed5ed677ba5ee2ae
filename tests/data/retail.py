"""An Online-Retail-like invoice file with planted dirt, for the engine-equality tests.

Online Retail's headers and types (float ``CustomerID`` with gaps, text ``InvoiceNo`` with ``C`` for
cancellations, ``StockCode`` with non-product codes), generated so that each cleaning rule removes a
known number of lines (`PLANTED`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Lines planted per rule, each flagged by that rule only: cancellations, lines without a customer,
#: non-product codes (upper, lower case and padded), zero prices, returns without a ``C`` invoice.
PLANTED = {
    "cancellation": 40,
    "missing_customer": 30,
    "non_product": 25,
    "non_positive_price": 15,
    "non_positive_quantity": 10,
}
N_CLEAN = 3_000
ITEMS = [f"{20000 + i}" for i in range(40)] + ["85123A", "85099B", "47566"]


def retail_lines(seed: int = 0) -> pd.DataFrame:
    """Invoice lines in Online Retail's columns: `N_CLEAN` clean lines and the `PLANTED` dirty ones.

    Invoices hold 1-6 lines of a few customers' favourite items (so that pairs recur); dirty lines are
    shuffled in among them.
    """
    rng = np.random.default_rng(seed)
    rows = []
    invoice = 536365
    customers = rng.integers(12346, 12346 + 150, size=N_CLEAN)
    while len(rows) < N_CLEAN:
        customer = float(customers[len(rows)])
        day = pd.Timestamp("2010-12-01") + pd.Timedelta(
            days=int(rng.integers(0, 365)), minutes=int(rng.integers(480, 1080))
        )
        favourite = ITEMS[int(customer) % 10 : int(customer) % 10 + 6]
        for code in rng.choice(favourite, size=int(rng.integers(1, 7)), replace=False):
            rows.append(
                (
                    str(invoice),
                    code,
                    f"ITEM {code}",
                    int(rng.integers(1, 13)),
                    day,
                    round(float(rng.uniform(0.3, 9.0)), 2),
                    customer,
                )
            )
        invoice += 1
    clean = pd.DataFrame(
        rows[:N_CLEAN],
        columns=["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
    )
    dirty = []
    base = clean.sample(n=sum(PLANTED.values()), random_state=seed, replace=True).reset_index(drop=True)
    start = 0
    for rule, n in PLANTED.items():
        part = base.iloc[start : start + n].copy()
        start += n
        if rule == "cancellation":
            part["InvoiceNo"] = "C" + part["InvoiceNo"]
            part["Quantity"] = -part["Quantity"]
        elif rule == "missing_customer":
            part["CustomerID"] = np.nan
        elif rule == "non_product":
            part["StockCode"] = (["POST", " post ", "M", "BANK CHARGES", "d"] * n)[:n]
        elif rule == "non_positive_price":
            part["UnitPrice"] = 0.0
        else:
            part["Quantity"] = -part["Quantity"]
        dirty.append(part)
    lines = pd.concat([clean, *dirty], ignore_index=True)
    return lines.sample(frac=1.0, random_state=seed).reset_index(drop=True)
