"""Every churn message exists in both languages, and every error a user can cause reads in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from crmlab import churn
from crmlab.churn import charts
from crmlab.core.errors import CrmlabError
from crmlab.core.i18n import catalogue
from tests.conftest import english_runs


def _lost() -> pd.DataFrame:
    return pd.DataFrame({"reason": ["too expensive"], "cause": ["price"], "revenue": [100.0], "margin": [0.1]})


_ECONOMICS = churn.exit_economics(6000, 0.05, 1000, 0.10)
_NO_SEGMENTS = churn.churn_status(pd.DataFrame({"churned": [1, 0], "reason": ["price", None]}))

#: One call per error path of the family (name -> call that raises).
ERROR_PATHS: dict[str, Callable[[], object]] = {
    "no rows": lambda: churn.churn_status(pd.DataFrame({"churned": []})),
    "no flag or date column": lambda: churn.churn_status(pd.DataFrame({"churn": [1]})),
    "bad flag": lambda: churn.churn_status(pd.DataFrame({"status": [1, "maybe"]}), churn_col="status"),
    "bad date": lambda: churn.churn_status(pd.DataFrame({"left": ["soon"]}), churn_col=None, churn_date_col="left"),
    "unknown definition": lambda: churn.mark_churn(pd.DataFrame({"churned": [1]}), definition="flags"),
    "unknown default data set": lambda: churn.default_dataset("flags"),
    "inactive_days": lambda: churn.churn_status_from_transactions(pd.DataFrame(), inactive_days=0),
    "transaction columns": lambda: churn.churn_status_from_transactions(pd.DataFrame({"customer_id": ["a"]})),
    "no customer ids": lambda: churn.churn_status_from_transactions(
        pd.DataFrame({"customer_id": [None], "timestamp": ["2024-01-01"], "amount": [1.0]})
    ),
    "no churners": lambda: churn.cause_distribution(pd.DataFrame({"churned": [0], "reason": ["x"]})),
    "total_customers": lambda: churn.churn_rate(pd.DataFrame({"churned": [True, True]}), total_customers=1),
    "no churn dates": lambda: churn.churn_by_period(pd.DataFrame({"churned": [True], "churn_date": [pd.NaT]})),
    "bad period": lambda: churn.churn_by_period(
        pd.DataFrame({"churned": [True], "churn_date": [pd.Timestamp("2024-01-01")]}), freq="W-XYZ"
    ),
    "missing reason column": lambda: churn.cause_distribution(pd.DataFrame({"churned": [1], "why": ["x"]})),
    "unknown exit type": lambda: churn.map_causes(pd.Series(["x"]), mapping={"x": "pricee"}),
    "margin parameter": lambda: churn.exit_economics(6000, 0.05, 1000, 10),
    "negative revenue": lambda: churn.exit_costs(pd.DataFrame({"churned": [1]}), revenue=-1),
    "margin column": lambda: churn.exit_costs(pd.DataFrame({"churned": [1, 1], "margin": [0.1, 15]})),
    "revenue not numeric": lambda: churn.exit_costs(pd.DataFrame({"churned": [1], "revenue": ["a lot"]})),
    "kept_share": lambda: churn.break_even_budget(_ECONOMICS, kept_share=2),
    "kept_shares": lambda: churn.retention_what_if(_ECONOMICS, kept_shares=[-0.5]),
    "no win-back rule": lambda: churn.classify_winback(_lost().assign(cause=["mystery"])),
    "unknown win-back type": lambda: churn.classify_winback(_lost(), keywords={"x": "nobody"}),
    "win-back table field": lambda: churn.winback_table({"price_seeker": {"succes_rate": 0.5}}),
    "success rate": lambda: churn.winback_table({"price_seeker": {"success_rate": 5}}),
    "second_life_years": lambda: churn.win_back(_lost(), second_life_years=-1),
    "win-back columns": lambda: churn.win_back(_lost().drop(columns="revenue")),
    "segment rates chart": lambda: charts.plot_segment_rates(churn.churn_rate(_NO_SEGMENTS)),
    "causes by segment chart": lambda: charts.plot_causes_by_segment(churn.cause_distribution(_NO_SEGMENTS)),
}


def test_every_churn_message_has_both_languages() -> None:
    keys = [k for k in catalogue() if k.startswith("churn.")]
    assert len(keys) > 50
    for key in keys:
        assert catalogue()[key]["en"] and catalogue()[key]["zh"], key


@pytest.mark.parametrize("path", list(ERROR_PATHS))
def test_error_reads_in_chinese(zh: None, path: str) -> None:
    with pytest.raises(CrmlabError) as err:
        ERROR_PATHS[path]()
    message = str(err.value)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert english_runs(message) == [], message

