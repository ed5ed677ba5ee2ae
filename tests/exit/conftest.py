"""Shared fixtures of the exit tests: the synthetic panel, its scored and labelled form, a fitted model."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from crmlab.data.synthetic.exit_factors import make_exit_factors
from crmlab.exit.factors import assign_labels, factor_weights, score_customers, validate_factor_table
from crmlab.exit.model import ExitModel, fit_exit_model
from tests.exit import frames


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


@pytest.fixture
def tiny() -> Callable[..., pd.DataFrame]:
    """A factory of small random factor tables: ``tiny(n)`` has customers c0 .. c{n-1}, one period."""
    return frames.tiny
