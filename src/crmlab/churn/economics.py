"""What churn costs, and what keeping customers is worth (steps 4 and 5 of notebook 50).

- Profit lost: lost customers x revenue x margin; `exit_economics` for the text's worked example,
  `exit_costs` for data. Per customer, the yearly margin x the expected remaining lifetime is the cost
  of defection.
- Retention budget: a programme is worth it while it costs less than the profit it saves
  (`break_even_budget`, `retention_what_if`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.churn.status import churned_rows
from crmlab.core.checks import check_range, row_examples
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_numeric

__all__ = [
    "ExitCosts",
    "ExitEconomics",
    "break_even_budget",
    "exit_costs",
    "exit_economics",
    "retention_what_if",
]


def _share(value: float, name: str) -> float:
    """``value`` as a float if it lies in [0, 1], else ParameterError (with the "write 10% as 0.10" hint)."""
    return check_range(value, name, low=0, high=1, hint=t("churn.hint.share"))


def _decimals(value: float) -> int:
    """Decimals needed to show ``value`` exactly, up to 2 (1,000 -> 0; 2.5 -> 1)."""
    return next((d for d in range(3) if round(value, d) == round(value, 2)), 2)


@dataclass(frozen=True)
class ExitEconomics:
    """The worked example of the text: customers lost, revenue lost and profit lost per year."""

    n_customers: int
    churn_rate: float
    revenue_per_customer: float
    margin: float
    n_lost: float
    revenue_lost: float
    profit_lost: float

    def table(self, lang: str | None = None) -> Styler:
        """The figures as a display table (``item``, ``value``): translated items, exactly written values.

        >>> exit_economics(6000, 0.05, 1000, 0.10).table("en").data["Value"].tolist()
        ['6,000', '5%', '300', '1,000', '300,000', '10%', '30,000']
        """
        keys = ("n_customers", "churn_rate", "n_lost", "revenue_per_customer", "revenue_lost", "margin", "profit_lost")
        shares = {"churn_rate", "margin"}
        values = [
            f"{getattr(self, k):.{_decimals(getattr(self, k) * 100)}%}"
            if k in shares
            else f"{getattr(self, k):,.{_decimals(getattr(self, k))}f}"
            for k in keys
        ]
        labels = [t("churn.col.rate" if k == "churn_rate" else f"churn.econ.{k}", lang) for k in keys]
        items = pd.DataFrame({"item": labels, "value": values})
        return display_table(items, headings="churn.col", kinds={"item": "text", "value": "text"}, lang=lang)


def exit_economics(n_customers: int, churn_rate: float, revenue_per_customer: float, margin: float) -> ExitEconomics:
    """Profit lost = customers x churn rate x revenue per customer x margin.

    Examples
    --------
    The text's worked example: 6,000 customers, 5% lost, 1,000 revenue each, 10% margin.

    >>> e = exit_economics(6000, 0.05, 1000, 0.10)
    >>> (e.n_lost, e.revenue_lost, e.profit_lost)
    (300.0, 300000.0, 30000.0)
    """
    check_range(n_customers, "n_customers", low=0)
    check_range(revenue_per_customer, "revenue_per_customer", low=0)
    _share(churn_rate, "churn_rate")
    _share(margin, "margin")
    n_lost = n_customers * churn_rate
    revenue_lost = n_lost * revenue_per_customer
    return ExitEconomics(
        n_customers, churn_rate, revenue_per_customer, margin, n_lost, revenue_lost, revenue_lost * margin
    )


@dataclass(frozen=True)
class ExitCosts:
    """What the churned customers in the data cost.

    Attributes
    ----------
    per_customer
        The churned rows with ``revenue``, ``margin`` (filled with the defaults where missing),
        ``profit_lost`` (yearly revenue x margin), ``remaining_years`` and ``cost_of_defection``
        (profit_lost x remaining_years), most costly first.
    n_lost, revenue_lost, profit_lost, cost_of_defection
        Totals over the churned customers (revenue and profit per year).
    n_revenue_default, n_margin_default
        Churned customers whose revenue (margin) came from the default parameter.
    """

    per_customer: pd.DataFrame
    n_lost: int
    revenue_lost: float
    profit_lost: float
    cost_of_defection: float
    n_revenue_default: int
    n_margin_default: int


def _column_or_default(
    df: pd.DataFrame, column: str | None, default: float, *, share: bool
) -> tuple[pd.Series, pd.Series]:
    """Values of ``column`` (numbers; shares checked to lie in [0, 1]) with ``default`` where missing."""
    if column is None or column not in df.columns:
        return pd.Series(float(default), index=df.index), pd.Series(True, index=df.index)
    values = require_numeric(df[[column]], [column], context=t("churn.context"))[column].astype(float)
    if share:
        bad = np.flatnonzero(((values < 0) | (values > 1)).to_numpy())
        if len(bad):
            examples = row_examples(bad, values)
            raise InputError(t("churn.error.share_column", column=column, n=len(bad), examples=examples))
    return values.fillna(float(default)), values.isna()


def exit_costs(
    df: pd.DataFrame,
    *,
    revenue_col: str | None = "revenue",
    margin_col: str | None = "margin",
    revenue: float = 1000.0,
    margin: float = 0.10,
    lifetime_col: str | None = None,
    expected_lifetime_years: float = 3.0,
) -> ExitCosts:
    """Profit lost through churn, in total and per customer (the cost of defection).

    Parameters
    ----------
    df
        Churned customers, or all customers with a ``churned`` column.
    revenue_col, margin_col
        Yearly revenue and margin (a fraction in [0, 1]) per customer.
    revenue, margin
        Used when the column is absent or a cell is empty.
    lifetime_col, expected_lifetime_years
        Expected remaining years the customer would have stayed; the column wins where present.

    Returns
    -------
    ExitCosts

    Raises
    ------
    InputError
        No churned rows; revenue or margin not numeric; a margin outside [0, 1].
    ParameterError
        ``margin`` outside [0, 1], or a negative ``revenue`` or lifetime.

    Examples
    --------
    >>> costs = exit_costs(pd.DataFrame({"revenue": [1000.0, None], "margin": [0.2, None]}), revenue=500)
    >>> (costs.profit_lost, costs.n_revenue_default, costs.n_margin_default)
    (250.0, 1, 1)
    """
    _share(margin, "margin")
    check_range(revenue, "revenue", low=0)
    check_range(expected_lifetime_years, "expected_lifetime_years", low=0)
    churners = churned_rows(df)
    revenue_values, rev_default = _column_or_default(churners, revenue_col, revenue, share=False)
    margin_values, margin_default = _column_or_default(churners, margin_col, margin, share=True)
    years, _ = _column_or_default(churners, lifetime_col, expected_lifetime_years, share=False)
    per = churners.assign(revenue=revenue_values, margin=margin_values)
    per["profit_lost"] = per["revenue"] * per["margin"]
    per["remaining_years"] = years
    per["cost_of_defection"] = per["profit_lost"] * per["remaining_years"]
    per = per.sort_values("cost_of_defection", ascending=False, kind="stable")
    return ExitCosts(
        per_customer=per,
        n_lost=len(per),
        revenue_lost=float(per["revenue"].sum()),
        profit_lost=float(per["profit_lost"].sum()),
        cost_of_defection=float(per["cost_of_defection"].sum()),
        n_revenue_default=int(rev_default.sum()),
        n_margin_default=int(margin_default.sum()),
    )


class _Losses(Protocol):
    """Anything with the yearly losses: `ExitEconomics` or `ExitCosts`."""

    @property
    def n_lost(self) -> float: ...
    @property
    def revenue_lost(self) -> float: ...
    @property
    def profit_lost(self) -> float: ...


def break_even_budget(losses: _Losses, *, kept_share: float = 1.0) -> float:
    """The most a retention programme may cost: the profit it saves.

    That is the yearly profit of the share ``kept_share`` of the customers who would otherwise
    leave (in the text's example, 30,000 when all are kept).

    >>> break_even_budget(exit_economics(6000, 0.05, 1000, 0.10))
    30000.0
    """
    return losses.profit_lost * _share(kept_share, "kept_share")


def retention_what_if(
    losses: _Losses,
    *,
    kept_shares: Iterable[float] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    programme_cost: float = 0.0,
) -> pd.DataFrame:
    """What a retention programme is worth if it keeps a share of the customers who would leave.

    Returns
    -------
    DataFrame
        ``kept_share, customers_kept, revenue_saved, profit_saved`` (= the break-even budget at
        that share), ``programme_cost`` and ``net_profit`` (profit saved - programme cost).

    Examples
    --------
    >>> retention_what_if(exit_economics(6000, 0.05, 1000, 0.10), kept_shares=[0.5])["profit_saved"].tolist()
    [15000.0]
    """
    shares = [_share(s, "kept_shares") for s in kept_shares]
    out = pd.DataFrame({"kept_share": shares})
    out["customers_kept"] = out["kept_share"] * losses.n_lost
    out["revenue_saved"] = out["kept_share"] * losses.revenue_lost
    out["profit_saved"] = out["kept_share"] * losses.profit_lost
    out["programme_cost"] = float(programme_cost)
    out["net_profit"] = out["profit_saved"] - out["programme_cost"]
    return out
