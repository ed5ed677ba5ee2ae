"""Charts of the value analysis (notebook 20): Pareto curve, holdout check, value matrix, cleaning, warning, RFM."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter, StrMethodFormatter

from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax
from crmlab.data.cleaning import NON_PRODUCT_CODES, rule_labels
from crmlab.value.clv import HoldoutCheck
from crmlab.value.matrix import CLASSES, ValueMatrix
from crmlab.value.pareto import ParetoResult
from crmlab.value.segments import Segments
from crmlab.value.warning import WarningResult

_COLOR = "#3a6ea5"
_SECOND = "#e07b39"
CLASS_COLORS = {"platinum": "#6c7a89", "gold": "#d4a017", "iron": "#3a6ea5", "lead": "#a0a0a0"}


def plot_lorenz(result: ParetoResult, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """The Pareto (Lorenz) curve with the equality line and the top-share point marked."""
    ax = get_ax(ax, figsize=(5.5, 4.5))
    curve = result.curve
    ax.plot(curve["customer_share"], curve["value_share"], color=_COLOR, lw=2, label=t("value.lorenz_curve", lang))
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label=t("value.lorenz_equal", lang))
    ax.plot([result.top_fraction], [result.top_share], "o", color=_SECOND)
    ax.vlines(result.top_fraction, 0, result.top_share, colors=_SECOND, lw=1, ls=":")
    ax.hlines(result.top_share, 0, result.top_fraction, colors=_SECOND, lw=1, ls=":")
    ax.annotate(
        t("value.lorenz_top", lang, fraction=result.top_fraction, share=result.top_share),
        (result.top_fraction, result.top_share),
        xytext=(12, -18),
        textcoords="offset points",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(t("value.lorenz_title", lang))
    ax.set_xlabel(t("value.lorenz_x", lang))
    ax.set_ylabel(t("value.lorenz_y", lang))
    ax.legend(loc="lower right")
    apply_cjk_font(ax)
    return ax


def plot_holdout(result: HoldoutCheck, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Cumulative repeat purchases by week, actual and forecast; the end of calibration marked (FHL 2005, fig. 2)."""
    ax = get_ax(ax, figsize=(7.0, 4.0))
    track = result.tracking
    ax.plot(track["week"], track["actual"], color=_COLOR, lw=2, label=t("value.holdout_actual", lang))
    ax.plot(track["week"], track["predicted"], color=_SECOND, lw=2, ls="--", label=t("value.holdout_predicted", lang))
    cut = float(track.loc[~track["holdout"], "week"].max())
    ax.axvline(cut, color="grey", lw=1, ls=":", label=t("value.holdout_cut", lang))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(t("value.holdout_title", lang))
    ax.set_xlabel(t("value.holdout_x", lang))
    ax.set_ylabel(t("value.holdout_y", lang))
    ax.legend(loc="upper left")
    apply_cjk_font(ax)
    return ax


def _floor(values: pd.Series) -> float:
    """The lowest value shown on a log axis: the 0.5% quantile of the positive values."""
    positive = values[values > 0]
    return float(positive.quantile(0.005)) if len(positive) else 1.0


def plot_value_matrix(matrix: ValueMatrix, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Scatter of current against potential value, coloured by class, with the cut points.

    Both axes are logarithmic because customer value is strongly skewed; values below the 0.5%
    quantile of the positive values (including zeros) are drawn at that floor.
    """
    ax = get_ax(ax, figsize=(6.5, 5.0))
    data = matrix.customers
    x_floor, y_floor = _floor(data[matrix.current_col]), _floor(data[matrix.potential_col])
    for name in CLASSES:
        part = data[data["value_class"] == name]
        ax.scatter(
            part[matrix.current_col].clip(lower=x_floor),
            part[matrix.potential_col].clip(lower=y_floor),
            s=8,
            alpha=0.5,
            color=CLASS_COLORS[name],
            label=f"{t(f'value.class.{name}', lang)} ({len(part):,})",
        )
    ax.axvline(max(matrix.current_cut, x_floor), color="black", lw=1, ls="--")
    ax.axhline(max(matrix.potential_cut, y_floor), color="black", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_title(t("value.matrix_title", lang))
    ax.set_xlabel(t("value.current_value", lang))
    ax.set_ylabel(t("value.potential_value", lang))
    ax.legend(loc="upper left", markerscale=2, fontsize="small")
    apply_cjk_font(ax)
    return ax


def plot_cleaning(
    report: pd.DataFrame,
    *,
    codes: Sequence[str] = NON_PRODUCT_CODES,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Horizontal bars: lines removed by each cleaning rule (from `crmlab.data.cleaning.cleaning_report`).

    ``codes``: the non-product codes used, named in that rule's label.
    """
    ax = get_ax(ax, figsize=(6.5, 0.45 * len(report) + 1.2))
    labels = rule_labels(report["rule"].tolist(), codes=codes, lang=lang)[::-1]
    removed = report["removed"].to_numpy()[::-1]
    ax.barh(labels, removed, color=_COLOR)
    for y, value in enumerate(removed):
        ax.annotate(f"{value:,}", (value, y), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlim(0, max(1, removed.max()) * 1.2)
    ax.set_title(t("value.cleaning_title", lang))
    ax.set_xlabel(t("value.lines", lang))
    apply_cjk_font(ax)
    return ax


def _paired_bars(ax: Axes, labels: list[str], first: np.ndarray, second: np.ndarray, lang: str | None) -> None:
    x = np.arange(len(labels))
    ax.bar(x - 0.2, first, width=0.4, color=_COLOR, label=t("value.col.customer_share", lang))
    ax.bar(x + 0.2, second, width=0.4, color=_SECOND, label=t("value.col.revenue_share", lang))
    ax.set_xticks(x, labels, rotation=20, ha="right")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(t("value.share", lang))
    ax.legend()


def plot_warning(result: WarningResult, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Bars: share of customers and of revenue flagged by one rule only, by both, and by either."""
    ax = get_ax(ax, figsize=(6.5, 4.0))
    groups = result.groups.set_index("group").loc[["gap_only", "both", "p_alive_only", "either"]]
    labels = [t(f"value.group.{g}", lang) for g in groups.index]
    _paired_bars(ax, labels, groups["customer_share"].to_numpy(), groups["revenue_share"].to_numpy(), lang)
    ax.set_title(t("value.warning_title", lang))
    apply_cjk_font(ax)
    return ax


def plot_segments(profile: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Bars: share of customers and of revenue per RFM segment (from `crmlab.value.rfm.segment_profile`)."""
    ax = get_ax(ax, figsize=(6.5, 4.0))
    labels = [t(f"value.segment.{s}", lang) for s in profile["segment"]]
    _paired_bars(ax, labels, profile["customer_share"].to_numpy(), profile["revenue_share"].to_numpy(), lang)
    ax.set_title(t("value.segments_title", lang))
    apply_cjk_font(ax)
    return ax


def plot_silhouettes(segments: Segments, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Silhouette for each number of segments tried, the chosen one marked."""
    ax = get_ax(ax, figsize=(5.5, 3.5))
    scores = segments.scores
    ax.plot(scores["k"], scores["silhouette"], "o-", color=_COLOR)
    ax.plot([segments.k], [segments.silhouette], "o", color=_SECOND, markersize=10)
    ax.set_xticks(scores["k"].tolist())
    ax.set_xlabel(t("value.segments.silhouette_x", lang))
    ax.set_ylabel(t("value.segments.silhouette_y", lang))
    ax.set_title(t("value.segments.silhouette_title", lang))
    apply_cjk_font(ax)
    return ax
