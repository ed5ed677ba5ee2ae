"""Charts of the value analysis (notebook 20): Pareto curve, holdout check, value matrix, cleaning, warning, RFM."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter, StrMethodFormatter

from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax, money_axis
from crmlab.data.cleaning import NON_PRODUCT_CODES, rule_labels
from crmlab.value.clv import HoldoutCheck
from crmlab.value.matrix import CLASSES, ValueMatrix
from crmlab.value.pareto import ParetoResult
from crmlab.value.segments import Segments
from crmlab.value.warning import WarningResult

_COLOR = "#3a6ea5"
_SECOND = "#e07b39"
CLASS_COLORS = {"platinum": "#7b3f9e", "gold": "#c99700", "iron": "#2f6db3", "lead": "#7f7f7f"}


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


#: Customers drawn in the value-matrix chart at most; above it a seeded random sample is drawn.
MATRIX_POINTS = 3000

#: (left or right, bottom or top) of each class in the value-matrix chart: potential across, current up,
#: as in the 2x2 table of the report.
_QUADRANT_CORNERS = {"platinum": (1, 1), "gold": (0, 1), "iron": (1, 0), "lead": (0, 0)}


def matrix_sample(matrix: ValueMatrix, *, max_points: int = MATRIX_POINTS, seed: int = 0) -> pd.DataFrame:
    """The customers the value-matrix chart draws: all of them, or a seeded random sample of ``max_points``."""
    data = matrix.customers
    return data if len(data) <= max_points else data.sample(max_points, random_state=seed)


def plot_value_matrix(
    matrix: ValueMatrix,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    max_points: int = MATRIX_POINTS,
    seed: int = 0,
) -> Axes:
    """The value matrix as four labelled quadrants: potential value across, current value up (as the table).

    Each quadrant is shaded in its class colour and labelled with the class, its customers and their
    share; the points are the customers (a seeded sample of ``max_points`` at large n, see
    `matrix_sample`). Both axes are logarithmic because customer value is strongly skewed; values
    below the 0.5% quantile of the positive values (including zeros) are drawn at that floor.
    """
    ax = get_ax(ax, figsize=(7.0, 5.5))
    data = matrix_sample(matrix, max_points=max_points, seed=seed)
    everyone = matrix.customers
    x_floor, y_floor = _floor(everyone[matrix.potential_col]), _floor(everyone[matrix.current_col])
    for name in CLASSES:
        part = data[data["value_class"] == name]
        ax.scatter(
            part[matrix.potential_col].clip(lower=x_floor),
            part[matrix.current_col].clip(lower=y_floor),
            s=6,
            alpha=0.35,
            color=CLASS_COLORS[name],
            lw=0,
        )
    x_cut, y_cut = max(matrix.potential_cut, x_floor), max(matrix.current_cut, y_floor)
    ax.set_xscale("log")
    ax.set_yscale("log")
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    for name, (right, top) in _QUADRANT_CORNERS.items():
        counts = matrix.summary.loc[matrix.summary["value_class"] == name].iloc[0]
        xs, ys = (x_cut, x_high) if right else (x_low, x_cut), (y_cut, y_high) if top else (y_low, y_cut)
        ax.fill_between(xs, ys[0], ys[1], color=CLASS_COLORS[name], alpha=0.08, lw=0)
        label = t(
            "value.matrix_label",
            lang,
            name=t(f"value.class.{name}", lang),
            n=int(counts["customers"]),
            share=float(counts["customer_share"]),
        )
        ax.annotate(
            label,
            (right, top),
            xycoords="axes fraction",
            xytext=(-8 if right else 8, -8 if top else 8),
            textcoords="offset points",
            ha="right" if right else "left",
            va="top" if top else "bottom",
            color=CLASS_COLORS[name],
            fontsize="medium",  # the CJK font has no bold face
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": CLASS_COLORS[name], "alpha": 0.9},
        )
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.axvline(x_cut, color="black", lw=1, ls="--")
    ax.axhline(y_cut, color="black", lw=1, ls="--")
    ax.set_title(t("value.matrix_title", lang))
    money_axis(ax.xaxis, t("value.potential_value", lang), log=True)
    money_axis(ax.yaxis, t("value.current_value", lang), log=True)
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
