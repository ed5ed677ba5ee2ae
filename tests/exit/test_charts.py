"""The charts of the exit classification draw, with titles and labels in the report's language."""

from __future__ import annotations

import matplotlib
import pandas as pd

from crmlab.exit import charts
from crmlab.exit.factors import factor_weights
from crmlab.exit.model import ExitModel

matplotlib.use("Agg")


def test_charts_draw(scored: pd.DataFrame, model: ExitModel) -> None:
    axes = [
        charts.plot_weights(factor_weights(), lang="zh"),
        charts.plot_score_by_class(scored, lang="en"),
        charts.plot_confusion(model, lang="zh"),
        charts.plot_importance(model, lang="en"),
        charts.plot_network(model, lang="zh"),
    ]
    assert all(ax.get_title() for ax in axes)
    assert axes[0].get_title() == "九个因素的 AHP 总权重"
    assert axes[4].get_title() == "网络结构：9 → 16 → 3"
    assert "单位产品利润" in [text.get_text() for text in axes[4].texts]
    # the confusion matrix writes each count in its cell
    cells = sorted(int(text.get_text()) for text in axes[2].texts)
    assert cells == sorted(model.confusion.to_numpy().ravel().tolist())
    matplotlib.pyplot.close("all")
