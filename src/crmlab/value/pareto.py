"""The 80/20 view of customer value: Lorenz curve, top-share, Gini coefficient.

``customer value -> Lorenz curve + headline figures``. The input is one value per customer (revenue or
profit), for example the ``revenue`` column of `crmlab.value.rfm.customer_summary`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.errors import InputError, ParameterError


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


def _check_values(values: pd.Series, name: str) -> np.ndarray:
    if len(values) == 0:
        raise InputError(f"Column '{name}' has no rows; the Pareto analysis needs at least one customer.")
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() | ~np.isfinite(numeric.to_numpy(dtype=float, na_value=np.nan))
    if bad.any():
        rows = list(values.index[bad][:5])
        raise InputError(f"Column '{name}' has missing or non-numeric values at rows {rows}; fill or drop them first.")
    array = numeric.to_numpy(dtype=float)
    if (array < 0).any():
        rows = list(values.index[array < 0][:5])
        raise InputError(
            f"Column '{name}' has negative values at rows {rows}; a Lorenz curve needs values >= 0. "
            "Drop these customers or clip them at 0 first."
        )
    if array.sum() <= 0:
        raise InputError(f"Column '{name}' sums to 0; there is no value to share out.")
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
    if value_col not in customers.columns:
        raise InputError(f"Column '{value_col}' is missing; pass value_col= the column holding each customer's value.")
    for name, fraction in (("top_fraction", top_fraction), ("target", target)):
        if not 0 < fraction <= 1:
            raise ParameterError(f"{name} must be in (0, 1], got {fraction!r}.")
    values = _check_values(customers[value_col], value_col)
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
