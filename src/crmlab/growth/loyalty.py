"""The five marks of a loyal customer, as a scorecard per customer.

The textbook's marks: (1) regular repeat purchase, (2) buys several product lines, (3) recommends
others, (4) immune to competitors' lures, (5) tolerates an occasional mistake. Transactions measure
the first two; the others need a customer table with the columns of `MARK_COLUMNS` (a user maps
their own names to them). A mark whose data is missing is reported as not measurable, never as
unmet, and the loyal share (at least two marks met) needs at least two measurable marks.

- ``regular``: at least `MIN_PURCHASE_DAYS` purchase days, and the gaps between them vary little:
  standard deviation / mean at most ``regularity_cv``.
- ``lines``: at least ``min_lines`` product lines (categories, else items); measurable when the data
  has that many lines at all.
- ``recommends``: ``referrals`` (customers this customer brought in) above 0.
- ``immune``: ``declined_offers`` (competitors' offers the customer turned down, or promotions they
  stayed through) above 0.
- ``tolerant``: the customer complained (``complaint_date``) and bought again after the complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_range, check_whole
from crmlab.core.display import display_table
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_numeric, to_dates
from crmlab.growth.purchases import Purchases

MARKS = ("regular", "lines", "recommends", "immune", "tolerant")
#: The customer-table column each of the last three marks reads.
MARK_COLUMNS: dict[str, str] = {"recommends": "referrals", "immune": "declined_offers", "tolerant": "complaint_date"}
MIN_PURCHASE_DAYS = 3
#: Marks a customer must meet to count as loyal in `Loyalty.loyal_share`.
LOYAL_MARKS = 2


@dataclass(frozen=True)
class Loyalty:
    """The scorecard.

    ``customers``: ``customer_id``, one boolean column per measurable mark, ``marks`` (how many met).
    ``marks``: one row per mark of `MARKS`: ``mark``, ``measurable``, ``customers`` meeting it and
    ``customer_share`` (NaN when not measurable). ``distribution``: ``marks_met``, ``customers``, ``share``.
    """

    customers: pd.DataFrame
    marks: pd.DataFrame
    distribution: pd.DataFrame

    @property
    def measurable(self) -> list[str]:
        """The marks this data can measure."""
        return self.marks.loc[self.marks["measurable"], "mark"].tolist()

    @property
    def loyal_share(self) -> float | None:
        """Share of customers meeting at least `LOYAL_MARKS` marks; None with fewer measurable marks."""
        if len(self.measurable) < LOYAL_MARKS:
            return None
        return float((self.customers["marks"] >= LOYAL_MARKS).mean())


def _regular(purchases: Purchases, regularity_cv: float) -> pd.Series:
    days = purchases.orders[["customer_id", "day"]].drop_duplicates().sort_values(["customer_id", "day"])
    gaps = days.groupby("customer_id")["day"].diff().dt.days.dropna()
    by = gaps.groupby(days.loc[gaps.index, "customer_id"])
    cv = by.std(ddof=0) / by.mean()
    return (by.size() >= MIN_PURCHASE_DAYS - 1) & (cv <= regularity_cv)


def _from_customers(purchases: Purchases, customers: pd.DataFrame | None) -> dict[str, pd.Series]:
    """The marks a customer table measures, per customer id."""
    if customers is None:
        return {}
    require_columns(customers, ["customer_id"], context="loyalty marks")
    table = customers.assign(customer_id=customers["customer_id"].astype(str)).drop_duplicates("customer_id")
    table = table.set_index("customer_id")
    out = {}
    for mark in ("recommends", "immune"):
        column = MARK_COLUMNS[mark]
        if column in table.columns:
            out[mark] = require_numeric(table[[column]], [column], context="loyalty marks")[column].fillna(0) > 0
    column = MARK_COLUMNS["tolerant"]
    if column in table.columns:
        complained = to_dates(table[column], column, context="loyalty marks").dropna()
        orders = purchases.orders[purchases.orders["customer_id"].isin(complained.index)]
        after = orders["day"] > orders["customer_id"].map(complained)
        out["tolerant"] = after.groupby(orders["customer_id"]).any()
    return out


def loyalty_marks(
    purchases: Purchases,
    *,
    customers: pd.DataFrame | None = None,
    regularity_cv: float = 0.5,
    min_lines: int = 3,
) -> Loyalty:
    """Score every customer on the five marks this data can measure (see the module docstring).

    Examples
    --------
    >>> from crmlab.growth.purchases import prepare_purchases
    >>> tx = pd.DataFrame({"customer_id": list("aaab"), "invoice_id": list("1234"),
    ...                    "item_id": list("xyzx"), "amount": 1.0, "timestamp": pd.to_datetime(
    ...                    ["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-05"])})
    >>> score = loyalty_marks(prepare_purchases(tx), customers=pd.DataFrame({"customer_id": ["b"], "referrals": [2]}))
    >>> score.measurable, score.customers["marks"].tolist(), score.loyal_share
    (['regular', 'lines', 'recommends'], [2, 1], 0.5)
    """
    check_range(regularity_cv, "regularity_cv", low=0)
    check_whole(min_lines, "min_lines", low=2)
    ids = pd.Index(sorted(purchases.orders["customer_id"].unique()), name="customer_id")
    found: dict[str, pd.Series] = {"regular": _regular(purchases, regularity_cv)}
    if purchases.lines["line"].nunique() >= min_lines:
        found["lines"] = purchases.lines.groupby("customer_id")["line"].nunique() >= min_lines
    found.update(_from_customers(purchases, customers))
    met = pd.DataFrame({m: found[m].reindex(ids, fill_value=False).astype(bool) for m in MARKS if m in found})
    met["marks"] = met.sum(axis=1).astype("int64")
    marks = pd.DataFrame(
        {
            "mark": list(MARKS),
            "measurable": [m in met.columns for m in MARKS],
            "customers": [int(met[m].sum()) if m in met.columns else np.nan for m in MARKS],
        }
    )
    marks["customer_share"] = marks["customers"] / len(ids)
    counts = met["marks"].value_counts().reindex(range(len(found) + 1), fill_value=0)
    distribution = pd.DataFrame({"marks_met": counts.index, "customers": counts.to_numpy()})
    distribution["share"] = distribution["customers"] / len(ids)
    return Loyalty(met.reset_index(), marks, distribution)


def marks_table(loyalty: Loyalty, lang: str | None = None, *, regularity_cv: float = 0.5, min_lines: int = 3) -> Styler:
    """One row per mark: what it means, whether this data measures it, and how many customers meet it.

    ``regularity_cv`` and ``min_lines``: the limits `loyalty_marks` used, stated in the meanings.
    """
    table = loyalty.marks.assign(
        meaning=[t(f"growth.mark_means.{m}", lang, cv=regularity_cv, n=min_lines) for m in loyalty.marks["mark"]],
        mark=[t(f"growth.mark.{m}", lang) for m in loyalty.marks["mark"]],
    )
    kinds = {"measurable": "bool", "customers": "count", "customer_share": "percent", "meaning": "text"}
    columns = ["mark", "meaning", "measurable", "customers", "customer_share"]
    return display_table(table, headings=["growth.col", "value.col"], kinds=kinds, columns=columns, lang=lang)
