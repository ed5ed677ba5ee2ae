"""Churn early warning (流失预警): customers whose silence is abnormally long for them.

``one row per customer (recency, own purchase gap, P(alive), revenue) -> flags + rule comparison``.

Two rules, compared side by side:

- gap rule: days since the last purchase > ``gap_multiple`` x the customer's own median gap between
  purchase days. It needs at least two purchase days; others cannot be judged by it.
- P(alive) rule: the BG/NBD probability that the customer is still active (`crmlab.value.clv.p_alive`)
  is below ``p_alive_threshold``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_range
from crmlab.core.display import display_table
from crmlab.data.schemas import require_columns, require_nonempty

#: Rows of the comparison table, in order.
GROUPS = ("gap_rule", "p_alive_rule", "both", "gap_only", "p_alive_only", "either")


@dataclass(frozen=True)
class WarningResult:
    """Flags per customer and the comparison of the two rules.

    ``customers`` gains ``gap_ratio`` (recency / own median gap), ``gap_flag`` and ``p_alive_flag``.
    ``groups`` has one row per entry of `GROUPS`: ``customers``, ``customer_share``, ``revenue``,
    ``revenue_share``. ``assessable`` counts the customers the gap rule can judge; ``jaccard`` is
    |both| / |either| (1 = the rules flag the same customers).
    """

    customers: pd.DataFrame
    groups: pd.DataFrame
    gap_multiple: float
    p_alive_threshold: float
    assessable: int
    jaccard: float


def churn_warning(
    customers: pd.DataFrame,
    *,
    gap_multiple: float = 3.0,
    p_alive_threshold: float = 0.5,
    revenue_col: str = "revenue",
) -> WarningResult:
    """Flag customers at risk by the gap rule and by P(alive), and compare the two.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``recency_days``, ``median_gap_days`` (NaN when the customer has a
        single purchase day), ``p_alive`` and ``revenue_col`` (the revenue each customer carries).
    gap_multiple : float
        Flag when the time since the last purchase exceeds this multiple of the own median gap.
    p_alive_threshold : float
        Flag when P(alive) is below this.
    revenue_col : str
        The revenue each customer carries (for the revenue at risk).

    Examples
    --------
    >>> df = pd.DataFrame({"recency_days": [100, 10, 50], "median_gap_days": [20.0, 20.0, np.nan],
    ...                    "p_alive": [0.2, 0.9, 0.3], "revenue": [10.0, 30.0, 60.0]})
    >>> r = churn_warning(df)
    >>> r.customers[["gap_flag", "p_alive_flag"]].values.tolist()
    [[True, True], [False, False], [False, True]]
    >>> float(r.groups.set_index("group").loc["p_alive_only", "revenue"])
    60.0
    """
    require_columns(customers, ["recency_days", "median_gap_days", "p_alive", revenue_col], context="churn_warning")
    require_nonempty(customers, context="churn_warning")
    check_range(gap_multiple, "gap_multiple", low=0, low_open=True)
    check_range(p_alive_threshold, "p_alive_threshold", low=0, high=1, low_open=True, high_open=True)
    out = customers.copy()
    gap = out["median_gap_days"].astype(float)
    out["gap_ratio"] = out["recency_days"] / gap.where(gap > 0)
    out["gap_flag"] = (out["gap_ratio"] > gap_multiple).fillna(False).astype(bool)
    out["p_alive_flag"] = (out["p_alive"] < p_alive_threshold).astype(bool)
    g, p = out["gap_flag"], out["p_alive_flag"]
    masks = {
        "gap_rule": g,
        "p_alive_rule": p,
        "both": g & p,
        "gap_only": g & ~p,
        "p_alive_only": ~g & p,
        "either": g | p,
    }
    revenue = out[revenue_col].astype(float)
    total = revenue.sum()
    groups = pd.DataFrame(
        {
            "group": list(GROUPS),
            "customers": [int(masks[k].sum()) for k in GROUPS],
            "customer_share": [float(masks[k].mean()) for k in GROUPS],
            "revenue": [float(revenue[masks[k]].sum()) for k in GROUPS],
        }
    )
    groups["revenue_share"] = groups["revenue"] / total if total else np.nan
    either = int(masks["either"].sum())
    return WarningResult(
        customers=out,
        groups=groups,
        gap_multiple=gap_multiple,
        p_alive_threshold=p_alive_threshold,
        assessable=int(gap.notna().sum()),
        jaccard=float(masks["both"].sum() / either) if either else float("nan"),
    )


def groups_table(result: WarningResult, lang: str | None = None) -> Styler:
    """The rule comparison for the report: groups in words, counts, shares as percentages, money."""
    kinds = {"customers": "count", "customer_share": "percent", "revenue": "money", "revenue_share": "percent"}
    return display_table(result.groups, headings="value.col", kinds=kinds, values={"group": "value.group"}, lang=lang)
