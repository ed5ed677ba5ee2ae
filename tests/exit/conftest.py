"""Shared fixtures of the exit tests: the synthetic panel, its scored and labelled form, a fitted model."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from crmlab.data.synthetic.exit_factors import make_exit_factors
from crmlab.exit.factors import FACTORS, assign_labels, factor_weights, score_customers, validate_factor_table
from crmlab.exit.model import ExitModel, fit_exit_model


@pytest.fixture(scope="session")
def table() -> pd.DataFrame:
    return make_exit_factors(seed=0)


@pytest.fixture(scope="session")
def scored(table: pd.DataFrame) -> pd.DataFrame:
    checked = validate_factor_table(table, label_col="label")
    return assign_labels(score_customers(checked, factor_weights().global_weights))


@pytest.fixture(scope="session")
def model(scored: pd.DataFrame) -> ExitModel:
    return fit_exit_model(scored, hidden_layers=[16], seed=0, n_repeats=2)


def _tiny(n: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(n, len(FACTORS))), columns=list(FACTORS))
    frame.insert(0, "customer_id", [f"c{i}" for i in range(n)])
    return frame


@pytest.fixture
def tiny() -> Callable[..., pd.DataFrame]:
    """A factory of small random factor tables: ``tiny(n)`` has customers c0 .. c{n-1}, one period."""
    return _tiny
