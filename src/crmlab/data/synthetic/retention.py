"""Synthetic data for retention (defection propensity) and target marketing (response).

Two seeded generators, each with a planted truth that tests check a model recovers:

- `make_defection` — one row per customer with the warning signs the modelling article names
  (complaints, a falling balance, a change of address, few products held) and whether the customer
  defected.
- `make_response` — one row per customer of a mailing list with a rare response (about 2 %) driven
  by recency and past purchases.

The catalogue names them ``retention_defection`` and
``retention_response`` (kind ``labelled``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Planted log-odds effects of `make_defection` (per unit of each feature).
DEFECTION_EFFECTS: dict[str, float] = {
    "intercept": 1.0,
    "complaints": 0.8,
    "products_held": -1.3,
    "moved_address": 1.5,
    "balance_change": -2.0,
    "tenure_years": -0.15,
}

#: Planted log-odds effects of `make_response` (per unit of each feature).
RESPONSE_EFFECTS: dict[str, float] = {
    "intercept": -3.0,
    "months_since_last": -0.12,
    "purchases": 0.25,
}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def make_defection(n: int = 3000, *, seed: int = 0) -> pd.DataFrame:
    """Customers with warning signs and a defection flag.

    Planted truth (log-odds, see `DEFECTION_EFFECTS`): each complaint raises the odds of defecting
    (+0.8), each product held lowers them (-1.3), a change of address raises them (+1.5), a falling
    balance raises them (``balance_change`` is the relative change, -2.0 per unit), and tenure lowers
    them slightly (-0.15 per year). ``segment`` and ``annual_margin`` have no effect on defection.
    About a fifth of customers defect; more than half of the defectors hold one product.

    Parameters
    ----------
    n
        Number of customers.
    seed
        Seed of the random generator; the same seed gives the same data.

    Returns
    -------
    DataFrame
        customer_id, tenure_years, products_held (1-5), complaints, moved_address (0/1),
        balance_change, segment ("retail"/"business"), annual_margin, defected ("yes"/"no").
    """
    rng = np.random.default_rng(seed)
    tenure = rng.gamma(2.0, 2.5, n).round(1)
    products = 1 + rng.binomial(4, 0.25, n)
    complaints = rng.poisson(0.6, n)
    moved = (rng.random(n) < 0.08).astype(int)
    balance = rng.normal(0.0, 0.25, n).round(3)
    segment = rng.choice(["retail", "business"], n, p=[0.8, 0.2])
    margin = rng.lognormal(5.0, 0.8, n).round(2)
    e = DEFECTION_EFFECTS
    logit = (
        e["intercept"]
        + e["complaints"] * complaints
        + e["products_held"] * products
        + e["moved_address"] * moved
        + e["balance_change"] * balance
        + e["tenure_years"] * tenure
    )
    defected = rng.random(n) < _sigmoid(logit)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
            "tenure_years": tenure,
            "products_held": products,
            "complaints": complaints,
            "moved_address": moved,
            "balance_change": balance,
            "segment": segment,
            "annual_margin": margin,
            "defected": np.where(defected, "yes", "no"),
        }
    )


def make_response(n: int = 20000, *, seed: int = 0) -> pd.DataFrame:
    """A mailing list with a rare response driven by recency and past purchases.

    Planted truth (log-odds, see `RESPONSE_EFFECTS`): each month since the last purchase lowers the
    odds of responding (-0.12) and each past purchase raises them (+0.25); ``region`` and ``age``
    have no effect. The overall response rate is about 2 %.

    Parameters
    ----------
    n
        Number of customers.
    seed
        Seed of the random generator; the same seed gives the same data.

    Returns
    -------
    DataFrame
        customer_id, months_since_last, purchases, age, region, responded (0/1).
    """
    rng = np.random.default_rng(seed)
    months = rng.integers(1, 37, n)
    purchases = rng.poisson(3.0, n)
    age = rng.integers(18, 80, n)
    region = rng.choice(["north", "south", "east", "west"], n)
    e = RESPONSE_EFFECTS
    logit = e["intercept"] + e["months_since_last"] * months + e["purchases"] * purchases
    responded = (rng.random(n) < _sigmoid(logit)).astype(int)
    return pd.DataFrame(
        {
            "customer_id": [f"M{i:06d}" for i in range(1, n + 1)],
            "months_since_last": months,
            "purchases": purchases,
            "age": age,
            "region": region,
            "responded": responded,
        }
    )
