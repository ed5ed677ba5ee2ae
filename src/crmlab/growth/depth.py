"""Deeper relationships: more product lines and more spend per order as relationships age.

``purchases -> depth by tenure, cross-sell uptake, up-selling, first lines that lead further``.

Tenure k is the k-th period after the customer's first purchase period. A product line is the item
category when the data has one, else the item (`crmlab.growth.purchases`). With fewer than two
product lines in the whole data (CDNOW records no product at all), depth in lines cannot be measured;
spend per order still can.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_whole
from crmlab.core.display import display_table
from crmlab.growth.purchases import Purchases

#: Fewest customers behind a first product line in `Depth.first_lines`.
MIN_CUSTOMERS = 30


@dataclass(frozen=True)
class Depth:
    """How relationships deepen.

    ``measurable``: the data has at least two product lines. ``by_tenure``: ``tenure``,
    ``observed`` (customers observed that long), ``lines`` (mean product lines bought so far; NaN when not
    measurable), ``order_value`` (mean spend per order in that period of tenure). ``repeat``: customers
    who bought again after their first period; ``adopters``: those of them who bought a product line
    they had not bought in their first period; ``uptake`` = adopters / repeat (cross-sell uptake) and
    ``uptake_all`` = adopters / all customers. ``first_value`` / ``later_value``: mean spend per order
    in the first period and later, over the repeat customers; ``value_change``: the median customer's
    relative change. ``first_lines``: product lines of first purchases with ``customers``,
    ``came_back``, ``new_lines`` (mean new lines bought later) and ``index`` (against all customers).
    """

    measurable: bool
    by_tenure: pd.DataFrame
    customers: int
    repeat: int
    adopters: int
    first_value: float
    later_value: float
    value_change: float
    first_lines: pd.DataFrame

    @property
    def uptake(self) -> float:
        """Cross-sell uptake among repeat customers (NaN when nobody came back or the data has one product line)."""
        return self.adopters / self.repeat if self.repeat and self.measurable else float("nan")

    @property
    def uptake_all(self) -> float:
        """Customers who added a product line later, as a share of all customers (NaN when not measurable)."""
        return self.adopters / self.customers if self.measurable else float("nan")


def relationship_depth(purchases: Purchases, *, min_customers: int = MIN_CUSTOMERS) -> Depth:
    """Depth by tenure, cross-sell uptake, spend per order over tenure and the first lines that lead further.

    Examples
    --------
    >>> from crmlab.growth.purchases import prepare_purchases
    >>> tx = pd.DataFrame({"customer_id": list("aabbc"), "invoice_id": list("12345"),
    ...                    "item_id": list("xyxxx"), "amount": [10.0, 30.0, 10.0, 10.0, 5.0],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-02",
    ...                    "2024-02-02", "2024-02-29"])})
    >>> d = relationship_depth(prepare_purchases(tx), min_customers=1)
    >>> d.repeat, d.adopters, d.uptake, d.by_tenure["lines"].tolist()
    (2, 1, 0.5, [1.0, 1.5])
    """
    check_whole(min_customers, "min_customers", low=1)
    orders, lines = purchases.orders, purchases.lines
    cohort = orders.groupby("customer_id")["period"].min().rename("cohort")
    horizon = purchases.last_complete if purchases.last_complete is not None else purchases.last_period
    offsets = range(0, max(horizon - purchases.first_period, 0) + 1)
    observed = pd.DataFrame({k: cohort + k <= horizon for k in offsets})
    orders = orders.join(cohort, on="customer_id").assign(tenure=lambda d: d["period"] - d["cohort"])
    value = orders.groupby("tenure")["amount"].mean().reindex(offsets)
    seen = lines.join(cohort, on="customer_id").assign(tenure=lambda d: d["period"] - d["cohort"])
    first_seen: pd.DataFrame = seen.groupby(["customer_id", "line"], as_index=False).agg(tenure=("tenure", "min"))
    measurable = lines["line"].nunique() >= 2
    new = first_seen.groupby(["customer_id", "tenure"]).size().unstack(fill_value=0)
    cumulative = new.reindex(index=cohort.index, columns=offsets, fill_value=0).cumsum(axis=1)
    by_tenure = pd.DataFrame(
        {
            "tenure": list(offsets),
            "observed": observed.sum().to_numpy(),
            "lines": cumulative.where(observed).mean().to_numpy() if measurable else np.nan,
            "order_value": value.to_numpy(),
        }
    )
    repeat = set(orders.loc[orders["tenure"] > 0, "customer_id"])
    added = first_seen[first_seen["tenure"] > 0]
    adopters = added["customer_id"].nunique() if measurable else 0
    first_value, later_value, change = _upsell(orders, repeat)
    first_lines = _first_lines(purchases, first_seen, added, repeat, min_customers) if measurable else pd.DataFrame()
    return Depth(
        measurable,
        by_tenure[by_tenure["observed"] > 0].reset_index(drop=True),
        len(cohort),
        len(repeat),
        adopters,
        first_value,
        later_value,
        change,
        first_lines,
    )


def _upsell(orders: pd.DataFrame, repeat: set[str]) -> tuple[float, float, float]:
    """Mean spend per order in the first period and later, and the median customer's change."""
    again = orders[orders["customer_id"].isin(repeat)]
    if again.empty:
        return float("nan"), float("nan"), float("nan")
    later = again["tenure"] > 0
    per_customer = again.groupby(["customer_id", later])["amount"].mean().unstack()
    change = (per_customer[True] / per_customer[False] - 1).median()
    return float(again.loc[~later, "amount"].mean()), float(again.loc[later, "amount"].mean()), float(change)


def _first_lines(
    purchases: Purchases, first_seen: pd.DataFrame, added: pd.DataFrame, repeat: set[str], min_customers: int
) -> pd.DataFrame:
    """Per product line of first purchases: customers, share who came back, new lines bought later."""
    later = added.groupby("customer_id").size()
    start = first_seen[first_seen["tenure"] == 0][["customer_id", "line"]]
    start = start.assign(
        came_back=start["customer_id"].isin(repeat),
        new_lines=start["customer_id"].map(later).fillna(0),
    )
    overall = later.reindex(first_seen["customer_id"].unique(), fill_value=0).mean()
    table = start.groupby("line").agg(
        customers=("customer_id", "size"), came_back=("came_back", "mean"), new_lines=("new_lines", "mean")
    )
    table = table[table["customers"] >= min_customers]
    table["index"] = table["new_lines"] / overall if overall else np.nan
    table.insert(0, "name", purchases.names.reindex(table.index).to_numpy())
    return table.sort_values(["new_lines", "customers"], ascending=False).reset_index()


def first_lines_table(depth: Depth, *, top: int = 10, lang: str | None = None) -> Styler:
    """The first product lines after which customers went furthest (``top`` rows)."""
    kinds = {"customers": "count", "came_back": "percent", "new_lines": "number", "index": "number"}
    return display_table(depth.first_lines.head(top), headings="growth.col", kinds=kinds, lang=lang)


def tenure_table(depth: Depth, lang: str | None = None) -> Styler:
    """Product lines and spend per order by tenure."""
    kinds = {"tenure": "count", "observed": "count", "lines": "number", "order_value": "money"}
    columns = list(depth.by_tenure.columns if depth.measurable else ["tenure", "observed", "order_value"])
    return display_table(depth.by_tenure, headings="growth.col", kinds=kinds, columns=columns, lang=lang)
