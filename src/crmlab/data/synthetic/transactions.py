"""Seeded synthetic transactions and customers, with planted truth.

`make_customers` and `make_transactions` share one customer population for the same
``n_customers`` and ``seed``, so the two frames join on ``customer_id``. `make_transactions`
returns the lines and their planted truth as explicit fields (`SyntheticTransactions`);
`synthetic_transactions` is the catalogue's loader (the lines only).

Planted truth (`TransactionsTruth`, the ``truth`` of `make_transactions`):

- **Skewed spend.** Each customer's purchase rate is Pareto distributed (shape ``pareto_shape``,
  default 1.2), so a minority of customers makes most of the revenue: with the defaults the top 20%
  of customers bring well over half of it (``truth.top20_share`` gives the exact share).
- **Lapsed customers.** A share ``lapsed_share`` of customers buys only in the first ``days // 2``
  days of the period and never after; their returns and cancellations may come a few days later
  (``truth.lapsed_customers``; column ``planted_lapsed`` of the customers).
- **Cancellations.** A share ``cancel_share`` of invoices is cancelled: a second invoice
  ``"C" + invoice_id`` a few days later repeats every line with negative quantity and amount
  (``truth.cancellation_lines``).
- **Returns.** A share ``return_share`` of the remaining invoices gets one return line: an invoice
  ``"R" + invoice_id`` with one of its items at negative quantity (``truth.return_lines``).
- **Guest purchases.** A share ``guest_share`` of invoices has no customer id
  (``truth.guest_lines`` lines).
- Item popularity follows a Zipf-like law; a basket draws 1 + Poisson(``mean_basket - 1``) lines,
  then repeated items are merged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

REGIONS = ("East", "North", "South", "West", "Central")
CHANNELS = ("store", "web", "app")
CATEGORIES = ("tea", "snacks", "kitchen", "gifts", "stationery")


@dataclass(frozen=True)
class TransactionsTruth:
    """What `make_transactions` planted (see the module docstring)."""

    lapsed_customers: tuple[str, ...]
    cancellation_lines: int
    return_lines: int
    guest_lines: int
    top20_share: float


@dataclass(frozen=True)
class SyntheticTransactions:
    """Invoice lines (transactions kind) and their planted truth."""

    data: pd.DataFrame
    truth: TransactionsTruth


def _population(n_customers: int, seed: int, pareto_shape: float, lapsed_share: float) -> pd.DataFrame:
    """One row per customer: id, attributes, purchase rate, and whether the customer lapses."""
    rng = np.random.default_rng(seed)
    rate = rng.pareto(pareto_shape, n_customers) + 0.3
    lapsed = np.zeros(n_customers, dtype=bool)
    lapsed[rng.choice(n_customers, size=round(lapsed_share * n_customers), replace=False)] = True
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n_customers + 1)],
            "gender": rng.choice(["F", "M"], n_customers),
            "age": rng.integers(18, 76, n_customers),
            "region": rng.choice(REGIONS, n_customers),
            "channel": rng.choice(CHANNELS, n_customers, p=[0.5, 0.3, 0.2]),
            "rate": rate,
            "planted_lapsed": lapsed,
        }
    )


def make_customers(
    n_customers: int = 1000,
    *,
    seed: int = 0,
    pareto_shape: float = 1.2,
    lapsed_share: float = 0.15,
) -> pd.DataFrame:
    """Customers with attributes (customers kind): id, gender, age, region, channel, planted_lapsed.

    The same ``n_customers``, ``seed``, ``pareto_shape`` and ``lapsed_share`` as
    `make_transactions` give the same customers; ``planted_lapsed`` marks those who lapse there.
    """
    return _population(n_customers, seed, pareto_shape, lapsed_share).drop(columns="rate")


def _items(n_items: int, rng: np.random.Generator) -> pd.DataFrame:
    categories = rng.choice(CATEGORIES, n_items)
    return pd.DataFrame(
        {
            "item_id": [f"SKU{i:04d}" for i in range(1, n_items + 1)],
            "item_name": [f"{c} item {i}" for i, c in enumerate(categories, start=1)],
            "unit_price": np.round(rng.lognormal(np.log(8.0), 0.7, n_items), 2),
            "weight": 1.0 / np.arange(1, n_items + 1) ** 0.9,
        }
    )


def _invoices(people: pd.DataFrame, rng: np.random.Generator, start: pd.Timestamp, days: int) -> pd.DataFrame:
    """One row per invoice: customer, timestamp. Lapsed customers buy only in the first half."""
    counts = 1 + rng.poisson(people["rate"].to_numpy() * 4)
    owner = np.repeat(np.arange(len(people)), counts)
    span = np.where(people["planted_lapsed"].to_numpy()[owner], days // 2, days)
    day = np.floor(rng.random(len(owner)) * span)
    minutes = rng.integers(9 * 60, 20 * 60, len(owner))
    timestamp = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(minutes, unit="min")
    frame = pd.DataFrame({"owner": owner, "timestamp": timestamp}).sort_values("timestamp", kind="stable")
    frame["invoice_id"] = [str(100000 + i) for i in range(len(frame))]
    return frame.reset_index(drop=True)


def _lines(
    invoices: pd.DataFrame,
    items: pd.DataFrame,
    rng: np.random.Generator,
    mean_basket: float,
) -> pd.DataFrame:
    sizes = 1 + rng.poisson(mean_basket - 1, len(invoices))
    row = np.repeat(np.arange(len(invoices)), sizes)
    chosen = rng.choice(
        len(items),
        size=len(row),
        p=(items["weight"] / items["weight"].sum()).to_numpy(),
    )
    lines = invoices.iloc[row].reset_index(drop=True)
    picked = items.iloc[chosen].reset_index(drop=True)
    lines[["item_id", "item_name", "unit_price"]] = picked[["item_id", "item_name", "unit_price"]]
    lines["quantity"] = 1 + rng.poisson(1.0, len(lines))
    return lines.drop_duplicates(["invoice_id", "item_id"], ignore_index=True)


def _negated(lines: pd.DataFrame, prefix: str, delay_days: np.ndarray) -> pd.DataFrame:
    out = lines.copy()
    out["invoice_id"] = prefix + out["invoice_id"]
    out["quantity"] = -out["quantity"]
    out["timestamp"] = out["timestamp"] + pd.to_timedelta(delay_days, unit="D")
    return out


def make_transactions(
    n_customers: int = 1000,
    *,
    seed: int = 0,
    start: str = "2024-01-01",
    days: int = 365,
    n_items: int = 60,
    mean_basket: float = 3.0,
    pareto_shape: float = 1.2,
    lapsed_share: float = 0.15,
    cancel_share: float = 0.02,
    return_share: float = 0.02,
    guest_share: float = 0.05,
) -> SyntheticTransactions:
    """Invoice lines (transactions kind) with the planted truth of the module docstring.

    Parameters
    ----------
    n_customers, seed, pareto_shape, lapsed_share
        The customer population (shared with `make_customers`).
    start, days
        The period covered.
    n_items, mean_basket
        Catalogue size and mean number of distinct items per invoice.
    cancel_share, return_share, guest_share
        Shares of invoices cancelled, with one returned item, and bought by a guest (no customer id).

    Returns
    -------
    SyntheticTransactions
        ``data``: canonical transactions columns, sorted by time; ``truth``: the planted truth.
    """
    people = _population(n_customers, seed, pareto_shape, lapsed_share)
    rng = np.random.default_rng([seed, 1])
    invoices = _invoices(people, rng, pd.Timestamp(start), days)
    guest = rng.random(len(invoices)) < guest_share
    invoices["customer_id"] = people["customer_id"].to_numpy()[invoices["owner"]]
    invoices.loc[guest, "customer_id"] = None
    lines = _lines(invoices, _items(n_items, rng), rng, mean_basket)

    fate = rng.random(len(invoices))
    cancelled = set(invoices["invoice_id"][fate < cancel_share])
    returned = set(invoices["invoice_id"][(fate >= cancel_share) & (fate < cancel_share + return_share)])
    to_cancel = lines[lines["invoice_id"].isin(cancelled)]
    to_return = lines[lines["invoice_id"].isin(returned)].drop_duplicates("invoice_id")
    extra = [
        _negated(to_cancel, "C", rng.integers(1, 5, len(to_cancel))),
        _negated(to_return, "R", rng.integers(3, 20, len(to_return))),
    ]
    out = pd.concat([lines, *extra], ignore_index=True)
    out["amount"] = np.round(out["quantity"] * out["unit_price"], 2)
    out = out.sort_values(["timestamp", "invoice_id"], kind="stable", ignore_index=True)
    out = out[
        [
            "customer_id",
            "invoice_id",
            "item_id",
            "item_name",
            "quantity",
            "unit_price",
            "amount",
            "timestamp",
        ]
    ]
    out["customer_id"] = out["customer_id"].astype("str").where(out["customer_id"].notna())
    return SyntheticTransactions(out, _truth(out, people, len(to_cancel), len(to_return)))


def _truth(out: pd.DataFrame, people: pd.DataFrame, cancellation_lines: int, return_lines: int) -> TransactionsTruth:
    revenue = out.groupby("customer_id")["amount"].sum().sort_values(ascending=False)
    top = revenue.iloc[: max(1, round(0.2 * len(revenue)))].sum()
    return TransactionsTruth(
        lapsed_customers=tuple(sorted(people.loc[people["planted_lapsed"], "customer_id"])),
        cancellation_lines=cancellation_lines,
        return_lines=return_lines,
        guest_lines=int(out["customer_id"].isna().sum()),
        top20_share=float(top / revenue.sum()),
    )


def synthetic_transactions() -> pd.DataFrame:
    """The named data set ``synthetic_transactions``: the lines of `make_transactions` with its defaults."""
    return make_transactions().data
