"""Synthetic nine-factor customer table for exit classification (notebook 10).

`make_exit_factors` draws customers observed over several periods, with the nine AHP factors of
`crmlab.exit.factors.FACTORS` and a historical good / medium / bad judgement. Planted truth:

- Each customer has a latent quality ``q ~ N(0, 1)``. Every factor loads on ``q`` (loading 0.6)
  plus its own customer-level noise and period-level noise, so the factors are correlated but each
  carries its own information. Total service cost loads negatively (better customers cost less).
- Scales: ``unit_profit`` (money per unit, lognormal around 30), ``purchase_volume`` (units per
  period, lognormal around 100), ``service_cost`` (money per period, lognormal around 800); the rates
  ``price_premium`` (0-0.3), ``repeat_rate``, ``value_added_rate`` (0-1), ``income_growth``
  (about -0.2 to 0.4); the scores ``word_of_mouth`` and ``innovation`` (0-10).
- The historical judgement ``label`` of each customer-period is a known, *nonlinear* rule:
  ``s = 0.6 * z(profit) + 0.4 * z(potential) + N(0, 0.25)`` where ``profit = unit_profit *
  purchase_volume - service_cost`` and ``potential`` is the mean of the six standardised potential
  factors; the lowest 20% of ``s`` are "bad", the highest 30% "good", the rest "medium".
- Patterns over time (column ``planted_pattern``): "stable"; "dip" (``dip_share`` of customers) -
  quality falls by 2.5 in one random period only, so a point-in-time view calls them bad once;
  "declining" (``decline_share``) - quality falls steadily to 2.5 below its start by the last period.
  A k-of-n rule should flag the declining customers and spare most of the dips.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NAME = "synthetic_exit_factors"
_LOADING = 0.6
_DROP = 2.5


def _scaled(z: np.ndarray, kind: str) -> np.ndarray:
    """Map a standard-normal signal to a factor's natural scale."""
    scales = {
        "unit_profit": lambda x: 30 * np.exp(0.35 * x),
        "purchase_volume": lambda x: np.round(100 * np.exp(0.45 * x)),
        "service_cost": lambda x: 800 * np.exp(0.3 * x),
        "price_premium": lambda x: np.clip(0.1 + 0.05 * x, 0, 0.3),
        "repeat_rate": lambda x: 1 / (1 + np.exp(-x)),
        "income_growth": lambda x: 0.08 + 0.1 * x,
        "value_added_rate": lambda x: 1 / (1 + np.exp(-(x - 0.5))),
        "word_of_mouth": lambda x: np.clip(5 + 1.8 * x, 0, 10),
        "innovation": lambda x: np.clip(4 + 2 * x, 0, 10),
    }
    return scales[kind](z)


def _zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def make_exit_factors(
    n_customers: int = 600,
    n_periods: int = 4,
    *,
    dip_share: float = 0.12,
    decline_share: float = 0.06,
    seed: int = 0,
) -> pd.DataFrame:
    """Customers x periods with the nine exit factors and a historical judgement.

    Parameters
    ----------
    n_customers : int
        Number of customers.
    n_periods : int
        Periods per customer (1, 2, ...).
    dip_share, decline_share : float
        Shares of customers with a one-period dip and with a steady decline (see module docstring).
    seed : int
        Random seed; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``period``, the nine factors, ``label`` (good / medium / bad) and
        ``planted_pattern`` (stable / dip / declining); one row per customer and period.
    """
    from crmlab.exit.factors import COST_FACTORS, FACTORS

    rng = np.random.default_rng(seed)
    quality = rng.normal(size=n_customers)
    pattern = rng.choice(
        ["stable", "dip", "declining"],
        size=n_customers,
        p=[1 - dip_share - decline_share, dip_share, decline_share],
    )
    dip_period = rng.integers(0, n_periods, size=n_customers)
    own = rng.normal(size=(n_customers, len(FACTORS)))
    rows = []
    for p in range(n_periods):
        shift = np.where((pattern == "dip") & (dip_period == p), -_DROP, 0.0)
        shift += np.where(pattern == "declining", -_DROP * p / max(n_periods - 1, 1), 0.0)
        q = quality + shift
        noise = rng.normal(scale=0.35, size=(n_customers, len(FACTORS)))
        frame = {"customer_id": [f"C{i + 1:04d}" for i in range(n_customers)], "period": p + 1}
        for j, factor in enumerate(FACTORS):
            sign = -1.0 if factor in COST_FACTORS else 1.0
            z = sign * _LOADING * q + np.sqrt(1 - _LOADING**2) * own[:, j] + noise[:, j]
            frame[factor] = _scaled(z, factor)
        rows.append(pd.DataFrame(frame))
    table = pd.concat(rows, ignore_index=True)
    profit = table["unit_profit"] * table["purchase_volume"] - table["service_cost"]
    potential = np.mean([_zscore(table[f].to_numpy()) for f in FACTORS[3:]], axis=0)
    s = 0.6 * _zscore(profit.to_numpy()) + 0.4 * _zscore(potential) + rng.normal(scale=0.25, size=len(table))
    low, high = np.quantile(s, [0.2, 0.7])
    table["label"] = np.select([s < low, s > high], ["bad", "good"], "medium")
    table["planted_pattern"] = np.tile(pattern, n_periods)
    return table.sort_values(["customer_id", "period"], ignore_index=True)
