"""Every error of the value analysis reads entirely in Chinese when the report's language is zh."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from crmlab.core.errors import ParameterError
from crmlab.value import clv, matrix, pareto, rfm, warning
from tests.conftest import zh_message

TABLE = pd.DataFrame({"frequency": [1, 1], "recency": [1.0, 3.0], "T": [2.0, 2.0]})
WARN = pd.DataFrame({"recency_days": [1], "median_gap_days": [1.0], "p_alive": [0.5], "revenue": [1.0]})
SUMMARY = pd.DataFrame(
    columns=["customer_id", "purchase_days", "revenue", "first_day_revenue", "recency_days", "tenure_days"]
)
VALUES = pd.DataFrame({"current_value": [1.0, 2.0], "potential_value": [1.0, 2.0]})

INPUT_ERRORS: dict[str, Callable[[], object]] = {
    "pareto_missing": lambda: pareto.pareto(pd.DataFrame({"revenue": [1.0]}), value_col="profit"),
    "pareto_empty": lambda: pareto.pareto(pd.DataFrame({"revenue": []})),
    "pareto_not_numeric": lambda: pareto.pareto(pd.DataFrame({"revenue": [1.0, None]})),
    "pareto_negative": lambda: pareto.pareto(pd.DataFrame({"revenue": [1.0, -2.0]})),
    "pareto_zero": lambda: pareto.pareto(pd.DataFrame({"revenue": [0.0, 0.0]})),
    "clv_columns": lambda: clv.frequency_table(pd.DataFrame({"customer_id": ["a"]})),
    "clv_recency": lambda: clv.fit_bgnbd(TABLE),
    "clv_table_columns": lambda: clv.fit_bgnbd(TABLE.drop(columns="T")),
    "bgnbd_too_few": lambda: clv.fit_bgnbd(TABLE.iloc[:1]),
    "gamma_gamma_columns": lambda: clv.fit_gamma_gamma(TABLE),
    "gamma_gamma_too_few": lambda: clv.fit_gamma_gamma(TABLE.assign(monetary_value=1.0)),
    "matrix_missing": lambda: matrix.value_matrix(VALUES.drop(columns="potential_value")),
    "matrix_not_numeric": lambda: matrix.value_matrix(VALUES.assign(current_value=[1.0, None])),
    "matrix_empty": lambda: matrix.value_matrix(VALUES.iloc[:0]),
    "seven_p_columns": lambda: matrix.seven_p(matrix.value_matrix(VALUES), top20_share=0.5, gini=0.3, flagged=0),
    "warning_columns": lambda: warning.churn_warning(WARN.drop(columns="p_alive")),
    "rfm_columns": lambda: rfm.rfm_scores(pd.DataFrame({"orders": [1]})),
    "rfm_empty": lambda: rfm.rfm_scores(pd.DataFrame({"recency_days": [], "orders": [], "revenue": []})),
}

PARAMETER_ERRORS: dict[str, Callable[[], object]] = {
    "top_fraction": lambda: pareto.pareto(pd.DataFrame({"revenue": [1.0]}), top_fraction=0),
    "target": lambda: pareto.pareto(pd.DataFrame({"revenue": [1.0]}), target=1.5),
    "unit_days": lambda: clv.frequency_table(SUMMARY, unit_days=-1),
    "horizon_months": lambda: clv.customer_value(TABLE, None, None, horizon_months=0),
    "annual_discount_rate": lambda: clv.customer_value(TABLE, None, None, annual_discount_rate=-0.1),
    "margin": lambda: clv.customer_value(TABLE, None, None, margin=0),
    "resource_shares": lambda: matrix.value_matrix(VALUES, resource_shares={"platinum": 1.0}),
    "current_quantile": lambda: matrix.value_matrix(VALUES, current_quantile=2),
    "gap_multiple": lambda: warning.churn_warning(WARN, gap_multiple=0),
    "p_alive_threshold": lambda: warning.churn_warning(WARN, p_alive_threshold=1),
    "bins": lambda: rfm.rfm_scores(pd.DataFrame({"recency_days": [1], "orders": [1], "revenue": [1.0]}), bins=1),
}


@pytest.mark.parametrize("name", INPUT_ERRORS)
def test_input_errors_in_chinese(name: str) -> None:
    zh_message(INPUT_ERRORS[name])


@pytest.mark.parametrize("name", PARAMETER_ERRORS)
def test_parameter_errors_in_chinese(name: str) -> None:
    message = zh_message(PARAMETER_ERRORS[name], ParameterError)
    assert name in message
