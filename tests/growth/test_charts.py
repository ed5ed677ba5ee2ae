"""Every chart of notebook 70 draws, with its title in Chinese."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from crmlab import growth
from crmlab.growth import charts
from tests.growth.test_depth import planted_cross_sell
from tests.growth.test_report import results


def test_charts_draw_with_chinese_titles():
    for tx in (planted_cross_sell(),):
        p, flows, cohorts, lengths, depth, loyalty, whatif = results(tx, winback_gap=30)
        drawn = [
            charts.plot_flows(flows, lang="zh"),
            charts.plot_cohorts(cohorts, [p.label(c) for c in cohorts.retention.index], lang="zh"),
            charts.plot_retention(cohorts, lengths, lang="zh"),
            charts.plot_depth(depth, lang="zh"),
            charts.plot_marks(loyalty, lang="zh"),
            charts.plot_cylinders(growth.relationship_sample(p, flows, n=10), lang="zh"),
            charts.plot_whatif(whatif, lang="zh"),
        ]
        assert drawn[0].get_title() == "各期间的新客户、回头客、赢回与流失客户"
        assert len(drawn[5].patches) == 30  # three shapes per cylinder
        assert all(ax.get_title() for ax in drawn)
        plt.close("all")
