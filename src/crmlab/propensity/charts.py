"""Charts of propensity models: gains, lift, calibration, ROC, precision-recall and cost curves.

Each function takes a table from `crmlab.propensity.evaluation` (or `crmlab.propensity.costs`) and
returns the Axes it drew on. Tables with a ``model`` column (several models stacked with
`crmlab.propensity.evaluation.stack`) draw one line or bar group per model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax, money_axis
from crmlab.propensity.report import model_label

__all__ = ["legend_below", "plot_calibration", "plot_cost", "plot_gains", "plot_lift", "plot_pr", "plot_roc"]


def _by_model(table: pd.DataFrame) -> list[tuple[str | None, pd.DataFrame]]:
    if "model" in table.columns:
        return [(str(name), part) for name, part in table.groupby("model", sort=False)]
    return [(None, table)]


def _model_label(name: str | None, lang: str | None) -> str:
    return t("propensity.col.model", lang) if name is None else model_label(name, lang)


#: Colour, line style and marker of the i-th model's line: lines stay apart in colour and in grey print.
LINE_STYLES: tuple[tuple[str, str | tuple[int, tuple[int, ...]], str], ...] = (
    ("#1f77b4", "-", "o"),
    ("#d62728", "--", "s"),
    ("#2ca02c", "-.", "^"),
    ("#9467bd", (0, (5, 1, 1, 1, 1, 1)), "D"),
    ("#ff7f0e", (0, (8, 2)), "v"),
)


def legend_below(ax: Axes) -> None:
    """The legend under the axes (below the axis label), where it covers no curve or bar."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False, fontsize="small")


def plot_gains(
    gains: pd.DataFrame, *, ax: Axes | None = None, noun: str = "positive", lang: str | None = None
) -> Axes:
    """Cumulative gains: share of positives found against share of cases taken, best scores first.

    ``gains`` is a `crmlab.propensity.evaluation.gains_table` (optionally with a ``model`` column);
    ``noun`` names the positives on the axis: ``positive`` (default), ``fraud``, ``defector`` or ``responder``.
    """
    ax = get_ax(ax)
    for i, (name, part) in enumerate(_by_model(gains)):
        x = np.r_[0.0, part["cum_customers_share"].to_numpy()]
        y = np.r_[0.0, part["cum_responders_share"].to_numpy()]
        color, style, marker = LINE_STYLES[i % len(LINE_STYLES)]
        ax.plot(x, y, color=color, linestyle=style, marker=marker, markersize=4, label=_model_label(name, lang))
    first = _by_model(gains)[0][1]
    rate = first["responders"].sum() / first["customers"].sum()
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label=t("propensity.chart.random", lang))
    if rate > 0:
        perfect = t("propensity.chart.perfect", lang)
        ax.plot([0, rate, 1], [0, 1, 1], linestyle=":", color="black", linewidth=0.8, label=perfect)
    ax.set(xlim=(0, 1), ylim=(0, 1.02))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t("propensity.chart.share_customers", lang))
    ax.set_ylabel(t("propensity.chart.share_responders", lang, noun=t(f"propensity.noun.{noun}", lang)))
    ax.set_title(t("propensity.chart.gains_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)  # outside: covers no curve
    apply_cjk_font(ax)
    return ax


def plot_lift(gains: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Lift of each decile (its positive rate over the overall rate), with the line lift = 1."""
    ax = get_ax(ax)
    groups = _by_model(gains)
    width = 0.8 / len(groups)
    for i, (name, part) in enumerate(groups):
        positions = part["decile"].to_numpy() + (i - (len(groups) - 1) / 2) * width
        ax.bar(positions, part["lift"], width=width, label=_model_label(name, lang))
    ax.axhline(1.0, linestyle="--", color="grey", label=t("propensity.chart.random", lang))
    ax.set_xticks(sorted(gains["decile"].unique()))
    ax.set_xlabel(t("propensity.chart.decile", lang))
    ax.set_ylabel(t("propensity.chart.lift", lang))
    ax.set_title(t("propensity.chart.lift_title", lang))
    legend_below(ax)
    apply_cjk_font(ax)
    return ax


def plot_calibration(calibration: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Observed positive rate against mean predicted probability per score group (`calibration_table`)."""
    ax = get_ax(ax, figsize=(5.5, 5.0))
    top = 0.0
    for name, part in _by_model(calibration):
        ax.plot(part["mean_score"], part["observed_rate"], marker="o", label=_model_label(name, lang))
        top = max(top, part["mean_score"].max(), part["observed_rate"].max())
    top = min(1.0, top * 1.05 + 0.01)
    ax.plot([0, top], [0, top], linestyle="--", color="grey", label=t("propensity.chart.ideal", lang))
    ax.set(xlim=(0, top), ylim=(0, top))
    ax.set_xlabel(t("propensity.chart.mean_score", lang))
    ax.set_ylabel(t("propensity.chart.observed", lang))
    ax.set_title(t("propensity.chart.calibration_title", lang))
    legend_below(ax)
    apply_cjk_font(ax)
    return ax


def plot_roc(roc: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """ROC curves from `crmlab.propensity.evaluation.roc_table`, the AUC in each legend entry."""
    ax = get_ax(ax, figsize=(5.5, 5.0))
    for i, (name, part) in enumerate(_by_model(roc)):
        color, style, _ = LINE_STYLES[i % len(LINE_STYLES)]
        label = f"{_model_label(name, lang)} (AUC {part['auc'].iloc[0]:.3f})"
        ax.plot(part["fpr"], part["tpr"], color=color, linestyle=style, label=label)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label=t("propensity.chart.random", lang))
    ax.set(xlim=(0, 1), ylim=(0, 1.01))
    ax.set_xlabel(t("propensity.chart.fpr", lang))
    ax.set_ylabel(t("propensity.chart.tpr", lang))
    ax.set_title(t("propensity.chart.roc_title", lang))
    legend_below(ax)
    apply_cjk_font(ax)
    return ax


def plot_pr(pr: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Precision-recall curves from `crmlab.propensity.evaluation.pr_table`, with the base rate as the chance line."""
    ax = get_ax(ax, figsize=(5.5, 5.0))
    for i, (name, part) in enumerate(_by_model(pr)):
        color, style, _ = LINE_STYLES[i % len(LINE_STYLES)]
        label = f"{_model_label(name, lang)} (AP {part['auc'].iloc[0]:.3f})"
        ax.plot(part["recall"], part["precision"], color=color, linestyle=style, label=label)
    base = float(pr["base_rate"].iloc[0])
    ax.axhline(base, linestyle="--", color="grey", label=f"{t('propensity.chart.base_rate', lang)} ({base:.1%})")
    ax.set(xlim=(0, 1), ylim=(0, 1.01))
    ax.set_xlabel(t("propensity.col.recall", lang))
    ax.set_ylabel(t("propensity.col.precision", lang))
    ax.set_title(t("propensity.chart.pr_title", lang))
    legend_below(ax)
    apply_cjk_font(ax)
    return ax


def plot_cost(
    costs: pd.DataFrame, *, threshold: float | None = None, ax: Axes | None = None, lang: str | None = None
) -> Axes:
    """Net savings against the share of cases acted on (`crmlab.propensity.costs.cost_table`).

    The left end is acting on no one (savings 0), the right end acting on everyone; ``threshold``
    marks the chosen point.
    """
    ax = get_ax(ax)
    total = costs["acted"].max()
    share = costs["acted"] / total
    ax.plot(share, costs["savings"], color="tab:blue")
    ax.axhline(0, color="grey", linewidth=0.8)
    if threshold is not None:
        at = costs.loc[costs["threshold"] >= threshold]
        point = at.iloc[-1] if len(at) else costs.iloc[0]
        ax.scatter(
            [point["acted"] / total],
            [point["savings"]],
            color="tab:red",
            zorder=3,
            label=f"{t('propensity.chart.chosen', lang)} ({threshold:.1%})",
        )
        legend_below(ax)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t("propensity.chart.acted_share", lang))
    money_axis(ax.yaxis, t("propensity.chart.savings", lang))
    ax.set_title(t("propensity.chart.cost_title", lang))
    apply_cjk_font(ax)
    return ax
