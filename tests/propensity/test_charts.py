"""Tests of crmlab.propensity.charts: every chart draws, titled from the catalogue."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from crmlab import propensity as P  # noqa: E402
from crmlab.propensity import charts  # noqa: E402


def test_charts_draw_in_chinese(fitted: dict) -> None:
    parts = fitted["parts"]
    scores = P.score_all(fitted["models"], parts.test.X)
    gains = P.stack({m: P.gains_table(parts.test.y, scores[m]) for m in ("logistic", "mlp")})
    calibration = P.stack({"tree": P.calibration_table(parts.test.y, scores["tree"])})
    costs = P.cost_table(parts.test.y, scores["logistic"], action_cost=1, loss_per_positive=10)
    drawn = [
        charts.plot_gains(gains, lang="zh"),
        charts.plot_lift(P.gains_table(parts.test.y, scores["mlp"]), lang="zh"),
        charts.plot_calibration(calibration, lang="zh"),
        charts.plot_roc(P.roc_table(parts.test.y, scores), lang="zh"),
        charts.plot_pr(P.pr_table(parts.test.y, scores), lang="zh"),
        charts.plot_cost(costs, threshold=0.1, lang="zh"),
    ]
    titles = [
        "累积增益图",
        "各十分位的提升度",
        "校准：预测概率与实际比例",
        "ROC 曲线",
        "精确率-召回率曲线",
        "不同阈值下的净节约",
    ]
    for ax, title in zip(drawn, titles, strict=True):
        assert isinstance(ax, Axes) and ax.get_title() == title
    assert len(drawn[0].get_lines()) == 4  # two models, random, perfect
    assert drawn[0].get_legend().get_texts()[0].get_text() == "逻辑回归"
    assert drawn[4].get_xlabel() == "召回率"
    plt.close("all")


def test_gains_lines_differ_in_colour_and_style_and_the_legend_sits_outside(fitted: dict) -> None:
    parts = fitted["parts"]
    scores = P.score_all(fitted["models"], parts.test.X)
    gains = P.stack({m: P.gains_table(parts.test.y, scores[m]) for m in ("logistic", "mlp", "tree")})
    ax = charts.plot_gains(gains, lang="en")
    models = ax.get_lines()[:3]
    assert len({line.get_color() for line in models}) == 3
    assert len({(str(line.get_linestyle()), line.get_marker()) for line in models}) == 3
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # right of the axes: covers no curve and no title
    plt.close("all")
