"""Longer relationships: acquisition cohorts, their retention, and how long relationships last.

``purchases -> cohort x periods since acquisition`` (`cohort_retention`): each customer belongs to
the cohort of the period of their first purchase; the cell of cohort c and offset k is the share of
the cohort that bought in period c + k (period 0 is 100%). Cells of periods not wholly inside the
data are left empty, so a half-observed month never reads as a drop in retention.

``flows -> Kaplan-Meier survival of relationships`` (`relationship_lengths`): a relationship lasts
from the first to the last purchase; it has ended when the customer is lost (silent past their
threshold, `crmlab.growth.flows`), otherwise it is censored at the last purchase so far (the one
length known for sure). The Kaplan-Meier estimate (lifelines) gives the median length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.checks import check_whole
from crmlab.growth.flows import Flows
from crmlab.growth.purchases import Purchases, period_ordinals


@dataclass(frozen=True)
class Cohorts:
    """Acquisition cohorts.

    ``sizes``: cohort (period ordinal) -> customers acquired. ``active``: customers of each cohort
    (rows) buying k periods after acquisition (columns 0, 1, ...); NaN where a later period is not
    complete. ``retention``: ``active`` divided by the cohort size. ``curve``: ``offset``,
    ``retention`` (mean over the cohorts observed at that offset, weighted by their size) and
    ``cohorts`` (how many). ``first_complete``: the first cohort whose period is complete (None if
    none is).
    """

    sizes: pd.Series
    active: pd.DataFrame
    retention: pd.DataFrame
    curve: pd.DataFrame
    first_complete: int | None

    @property
    def first_size(self) -> int | None:
        """Customers of the first complete cohort."""
        return None if self.first_complete is None else int(self.sizes[self.first_complete])

    @property
    def first_retention_m1(self) -> float | None:
        """Share of the first complete cohort buying one period after acquisition (None if unobserved)."""
        if self.first_complete is None or 1 not in self.retention.columns:
            return None
        value = float(self.retention.loc[self.first_complete, 1])  # type: ignore[arg-type]
        return None if np.isnan(value) else value


def cohort_retention(purchases: Purchases) -> Cohorts:
    """The cohort retention matrix and the average retention curve.

    Examples
    --------
    >>> from crmlab.growth.purchases import prepare_purchases
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"], "invoice_id": list("12345"),
    ...                    "item_id": "x", "amount": 1.0, "timestamp": pd.to_datetime(
    ...                    ["2024-01-01", "2024-02-05", "2024-01-09", "2024-02-01", "2024-03-31"])})
    >>> c = cohort_retention(prepare_purchases(tx))
    >>> c.retention.round(2).values.tolist()
    [[1.0, 0.5, 0.0], [1.0, 1.0, nan]]
    """
    orders = purchases.orders
    cohort = orders.groupby("customer_id")["period"].min().rename("cohort")
    active = orders[["customer_id", "period"]].drop_duplicates().join(cohort, on="customer_id")
    active["offset"] = active["period"] - active["cohort"]
    periods = range(purchases.first_period, purchases.last_period + 1)
    offsets = range(0, purchases.last_period - purchases.first_period + 1)
    counts = active.groupby(["cohort", "offset"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=pd.Index(periods, name="cohort"), columns=offsets, fill_value=0).astype(float)
    complete = {p: purchases.complete(p) for p in periods}
    for c in periods:
        for k in offsets:
            if k and (c + k > purchases.last_period or not complete[c + k]):  # period 0 is 100% by definition
                counts.loc[c, k] = np.nan
    sizes = cohort.value_counts().reindex(counts.index, fill_value=0).astype("int64")
    counts = counts[sizes > 0]
    sizes = sizes[sizes > 0]
    retention = counts.div(sizes, axis=0)
    observed = counts.notna()
    weights = observed.mul(sizes, axis=0)
    curve = pd.DataFrame(
        {
            "offset": list(offsets),
            "retention": [float(counts[k].sum() / weights[k].sum()) if weights[k].sum() else np.nan for k in offsets],
            "cohorts": observed.sum().to_numpy(),
        }
    )
    first = next((int(c) for c in sizes.index if complete[int(c)]), None)
    return Cohorts(sizes, counts, retention, curve[curve["cohorts"] > 0].reset_index(drop=True), first)


@dataclass(frozen=True)
class Lengths:
    """How long relationships last.

    ``customers``: ``customer_id``, ``days`` and ``periods`` (first to last purchase), ``ended``.
    ``median_days``: the Kaplan-Meier median in days (``inf`` when more than half of the relationships
    outlast the data). ``survival``: ``offset`` k -> ``survival``, the estimated share of relationships
    still going in the k-th period after acquisition (``survival`` at 0 is 1).
    """

    customers: pd.DataFrame
    median_days: float
    survival: pd.DataFrame

    @property
    def single_purchase_ended(self) -> float:
        """Share of all customers whose relationship ended on their first purchase day."""
        c = self.customers
        return float(((c["days"] == 0) & c["ended"]).mean())


def relationship_lengths(purchases: Purchases, flows: Flows) -> Lengths:
    """Kaplan-Meier estimate of relationship length (see the module docstring).

    Examples
    --------
    >>> from crmlab.growth.flows import relationship_flows
    >>> from crmlab.growth.purchases import prepare_purchases
    >>> tx = pd.DataFrame({"customer_id": list("aabbc"), "invoice_id": list("12345"), "item_id": "x",
    ...                    "amount": 1.0, "timestamp": pd.to_datetime(["2024-01-01", "2024-01-11",
    ...                    "2024-01-01", "2024-01-31", "2024-05-01"])})
    >>> p = prepare_purchases(tx)
    >>> relationship_lengths(p, relationship_flows(p, winback_gap=60)).median_days
    10.0
    """
    from lifelines import KaplanMeierFitter  # imported here: lifelines takes a second to import

    c = flows.customers
    first = period_ordinals(c["first_day"], purchases.period)
    last = period_ordinals(c["last_day"], purchases.period)
    customers = pd.DataFrame(
        {
            "customer_id": c["customer_id"],
            "days": (c["last_day"] - c["first_day"]).dt.days.astype("int64"),
            "periods": last - first,
            "ended": c["lost"].astype(bool),
        }
    )
    by_days = KaplanMeierFitter().fit(customers["days"], customers["ended"])
    by_periods = KaplanMeierFitter().fit(customers["periods"], customers["ended"])
    offsets = np.arange(0, purchases.last_period - purchases.first_period + 1)
    still = by_periods.survival_function_at_times(offsets[1:] - 1).to_numpy()  # P(T >= k) = P(T > k - 1)
    survival = pd.DataFrame({"offset": offsets, "survival": np.concatenate([[1.0], still])})
    median = float(by_days.median_survival_time_)
    return Lengths(customers, median if math.isfinite(median) else math.inf, survival)


def relationship_sample(purchases: Purchases, flows: Flows, *, n: int = 30, seed: int = 0) -> pd.DataFrame:
    """A random sample of ``n`` relationships for the cylinder chart, by first purchase.

    ``customer_id``, ``first_day``, ``last_day``, ``ended``, ``depth`` (product lines bought when the
    data has at least two, else revenue) and ``depth_kind`` (``lines`` or ``revenue``).
    """
    check_whole(n, "cylinders", low=1)
    c = flows.customers
    chosen = c.sample(n=min(n, len(c)), random_state=seed)
    if purchases.lines["line"].nunique() >= 2:
        depth, kind = purchases.lines.groupby("customer_id")["line"].nunique(), "lines"
    else:
        depth, kind = purchases.orders.groupby("customer_id")["amount"].sum(), "revenue"
    return (
        chosen.assign(depth=chosen["customer_id"].map(depth).astype(float), depth_kind=kind, ended=chosen["lost"])
        .drop(columns=["threshold_days", "lost"])
        .sort_values(["first_day", "last_day"], ignore_index=True)
    )
