"""Seeded transactions with a planted group of lapsed regular customers (for the churn warning).

`make_lapsed_transactions` returns the lines and the planted truth as explicit fields
(`LapsedTransactions`); `lapsed_transactions` is the catalogue's loader (the lines only). Planted truth:

- Every customer buys regularly: the gaps between purchase days follow a gamma distribution with
  shape ``regularity`` (default 16, so gaps rarely stray far from the customer's own mean gap) and a
  mean gap drawn uniformly between 7 and 60 days.
- **Active** customers keep buying until ``as_of``: their time since the last purchase is shorter
  than the gap in progress, so it stays well under 3x their median gap.
- **Lapsed** customers (a share ``lapsed_share``, ids starting with ``"L"``) stopped buying: their
  last purchase is between 5 and 10 of their own mean gaps before ``as_of``
  (``lapsed_customers``).
- Every customer has at least 4 purchase days; spend per purchase day is gamma distributed around a
  customer-specific mean (lognormal, median 40).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class LapsedTransactions:
    """Transaction lines, the customers who lapsed and the analysis date the data ends on."""

    data: pd.DataFrame
    lapsed_customers: tuple[str, ...]
    as_of: pd.Timestamp


def make_lapsed_transactions(
    n_customers: int = 400,
    *,
    lapsed_share: float = 0.1,
    regularity: float = 16.0,
    as_of: str = "2024-12-31",
    seed: int = 0,
) -> LapsedTransactions:
    """Transaction lines (transactions kind) of regular buyers, some of whom have lapsed.

    Parameters
    ----------
    n_customers : int
        Number of customers.
    lapsed_share : float
        Share of customers who stopped buying (ids ``L0001``...; the others are ``A0001``...).
    regularity : float
        Gamma shape of the gaps between purchase days (higher = more regular).
    as_of : str
        The analysis date; no purchase is later.
    seed : int
        Random seed; the same seed gives the same data.

    Returns
    -------
    LapsedTransactions
        ``data`` (the lines), ``lapsed_customers`` and ``as_of``.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(as_of)
    n_lapsed = round(lapsed_share * n_customers)
    rows = []
    for i in range(n_customers):
        lapsed = i < n_lapsed
        customer = f"L{i + 1:04d}" if lapsed else f"A{i + 1 - n_lapsed:04d}"
        mean_gap = rng.uniform(7, 60)
        n_days = int(rng.integers(4, 16))
        gaps = np.maximum(np.round(rng.gamma(regularity, mean_gap / regularity, n_days - 1)), 1)
        if lapsed:
            last = round(rng.uniform(5, 10) * mean_gap)
        else:  # the gap in progress: a fraction of a full gap has elapsed
            last = int(np.floor(rng.uniform(0, 1) * rng.gamma(regularity, mean_gap / regularity)))
        offsets = last + np.concatenate([[0], np.cumsum(gaps[::-1])])
        spend_mean = rng.lognormal(np.log(40), 0.5)
        for k, offset in enumerate(sorted(offsets, reverse=True)):
            amount = round(float(rng.gamma(4, spend_mean / 4)), 2)
            rows.append(
                (customer, f"{customer}-{k + 1}", "ITEM", 1, amount, amount, end - pd.Timedelta(days=int(offset)))
            )
    out = pd.DataFrame(
        rows, columns=["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "amount", "timestamp"]
    )
    out = out.sort_values(["timestamp", "customer_id"], ignore_index=True)
    return LapsedTransactions(out, tuple(f"L{i + 1:04d}" for i in range(n_lapsed)), end)


def lapsed_transactions() -> pd.DataFrame:
    """The named data set ``value_lapsed``: the lines of `make_lapsed_transactions` with its defaults."""
    return make_lapsed_transactions().data
