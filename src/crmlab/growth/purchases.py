"""Cleaned transaction lines as the growth analysis reads them: orders, purchase days and periods.

``cleaned lines -> orders (one row per order) + product lines bought (one row per customer, period
and line)``, each with its calendar period (month, quarter or week) as a whole number, so that every
later step (flows, cohorts, depth, loyalty) counts periods the same way. The product line is the
item category when the file has one, else the item itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.checks import check_choice
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_nonempty

#: Period name -> pandas period frequency.
PERIODS: dict[str, str] = {"month": "M", "quarter": "Q", "week": "W"}
#: The columns of the cleaned lines `prepare_purchases` reads.
LINE_COLUMNS = ["customer_id", "invoice_id", "item_id", "amount", "timestamp"]


@dataclass(frozen=True)
class Purchases:
    """Orders and product lines with their periods.

    ``orders``: one row per order: ``customer_id``, ``invoice_id``, ``day``, ``period`` (the period's
    ordinal number), ``amount``. ``lines``: one row per customer, period and product line bought:
    ``customer_id``, ``period``, ``line``. ``line_col``: the column the lines come from (the category
    column or ``item_id``); ``names``: line -> a readable name (the item name when there is one).
    ``first_period``/``last_period``: the ordinals of the first and last period with data; a period
    is complete when it lies wholly between ``start`` (the first day with data) and ``as_of``.
    """

    orders: pd.DataFrame
    lines: pd.DataFrame
    names: pd.Series
    line_col: str
    period: str
    start: pd.Timestamp
    as_of: pd.Timestamp
    first_period: int
    last_period: int

    @property
    def freq(self) -> str:
        """The pandas frequency of the period."""
        return PERIODS[self.period]

    def label(self, ordinal: int) -> str:
        """The period as text: ``2011-03``, ``2011Q1`` or the week's first day."""
        period = pd.Period(ordinal=int(ordinal), freq=self.freq)
        return period.start_time.strftime("%Y-%m-%d") if self.period == "week" else str(period)

    def complete(self, ordinal: int) -> bool:
        """Whether the period lies wholly inside the data (from ``start`` to ``as_of``)."""
        period = pd.Period(ordinal=int(ordinal), freq=self.freq)
        return bool(period.start_time >= self.start and period.end_time.normalize() <= self.as_of)

    @property
    def last_complete(self) -> int | None:
        """The last complete period, or None when no period is complete."""
        done = [p for p in range(self.first_period, self.last_period + 1) if self.complete(p)]
        return done[-1] if done else None


def period_ordinals(days: pd.Series, period: str) -> np.ndarray:
    """The ordinal number of each day's period (consecutive periods differ by 1)."""
    return np.asarray(pd.DatetimeIndex(days).to_period(PERIODS[period]).asi8, dtype=np.int64)


def prepare_purchases(
    lines: pd.DataFrame,
    *,
    period: str = "month",
    as_of: str | pd.Timestamp | None = None,
    category_col: str = "category",
) -> Purchases:
    """Orders and product lines of cleaned transaction lines, with their periods.

    Parameters
    ----------
    lines : DataFrame
        Cleaned transaction lines (`crmlab.data.cleaning.clean`): ``customer_id``, ``invoice_id``,
        ``item_id``, ``amount``, ``timestamp``; optionally ``item_name`` and a category column.
    period : {"month", "quarter", "week"}
        The period flows and cohorts are counted in.
    as_of : date, optional
        The analysis date; later lines are ignored. Default: the last day with a line.
    category_col : str
        The item category column; when the lines have it, categories are the product lines,
        otherwise the items are.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "invoice_id": ["1", "2", "3"],
    ...                    "item_id": ["x", "y", "x"], "amount": [5.0, 7.0, 3.0],
    ...                    "timestamp": pd.to_datetime(["2024-01-03", "2024-02-11", "2024-02-20"])})
    >>> p = prepare_purchases(tx)
    >>> p.orders["period"].sub(p.first_period).tolist(), p.label(p.last_period), p.complete(p.first_period)
    ([0, 1, 1], '2024-02', False)
    """
    check_choice(period, "period", list(PERIODS))
    require_columns(lines, LINE_COLUMNS, context="growth")
    require_nonempty(lines, context="growth")
    day = pd.to_datetime(lines["timestamp"]).dt.normalize()
    end = day.max() if as_of in (None, "") else pd.Timestamp(as_of).normalize()
    keep = (day <= end) & lines["customer_id"].notna()
    if not keep.any():
        raise InputError(t("data.no_customers", as_of=end.date()))
    line_col = category_col if category_col and category_col in lines.columns else "item_id"
    df = pd.DataFrame(
        {
            "customer_id": lines["customer_id"].astype(str),
            "invoice_id": lines["invoice_id"].astype(str),
            "day": day,
            "amount": lines["amount"].astype(float),
            "line": lines[line_col].astype(str),
        }
    )[keep.to_numpy()]
    df["period"] = period_ordinals(df["day"], period)
    orders = (
        df.groupby(["customer_id", "invoice_id"], as_index=False, sort=True)
        .agg(day=("day", "min"), period=("period", "min"), amount=("amount", "sum"))
        .sort_values(["customer_id", "day", "invoice_id"], ignore_index=True)
    )
    bought = df[["customer_id", "period", "line"]].drop_duplicates().sort_values(["customer_id", "period", "line"])
    names = df.groupby("line")["line"].first()
    if line_col == "item_id" and "item_name" in lines.columns:
        named = pd.Series(lines["item_name"].to_numpy(), index=lines["item_id"].astype(str)).dropna()
        names = named[~named.index.duplicated()].reindex(names.index).fillna(names)
    return Purchases(
        orders=orders,
        lines=bought.reset_index(drop=True),
        names=names.astype(str),
        line_col=line_col,
        period=period,
        start=df["day"].min(),
        as_of=end,
        first_period=int(df["period"].min()),
        last_period=int(period_ordinals(pd.Series([end]), period)[0]),
    )
