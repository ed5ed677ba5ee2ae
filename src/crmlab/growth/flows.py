"""More relationships: new, returning, won-back and lost customers per period, and net growth.

``purchases -> events (new, won back, lost) + one row per period``.

A customer is **lost** once silent for longer than a threshold, on the first day past it, and
**won back** by the purchase that ends such a silence. As in the churn warning of notebook 20, the
threshold is ``gap_multiple`` times the customer's own median gap between purchase days, counting
only the gaps before the silence (so a long silence never hides itself). A customer with no earlier
gap (a first repeat purchase, or a single purchase so far) is measured against the typical gap: the
median of all customers' own median gaps. A positive ``winback_gap`` (days) replaces all of this by
one threshold for everyone.

Per period: ``new`` (first purchase), ``won_back``, ``returning`` (bought, neither new nor won back),
``lost``, ``net_growth = new + won_back - lost`` and ``base``, the customers in a relationship at the
period's end, which ``net_growth`` adds up to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_range
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.growth.purchases import Purchases, period_ordinals

#: Columns of `Flows.table`, in order.
FLOW_COLUMNS = ["period", "label", "complete", "active", "new", "returning", "won_back", "lost", "net_growth", "base"]


@dataclass(frozen=True)
class Flows:
    """Flows of customers per period.

    ``table``: one row per period (`FLOW_COLUMNS`; ``period`` is the ordinal, ``label`` its text).
    ``events``: ``customer_id``, ``event`` (``new``, ``won_back`` or ``lost``), ``day``, ``period``.
    ``customers``: ``customer_id``, ``first_day``, ``last_day``, ``threshold_days`` (the silence that
    now counts as lost) and ``lost`` (silent past it at the analysis date). ``typical_gap``: the
    median of the customers' own median gaps (NaN when nobody bought twice).
    """

    table: pd.DataFrame
    events: pd.DataFrame
    customers: pd.DataFrame
    typical_gap: float
    gap_multiple: float
    winback_gap: float

    def last(self, purchases: Purchases) -> pd.Series | None:
        """The row of the last complete period, or None when no period is complete."""
        last = purchases.last_complete
        if last is None:
            return None
        return self.table.loc[self.table["period"] == last].iloc[0]


def _thresholds(days: pd.DataFrame, gap_multiple: float, winback_gap: float) -> tuple[pd.Series, pd.Series, float]:
    """Per purchase day, the threshold in force before it and after it (days), and the typical gap."""
    by = days.groupby("customer_id", sort=False)["gap"]
    history = by.expanding().median().reset_index(level=0, drop=True).sort_index()  # median of the gaps so far
    own = days.groupby("customer_id")["gap"].median()
    typical = float(own.median()) if own.notna().any() else float("nan")
    if winback_gap > 0:
        same = pd.Series(float(winback_gap), index=days.index)
        return same, same, typical
    if np.isnan(typical):
        raise InputError(t("growth.no_repeat"))
    after = (gap_multiple * history).fillna(gap_multiple * typical)
    before = after.groupby(days["customer_id"], sort=False).shift(1).fillna(gap_multiple * typical)
    return before, after, typical


def _lapse(start: pd.Series, threshold: pd.Series) -> pd.Series:
    """The first day of a silence longer than ``threshold`` days after ``start``."""
    return start + pd.to_timedelta(np.floor(threshold) + 1, unit="D")


def relationship_flows(purchases: Purchases, *, gap_multiple: float = 3.0, winback_gap: float = 0.0) -> Flows:
    """New, returning, won-back and lost customers per period (see the module docstring).

    Parameters
    ----------
    purchases : Purchases
        From `crmlab.growth.purchases.purchases`.
    gap_multiple : float
        A customer is lost when silent longer than this multiple of their own median gap.
    winback_gap : float
        Days of silence after which anyone counts as lost (0: the own-gap rule).

    Examples
    --------
    >>> from crmlab.growth.purchases import prepare_purchases
    >>> tx = pd.DataFrame({"customer_id": ["a"] * 4, "invoice_id": list("1234"), "item_id": "x",
    ...                    "amount": 1.0, "timestamp": pd.to_datetime(
    ...                    ["2024-01-01", "2024-01-11", "2024-01-21", "2024-04-01"])})
    >>> f = relationship_flows(prepare_purchases(tx), winback_gap=30)
    >>> f.events[["event", "day"]].astype(str).values.tolist()
    [['new', '2024-01-01'], ['lost', '2024-02-21'], ['won_back', '2024-04-01']]
    """
    check_range(gap_multiple, "gap_multiple", low=0, low_open=True)
    check_range(winback_gap, "winback_gap", low=0)
    days = purchases.orders[["customer_id", "day"]].drop_duplicates().sort_values(["customer_id", "day"])
    days = days.reset_index(drop=True)
    days["gap"] = days.groupby("customer_id", sort=False)["day"].diff().dt.days.astype(float)
    before, after, typical = _thresholds(days, gap_multiple, winback_gap)
    back = days["gap"] > before
    previous = days.groupby("customer_id", sort=False)["day"].shift(1)
    last = ~days["customer_id"].duplicated(keep="last")
    final = _lapse(days.loc[last, "day"], after[last])
    events = pd.concat(
        [
            days.loc[days["gap"].isna(), ["customer_id", "day"]].assign(event="new"),
            days.loc[back, ["customer_id", "day"]].assign(event="won_back"),
            pd.DataFrame({"customer_id": days.loc[back, "customer_id"], "day": _lapse(previous[back], before[back])}),
            pd.DataFrame({"customer_id": days.loc[last, "customer_id"], "day": final}),
        ]
    )
    events["event"] = events["event"].fillna("lost")
    events = events[events["day"] <= purchases.as_of].sort_values(["customer_id", "day", "event"])
    events["period"] = period_ordinals(events["day"], purchases.period)
    customers = pd.DataFrame(
        {
            "customer_id": days.loc[last, "customer_id"].to_numpy(),
            "first_day": days.groupby("customer_id", sort=False)["day"].min().to_numpy(),
            "last_day": days.loc[last, "day"].to_numpy(),
            "threshold_days": after[last].to_numpy(),
            "lost": (final <= purchases.as_of).to_numpy(),
        }
    )
    return Flows(
        _per_period(purchases, events),
        events.reset_index(drop=True),
        customers,
        typical,
        gap_multiple,
        winback_gap,
    )


def _per_period(purchases: Purchases, events: pd.DataFrame) -> pd.DataFrame:
    periods = pd.RangeIndex(purchases.first_period, purchases.last_period + 1, name="period")
    counts = events.groupby(["period", "event"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=periods, columns=["new", "won_back", "lost"], fill_value=0)
    orders = purchases.orders
    active = orders.groupby("period")["customer_id"].nunique().reindex(periods, fill_value=0)
    moved = events[events["event"] != "lost"].drop_duplicates(["customer_id", "period"])
    moved_per_period = moved.groupby("period").size().reindex(periods, fill_value=0)
    table = pd.DataFrame(
        {
            "period": periods,
            "label": [purchases.label(p) for p in periods],
            "complete": [purchases.complete(p) for p in periods],
            "active": active.to_numpy(),
            "new": counts["new"].to_numpy(),
            "returning": (active - moved_per_period).to_numpy(),
            "won_back": counts["won_back"].to_numpy(),
            "lost": counts["lost"].to_numpy(),
        }
    )
    table["net_growth"] = table["new"] + table["won_back"] - table["lost"]
    table["base"] = table["net_growth"].cumsum()
    return table[FLOW_COLUMNS].astype({c: "int64" for c in FLOW_COLUMNS[3:]})


def flows_table(flows: Flows, lang: str | None = None) -> Styler:
    """The flows per period for the report (incomplete periods marked)."""
    table = flows.table.drop(columns="period")
    return display_table(table, headings="growth.col", kinds={"complete": "bool"}, lang=lang)
