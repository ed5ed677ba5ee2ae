"""Churn rate (顾客流失率): overall, per segment and per period (step 2 of notebook 50).

Both functions take the output of `crmlab.churn.status.mark_churn` (a ``churned`` column, and a
``churn_date`` column for rates by period).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crmlab.churn.status import parse_dates
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_nonempty

__all__ = ["ChurnRate", "churn_by_period", "churn_rate"]


@dataclass(frozen=True)
class ChurnRate:
    """Churn rate overall and, when a segment column is given, per segment.

    Attributes
    ----------
    n_customers, n_churned, rate
        Customers, churned customers and their share.
    by_segment
        ``segment, customers, churned, rate`` per segment, or None.
    """

    n_customers: int
    n_churned: int
    rate: float
    by_segment: pd.DataFrame | None


def churn_rate(
    status: pd.DataFrame, *, segment_col: str | None = None, total_customers: int | None = None
) -> ChurnRate:
    """Share of customers who churned (顾客流失率).

    Parameters
    ----------
    status
        Output of `churn_status` or `churn_status_from_transactions` (a ``churned`` column).
    segment_col
        Also give the rate per value of this column (``segment, customers, churned, rate``).
    total_customers
        Size of the whole customer base, when ``status`` lists only part of it (e.g. churned
        customers only). Default: the rows of ``status``. When it is larger than the rows, rates
        per segment cannot be known and ``by_segment`` is None.

    Returns
    -------
    ChurnRate

    Examples
    --------
    >>> churn_rate(pd.DataFrame({"churned": [True, False, False, False]})).rate
    0.25
    """
    require_nonempty(status, context=t("churn.context"))
    require_columns(status, ["churned"], context=t("churn.context"))
    churned = status["churned"].astype(bool)
    n_churned = int(churned.sum())
    n_customers = len(status) if not total_customers else int(total_customers)
    if n_customers < n_churned:
        raise ParameterError(t("churn.error.total_customers", total=n_customers, churned=n_churned))
    by_segment = None
    if segment_col is not None and n_customers == len(status):
        require_columns(status, [segment_col], context=t("churn.context"))
        grouped = churned.groupby(status[segment_col].fillna("?").astype(str))
        by_segment = pd.DataFrame({"customers": grouped.size(), "churned": grouped.sum().astype(int)})
        by_segment["rate"] = by_segment["churned"] / by_segment["customers"]
        by_segment = by_segment.rename_axis("segment").reset_index()
    return ChurnRate(n_customers, n_churned, n_churned / n_customers, by_segment)


def churn_by_period(
    status: pd.DataFrame, *, freq: str = "Q", start_col: str | None = None, total_customers: int | None = None
) -> pd.DataFrame:
    """Churn rate per period: customers who churned in the period / customers at risk at its start.

    A customer is at risk in a period if they had not churned before it began and (when
    ``start_col`` gives a start or first-purchase date) had started by its end.

    Parameters
    ----------
    status
        ``churned`` and ``churn_date`` columns (from `churn_status` with a date column, or from
        `churn_status_from_transactions`).
    freq
        A pandas period frequency: ``"M"`` month, ``"Q"`` quarter, ``"Y"`` year.
    start_col
        Optional start date of each customer (sign-up, first purchase).
    total_customers
        Size of the whole customer base when ``status`` lists only part of it (e.g. churned
        customers only); the customers not listed count as at risk in every period.

    Returns
    -------
    DataFrame
        ``period`` (text), ``at_risk``, ``churned``, ``rate``, one row per period from the first to
        the last churn date.
    """
    require_columns(status, ["churned", "churn_date"], context=t("churn.context"))
    dates = status["churn_date"].where(status["churned"].astype(bool))
    if dates.notna().sum() == 0:
        raise InputError(t("churn.error.no_churn_dates"))
    try:
        periods = dates.dt.to_period(freq)
    except ValueError as exc:
        raise ParameterError(t("churn.error.freq", freq=freq)) from exc
    if start_col:
        require_columns(status, [start_col], context=t("churn.context"))
    starts = parse_dates(status[start_col], start_col) if start_col else None
    unlisted = max(0, int(total_customers or 0) - len(status))
    rows = []
    for period in pd.period_range(periods.min(), periods.max(), freq=freq):
        begin, end = period.start_time, period.end_time
        at_risk = dates.isna() | (dates >= begin)
        if starts is not None:
            at_risk &= starts.isna() | (starts <= end)
        churned = int((periods == period).sum())
        rows.append({"period": str(period), "at_risk": unlisted + int(at_risk.sum()), "churned": churned})
    out = pd.DataFrame(rows)
    out["rate"] = out["churned"] / out["at_risk"].where(out["at_risk"] > 0)
    return out
