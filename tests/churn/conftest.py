"""Fixtures of the churn tests: the synthetic churn file and its cause distribution."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab.data.synthetic.churn import make_churn


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return make_churn(seed=7)


@pytest.fixture(scope="module")
def causes(synthetic: pd.DataFrame) -> churn.CauseDistribution:
    return churn.cause_distribution(churn.churn_status(synthetic), segment_col="segment")
