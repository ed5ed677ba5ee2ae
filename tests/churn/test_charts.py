"""Tests of crmlab.churn.charts: every chart draws, in Chinese too."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmlab import churn
from crmlab.churn import charts
from crmlab.core.errors import ParameterError


def test_charts_draw_with_chinese_titles(synthetic: pd.DataFrame, causes: churn.CauseDistribution) -> None:
    status = churn.churn_status(synthetic)
    costs = churn.exit_costs(causes.assigned)
    drawn = [
        charts.plot_churn_by_period(churn.churn_by_period(status), lang="zh"),
        charts.plot_segment_rates(churn.churn_rate(status, segment_col="segment"), lang="zh"),
        charts.plot_cause_pareto(causes, lang="zh"),
        charts.plot_causes_by_segment(causes, lang="zh"),
        charts.plot_retention_what_if(churn.retention_what_if(costs, programme_cost=1000), lang="zh"),
        charts.plot_winback(churn.win_back(costs.per_customer), lang="zh"),
    ]
    assert drawn[2].get_title() == "流失原因分布图"
    assert [label.get_text() for label in drawn[2].get_xticklabels()][0] == "价格"
    assert all(np.isfinite(ax.get_ylim()).all() for ax in drawn)
    plt.close("all")


def test_charts_by_segment_need_segments() -> None:
    status = churn.churn_status(pd.DataFrame({"churned": [1, 0], "reason": ["price", None]}))
    with pytest.raises(ParameterError, match="segment_col"):
        charts.plot_segment_rates(churn.churn_rate(status))
    with pytest.raises(ParameterError, match="segment_col"):
        charts.plot_causes_by_segment(churn.cause_distribution(status))
