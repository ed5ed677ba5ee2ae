"""Seeded synthetic fraud data, telecom subscriptions and motor-insurance claims, with planted truth.

Both are ``labelled`` tables whose target column ``fraud`` is 1 for a known fraud and 0 otherwise.

**Telecom subscription fraud** (`make_telecom`, data set ``synthetic_fraud_telecom``): one row per
subscriber with ``customer_id``, ``age``, ``gender``, ``residence`` (``local`` / ``non-local``),
``housing`` (``rent`` / ``own``), ``arrears`` (amount overdue), ``plan``, ``channel`` (with a rare
``partner`` category) and twelve monthly bills ``bill_m01`` ... ``bill_m12`` (oldest first). Each
subscriber has a latent bill trend (currency units per month, normal with sd 2) that the bills follow
with noise. The log-odds of fraud are (`TELECOM_LOG_ODDS`)::

    -4.6 + 1.2 [age < 25] + 1.0 [non-local] + 0.8 [rent] + 0.012 arrears + 0.55 trend

(gender, plan and channel have no effect), which gives a fraud rate of about 5 %. About 2 % of ages
and 3 % of housing values are missing.

**Insurance-claim fraud** (`make_insurance`, data set ``synthetic_fraud_insurance``): one row per
claim with ``claim_id``, ``claim_date`` (two years, so a time-based split applies), ``insurance_type``,
``vehicle_type``, ``policy_age_days`` (days the policy had been in force at the claim),
``policyholder_age``, ``address_changed`` (mailing address changed in the 90 days before the claim),
``claim_amount``, ``police_report``, ``witness`` and ``region`` (with rare regions). Planted:

- the text's finding (`planted_segment`): **motorcycle owners under 25 whose policy has been in force
  for at most 14 days** commit fraud with probability 0.65 (`SEGMENT_FRAUD_RATE`);
- elsewhere the log-odds are ``-4.0 + 1.6 [address changed] + 0.5 [no police report] + 0.6 z``, with
  ``z`` the standardised log claim amount (log amount is normal with mean 7.5 and sd 0.8), about 3-4 %;
- overall about 5 % of claims are fraud, and the segment is about 2.5 % of claims. Policies younger
  than 15 days are common for every vehicle type, and young motorcyclists with older policies are
  not riskier than others, so only the three conditions together single out the segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "SEGMENT_FRAUD_RATE",
    "TELECOM_LOG_ODDS",
    "make_insurance",
    "make_telecom",
    "planted_segment",
]

TELECOM_LOG_ODDS = {
    "intercept": -4.6,
    "age_under_25": 1.2,
    "non_local": 1.0,
    "rents": 0.8,
    "arrears_per_unit": 0.012,
    "bill_trend_per_unit": 0.55,
}
SEGMENT_FRAUD_RATE = 0.65
SEGMENT_MAX_AGE = 24
SEGMENT_MAX_POLICY_DAYS = 14


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def make_telecom(n: int = 4000, *, seed: int = 0) -> pd.DataFrame:
    """Telecom subscribers with planted subscription-fraud drivers (see the module docstring)."""
    rng = np.random.default_rng(seed)
    age = np.clip(rng.normal(40, 13, n).round(), 18, 80)
    non_local = rng.random(n) < 0.2
    rents = rng.random(n) < np.where(age < 30, 0.6, 0.35)
    arrears = np.where(rng.random(n) < 0.3, rng.gamma(1.5, 40, n), 0.0).round(2)
    trend = rng.normal(0, 2, n)
    level = rng.gamma(6, 10, n)
    months = np.arange(12) - 5.5
    bills = np.clip(level[:, None] + trend[:, None] * months + rng.normal(0, 5, (n, 12)), 0, None).round(2)
    c = TELECOM_LOG_ODDS
    log_odds = (
        c["intercept"]
        + c["age_under_25"] * (age < 25)
        + c["non_local"] * non_local
        + c["rents"] * rents
        + c["arrears_per_unit"] * arrears
        + c["bill_trend_per_unit"] * trend
    )
    fraud = (rng.random(n) < _sigmoid(log_odds)).astype(int)
    frame = pd.DataFrame(
        {
            "customer_id": [f"T{i:06d}" for i in range(1, n + 1)],
            "age": age,
            "gender": rng.choice(["F", "M"], n),
            "residence": np.where(non_local, "non-local", "local"),
            "housing": np.where(rents, "rent", "own").astype(object),
            "arrears": arrears,
            "plan": rng.choice(["basic", "standard", "premium"], n, p=[0.5, 0.35, 0.15]),
            "channel": rng.choice(["shop", "online", "phone", "partner"], n, p=[0.45, 0.4, 0.148, 0.002]),
        }
    )
    frame.loc[rng.random(n) < 0.02, "age"] = np.nan
    frame.loc[rng.random(n) < 0.03, "housing"] = None
    bill_frame = pd.DataFrame(bills, columns=[f"bill_m{m:02d}" for m in range(1, 13)])
    return pd.concat([frame, bill_frame], axis=1).assign(fraud=fraud)


def planted_segment(df: pd.DataFrame) -> pd.Series:
    """True for the planted high-fraud claims: motorcycle, policyholder under 25, policy ≤ 14 days old."""
    return (
        (df["vehicle_type"] == "motorcycle")
        & (df["policyholder_age"] <= SEGMENT_MAX_AGE)
        & (df["policy_age_days"] <= SEGMENT_MAX_POLICY_DAYS)
    )


def make_insurance(n: int = 6000, *, seed: int = 0) -> pd.DataFrame:
    """Motor-insurance claims with the planted young-motorcyclist, new-policy segment (module docstring)."""
    rng = np.random.default_rng(seed)
    vehicle = rng.choice(["car", "motorcycle", "van", "truck"], n, p=[0.6, 0.2, 0.15, 0.05])
    moto = vehicle == "motorcycle"
    young = rng.random(n) < np.where(moto, 0.35, 0.2)
    age = np.where(young, rng.integers(18, 25, n), rng.integers(25, 81, n))
    new_policy = rng.random(n) < np.where(moto & young, 0.35, 0.15)
    policy_age = np.where(new_policy, rng.integers(1, 15, n), 15 + np.floor(rng.gamma(1.0, 400, n))).astype(int)
    address_changed = rng.random(n) < 0.08
    police_report = rng.random(n) < 0.7
    log_amount = rng.normal(7.5, 0.8, n)
    log_odds = -4.0 + 1.6 * address_changed + 0.5 * ~police_report + 0.6 * (log_amount - 7.5) / 0.8
    frame = pd.DataFrame(
        {
            "claim_id": [f"CL{i:06d}" for i in range(1, n + 1)],
            "claim_date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D"),
            "insurance_type": rng.choice(
                ["comprehensive", "third_party", "third_party_fire_theft"], n, p=[0.5, 0.3, 0.2]
            ),
            "vehicle_type": vehicle,
            "policy_age_days": policy_age,
            "policyholder_age": age,
            "address_changed": np.where(address_changed, "yes", "no"),
            "claim_amount": np.exp(log_amount).round(2),
            "police_report": np.where(police_report, "yes", "no"),
            "witness": rng.choice(["yes", "no"], n, p=[0.4, 0.6]),
            "region": rng.choice(["north", "south", "east", "west", "islands"], n, p=[0.3, 0.3, 0.2, 0.197, 0.003]),
        }
    )
    probability = np.where(planted_segment(frame), SEGMENT_FRAUD_RATE, _sigmoid(log_odds))
    frame["fraud"] = (rng.random(n) < probability).astype(int)
    return frame.sort_values("claim_date", kind="stable", ignore_index=True)
