"""Small hand-made factor tables shared by the exit tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.exit.factors import FACTORS, factor_weights, score_customers


def tiny(n: int = 6) -> pd.DataFrame:
    """A small random factor table: customers c0 .. c{n-1}, one period, factors uniform in [1, 10)."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(n, len(FACTORS))), columns=list(FACTORS))
    frame.insert(0, "customer_id", [f"c{i}" for i in range(n)])
    return frame


def scored_tiny(n: int) -> pd.DataFrame:
    """`tiny` with the AHP score of the default weights."""
    return score_customers(tiny(n), factor_weights().global_weights)


def few_rows_per_class() -> pd.DataFrame:
    """12 scored rows, 4 of each class: too few for a train/test split with 5 of each class per side."""
    frame = scored_tiny(12)
    frame["exit_label"] = ["good", "medium", "bad"] * 4
    return frame


def one_customer_holds_every_bad_row() -> pd.DataFrame:
    """20 customers x 20 periods; only customer c0 is ever bad, so one side of any split has no bad row."""
    frame = pd.concat([tiny(20).assign(period=p) for p in range(20)], ignore_index=True)
    frame = score_customers(frame, factor_weights().global_weights)
    frame["exit_label"] = ["good", "medium"] * (len(frame) // 2)
    frame.loc[frame["customer_id"] == "c0", "exit_label"] = "bad"
    return frame
