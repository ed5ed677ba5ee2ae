"""The 80/20 view of customer value: Lorenz curve, top-share, Gini coefficient.

``customer value -> Lorenz curve + headline figures``. The input is one value per customer (revenue or
profit), for example the ``revenue`` column of `crmlab.data.summary.customer_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.checks import check_range, row_numbers
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_finite, require_nonempty


@dataclass(frozen=True)
class ParetoResult:
    """The Lorenz curve of customer value and its headline figures.

    Attributes
    ----------
    curve : DataFrame
        ``customer_share`` and ``value_share``: cumulative shares with customers sorted from the most
        to the least valuable, starting at (0, 0) and ending at (1, 1).
    top_share : float
        Share of the total value that the top ``top_fraction`` of customers bring.
    top_fraction : float
        The fraction of customers used for ``top_share`` (0.2 for the 80/20 rule).
    gini : float
        Gini coefficient of the values (0 = everyone equal, close to 1 = one customer has it all).
    min_share_for_target : float
        The smallest share of customers (whole customers, most valuable first) whose value reaches
        ``target`` of the total.
    target : float
        The value share used for ``min_share_for_target`` (0.8 for the 80/20 rule).
    n_customers : int
        Number of customers.
    total : float
        Total value.
    """

    curve: pd.DataFrame
    top_share: float
    top_fraction: float
    gini: float
    min_share_for_target: float
    target: float
    n_customers: int
    total: float


def _check_values(customers: pd.DataFrame, name: str) -> np.ndarray:
    """The values of column ``name`` as floats: present, numeric, >= 0 and not all zero."""
    require_nonempty(customers, context="pareto")
    array = require_finite(customers, [name], context="pareto")[name].to_numpy()
    negative = np.flatnonzero(array < 0)
    if len(negative):
        raise InputError(t("value.negative", column=name, n=len(negative), rows=row_numbers(negative)))
    if array.sum() <= 0:
        raise InputError(t("value.zero_total", column=name))
    return array


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values.

    >>> round(gini(np.array([1.0, 1.0, 1.0, 1.0])), 6)
    0.0
    >>> round(gini(np.array([0.0, 0.0, 0.0, 4.0])), 6)
    0.75
    """
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    ranks = np.arange(1, n + 1)
    return float(2.0 * np.sum(ranks * ordered) / (n * ordered.sum()) - (n + 1) / n)


def pareto(
    customers: pd.DataFrame,
    *,
    value_col: str = "revenue",
    top_fraction: float = 0.2,
    target: float = 0.8,
) -> ParetoResult:
    """Lorenz curve, top-``top_fraction`` share, Gini and smallest customer share reaching ``target``.

    Parameters
    ----------
    customers : DataFrame
        One row per customer.
    value_col : str
        The value to share out (``revenue`` or ``profit``); values must be >= 0.
    top_fraction : float
        Fraction of customers for the top share (read off the Lorenz curve, linear between customers).
    target : float
        Value share for the smallest customer share (counted in whole customers).

    Returns
    -------
    ParetoResult

    Examples
    --------
    >>> df = pd.DataFrame({"revenue": [50.0, 20.0, 10.0, 10.0, 5.0, 5.0, 0.0, 0.0, 0.0, 0.0]})
    >>> r = pareto(df)
    >>> r.top_share, r.min_share_for_target
    (0.7, 0.3)
    """
    check_range(top_fraction, "top_fraction", low=0, high=1, low_open=True)
    check_range(target, "target", low=0, high=1, low_open=True)
    values = _check_values(customers, value_col)
    ordered = np.sort(values)[::-1]
    total = float(ordered.sum())
    n = len(ordered)
    customer_share = np.arange(0, n + 1) / n
    value_share = np.concatenate([[0.0], np.cumsum(ordered) / total])
    value_share[-1] = 1.0
    first_reaching = int(np.argmax(value_share >= target - 1e-12))
    return ParetoResult(
        curve=pd.DataFrame({"customer_share": customer_share, "value_share": value_share}),
        top_share=float(np.interp(top_fraction, customer_share, value_share)),
        top_fraction=top_fraction,
        gini=gini(values),
        min_share_for_target=float(customer_share[first_reaching]),
        target=target,
        n_customers=n,
        total=total,
    )
