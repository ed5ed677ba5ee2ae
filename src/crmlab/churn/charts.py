"""Charts of churn analysis (notebook 50).

Rates by period and segment, the churn-cause distribution (流失原因分布图) as a Pareto chart and by
segment, the retention what-if, and win-back value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from crmlab.churn.causes import NOT_CAUSES, CauseDistribution
from crmlab.churn.rates import ChurnRate
from crmlab.churn.tables import segment_name
from crmlab.churn.winback import WinBack
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax, money_axis, wrap_label

_COLOR = "#3a6ea5"
_ACCENT = "#c0504d"
_GREY = "#9e9e9e"
_CAUSE_COLORS = {
    "price": "#3a6ea5",
    "product": "#e39b3b",
    "service": "#c0504d",
    "technology": "#4f9a6b",
    "political": "#8064a2",
    "other": "#7f7f7f",
    "unknown": "#b0b0b0",
    "unmapped": "#d9d9d9",
}


def _cause_labels(causes: pd.Series | list[str], lang: str | None) -> list[str]:
    return [t(f"churn.cause.{c}", lang) for c in causes]


def plot_churn_by_period(periods: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Bars: churn rate per period (output of `crmlab.churn.rates.churn_by_period`)."""
    ax = get_ax(ax, figsize=(7.0, 3.4))
    ax.bar(periods["period"], periods["rate"], color=_COLOR)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.set_title(t("churn.chart.period_title", lang))
    ax.set_xlabel(t("churn.chart.period", lang))
    ax.set_ylabel(t("churn.col.rate", lang))
    if len(periods) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    apply_cjk_font(ax)
    return ax


def plot_segment_rates(result: ChurnRate, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Horizontal bars: churn rate per segment, with the overall rate as a dashed line."""
    if result.by_segment is None:
        raise ParameterError(t("churn.error.no_segments", function="churn_rate"))
    table = result.by_segment.sort_values("rate")
    ax = get_ax(ax, figsize=(6.5, 0.4 * len(table) + 1.4))
    ax.barh([segment_name(v, lang) for v in table["segment"]], table["rate"], color=_COLOR)
    ax.axvline(result.rate, color=_ACCENT, linestyle="--", linewidth=1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(t("churn.chart.segment_rate_title", lang))
    ax.set_xlabel(t("churn.col.rate", lang))
    ax.set_ylabel(t("churn.chart.segment", lang))
    apply_cjk_font(ax)
    return ax


def plot_cause_pareto(result: CauseDistribution, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """The churn-cause distribution (流失原因分布图) as a Pareto chart on one percentage scale.

    Bars: share of exits by exit type, most frequent first, labelled above with share and count; grey
    bars for unknown and unmapped reasons (shown, never a cause). Line: the cumulative share, on the
    same axis, with the 80% mark.
    """
    dist = result.distribution
    ax = get_ax(ax, figsize=(7.5, 4.4))
    x = np.arange(len(dist))
    not_cause = dist["cause"].isin(NOT_CAUSES).to_numpy()
    ax.bar(x, dist["share"], width=0.6, color=np.where(not_cause, _GREY, _COLOR))
    for xi, share, count in zip(x, dist["share"], dist["count"], strict=True):
        ax.annotate(
            f"{share:.0%} ({count:,})",
            (xi, share),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    # the cumulative share between the bars, so its points never sit on a bar's label
    ax.plot(
        x + 0.5,
        dist["cumulative_share"],
        color=_ACCENT,
        marker="o",
        markersize=4,
        linewidth=1.5,
        label=t("churn.col.cumulative_share", lang),
    )
    ax.axhline(0.8, color=_ACCENT, linestyle=":", linewidth=1)
    ax.set_xticks(x, [wrap_label(label, 10) for label in _cause_labels(dist["cause"], lang)])
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(t("churn.chart.pareto_title", lang))
    ax.set_ylabel(t("churn.chart.share", lang))
    handles: list[Artist] = []
    if not not_cause.all():
        handles.append(Patch(color=_COLOR, label=t("churn.chart.share", lang)))
    if not_cause.any():
        handles.append(Patch(color=_GREY, label=t("churn.chart.not_cause_bar", lang)))
    handles.append(Line2D([], [], color=_ACCENT, marker="o", markersize=4, label=t("churn.col.cumulative_share", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    apply_cjk_font(ax)
    return ax


def plot_causes_by_segment(result: CauseDistribution, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Stacked horizontal bars: the share of each exit type within each segment."""
    if result.by_segment is None:
        raise ParameterError(t("churn.error.no_segments", function="cause_distribution"))
    shares = result.by_segment.drop(columns="customers")
    ax = get_ax(ax, figsize=(7.0, 0.45 * len(shares) + 1.8))
    left = np.zeros(len(shares))
    for cause in shares.columns:
        values = shares[cause].to_numpy()
        ax.barh(
            [segment_name(v, lang) for v in shares.index],
            values,
            left=left,
            color=_CAUSE_COLORS.get(cause, _GREY),
            label=t(f"churn.cause.{cause}", lang),
        )
        left += values
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    ax.set_title(t("churn.chart.segment_title", lang))
    ax.set_xlabel(t("churn.chart.share", lang))
    ax.set_ylabel(t("churn.chart.segment", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    apply_cjk_font(ax)
    return ax


def plot_retention_what_if(
    table: pd.DataFrame, *, likely_kept_share: float | None = None, ax: Axes | None = None, lang: str | None = None
) -> Axes:
    """Bars: yearly profit saved per share of leaving customers kept (`crmlab.churn.economics.retention_what_if`).

    A dotted line marks ``likely_kept_share``, the share a programme is likely to keep; a dashed line
    the programme cost when one is given: bars above it pay off.
    """
    ax = get_ax(ax, figsize=(7.0, 3.6))
    ax.bar(table["kept_share"], table["profit_saved"], width=0.07, color=_COLOR)
    if likely_kept_share is not None:
        ax.axvline(
            likely_kept_share, color=_GREY, linestyle=":", linewidth=1.5, label=t("churn.chart.likely_share", lang)
        )
    cost = float(table["programme_cost"].iloc[0]) if len(table) else 0.0
    if cost > 0:
        ax.axhline(cost, color=_ACCENT, linestyle="--", linewidth=1, label=t("churn.col.programme_cost", lang))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(t("churn.chart.whatif_title", lang))
    ax.set_xlabel(t("churn.chart.kept_share", lang))
    money_axis(ax.yaxis, t("churn.chart.profit_saved", lang))
    apply_cjk_font(ax)
    return ax


def plot_winback(result: WinBack, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Horizontal bars: expected second-life value per win-back type, coloured by the recommendation."""
    summary = result.summary.iloc[::-1]
    ax = get_ax(ax, figsize=(7.0, 3.4))
    colors = [_COLOR if rule else _GREY for rule in summary["win_back"]]
    labels = [
        f"{t(f'churn.winback.{k}', lang)} ({n:,})"
        for k, n in zip(summary["winback_type"], summary["customers"], strict=True)
    ]
    ax.barh(labels, summary["expected_value"], color=colors)
    handles = [
        Patch(color=_COLOR, label=t("churn.chart.recommended", lang)),
        Patch(color=_GREY, label=t("churn.chart.not_recommended", lang)),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.set_title(t("churn.chart.winback_title", lang))
    money_axis(ax.xaxis, t("churn.col.expected_value", lang))
    apply_cjk_font(ax)
    return ax
