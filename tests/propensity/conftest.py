"""Planted data shared by the propensity tests: positives are likely exactly when age < 30 and kind == "a"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import propensity as P


def planted(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Positives are likely exactly when age < 30 and kind == "a" (rate 0.6 vs 0.03 elsewhere)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "cid": [f"C{i:05d}" for i in range(n)],
            "row_no": np.arange(1, n + 1),
            "age": rng.integers(18, 80, n),
            "kind": rng.choice(["a", "b", "c", "rare"], n, p=[0.3, 0.4, 0.295, 0.005]),
            "income": rng.normal(50, 10, n),
            "constant": 1,
            "empty": np.nan,
            "signup_date": pd.date_range("2021-01-01", periods=n, freq="6h").strftime("%Y-%m-%d %H:%M"),
        }
    )
    df.loc[rng.random(n) < 0.1, "income"] = np.nan
    segment = (df["age"] < 30) & (df["kind"] == "a")
    df["bought"] = np.where(rng.random(n) < np.where(segment, 0.6, 0.03), "yes", "no")
    return df


@pytest.fixture(scope="session")
def data() -> pd.DataFrame:
    return planted()


@pytest.fixture(scope="session")
def prepared(data: pd.DataFrame) -> P.Prepared:
    return P.prepare(data, target="bought")


@pytest.fixture(scope="session")
def fitted(prepared: P.Prepared) -> dict:
    parts = P.split(prepared, seed=0, by_time=False)
    return {"parts": parts, "models": P.fit_models(parts.train, P.build_models(parts.train, seed=0))}
