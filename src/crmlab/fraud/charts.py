"""Charts of notebook 40 beyond the shared propensity charts: the test set's own savings peak on the cost chart."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font
from crmlab.propensity.charts import legend_below
from crmlab.propensity.costs import ThresholdChoice

__all__ = ["mark_peak"]


def mark_peak(ax: Axes, costs: pd.DataFrame, peak: ThresholdChoice, *, lang: str | None = None) -> Axes:
    """Mark the test set's best threshold on `crmlab.propensity.charts.plot_cost`'s chart, beside the chosen one.

    ``costs`` is the `crmlab.propensity.costs.cost_table` the chart was drawn from; the key goes below
    the axes, where it covers no curve.
    """
    share = peak.acted / costs["acted"].max()
    label = t("fraud.chart.peak", lang, threshold=peak.threshold)
    ax.scatter([share], [peak.savings], marker="D", color="tab:green", zorder=4, label=label)
    legend_below(ax)
    apply_cjk_font(ax)
    return ax
