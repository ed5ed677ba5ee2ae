"""Charts of the relationship-growth notebook (70): flows, cohorts, retention, depth, marks, cylinders, what-if."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Ellipse, Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter, StrMethodFormatter

from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax, money_axis
from crmlab.growth.cohorts import Cohorts, Lengths
from crmlab.growth.depth import Depth
from crmlab.growth.flows import Flows
from crmlab.growth.loyalty import Loyalty
from crmlab.growth.whatif import WhatIf

FLOW_COLORS = {"new": "#3a6ea5", "returning": "#9cc3e6", "won_back": "#2a9d8f", "lost": "#c0392b"}
_ENDED, _GOING = "#a0a0a0", "#3a6ea5"


def _period_ticks(ax: Axes, labels: list[str]) -> None:
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], rotation=45, ha="right")


def plot_flows(flows: Flows, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Stacked bars of new, returning and won-back customers per period, lost ones below zero, net growth."""
    ax = get_ax(ax, figsize=(9.0, 4.5))
    table = flows.table
    x = np.arange(len(table))
    alpha = np.where(table["complete"], 1.0, 0.45)
    bottom = np.zeros(len(table))
    for kind in ("new", "returning", "won_back"):
        bars = ax.bar(x, table[kind], bottom=bottom, color=FLOW_COLORS[kind], label=t(f"growth.col.{kind}", lang))
        for bar, a in zip(bars, alpha, strict=True):
            bar.set_alpha(a)
        bottom += table[kind].to_numpy()
    lost = ax.bar(x, -table["lost"], color=FLOW_COLORS["lost"], label=t("growth.col.lost", lang))
    for bar, a in zip(lost, alpha, strict=True):
        bar.set_alpha(a)
    ax.plot(x, table["net_growth"], "o-", color="black", lw=1.5, label=t("growth.col.net_growth", lang))
    ax.axhline(0, color="grey", lw=0.8)
    _period_ticks(ax, table["label"].tolist())
    ax.set_ylabel(t("common.customers", lang))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_title(t("growth.chart.flows_title", lang))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars, covering none
    apply_cjk_font(ax)
    return ax


def plot_cohorts(cohorts: Cohorts, labels: list[str], *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Heatmap of cohort retention: cohorts (rows, ``labels``) by periods since acquisition."""
    matrix = cohorts.retention.to_numpy(dtype=float)
    ax = get_ax(ax, figsize=(min(12.0, 3.0 + 0.55 * matrix.shape[1]), min(10.0, 1.5 + 0.4 * matrix.shape[0])))
    shown = np.ma.masked_invalid(matrix)
    top = float(np.nanmax(matrix[:, 1:])) if matrix.shape[1] > 1 and np.isfinite(matrix[:, 1:]).any() else 1.0
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=max(top, 0.01), aspect="auto")
    if matrix.size <= 400:
        for (i, j), value in np.ndenumerate(matrix):
            if np.isfinite(value) and j > 0:
                ax.text(
                    j,
                    i,
                    f"{value:.0%}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if value > 0.5 * top else "black",
                )
    ax.grid(False)  # grid lines would cut through the cells
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.set_xlabel(t("growth.chart.since_acquisition", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(t("growth.chart.cohort", lang))
    ax.set_title(t("growth.chart.cohorts_title", lang))
    ax.figure.colorbar(image, ax=ax, format=PercentFormatter(1.0), fraction=0.04)
    apply_cjk_font(ax)
    return ax


def plot_retention(cohorts: Cohorts, lengths: Lengths, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """The average retention curve (share buying in each period) and the survival of relationships."""
    ax = get_ax(ax, figsize=(7.0, 4.2))
    curve = cohorts.curve
    ax.plot(curve["offset"], curve["retention"], "o-", color=_GOING, label=t("growth.chart.active_share", lang))
    survival = lengths.survival[lengths.survival["offset"] <= curve["offset"].max()]
    ax.step(
        survival["offset"], survival["survival"], where="post", color="#e07b39", label=t("growth.chart.survival", lang)
    )
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t("growth.chart.since_acquisition", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("growth.chart.retention_title", lang))
    ax.legend(loc="upper right")  # the curves start at the top left and fall
    apply_cjk_font(ax)
    return ax


def plot_depth(depth: Depth, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Product lines bought so far (when measurable) and spend per order, by tenure."""
    ax = get_ax(ax, figsize=(7.0, 4.2))
    table = depth.by_tenure
    value_ax = ax.twinx() if depth.measurable else ax
    if depth.measurable:
        ax.plot(table["tenure"], table["lines"], "o-", color=_GOING, label=t("growth.col.lines", lang))
        ax.set_ylabel(t("growth.col.lines", lang), color=_GOING)
        value_ax.grid(False)
    value_ax.plot(
        table["tenure"], table["order_value"], "s--", color="#e07b39", label=t("growth.col.order_value", lang)
    )
    money_axis(value_ax.yaxis, t("growth.col.order_value", lang))
    value_ax.yaxis.label.set_color("#e07b39")
    ax.set_xlabel(t("growth.chart.since_acquisition", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("growth.chart.depth_title", lang))
    apply_cjk_font(ax)
    return ax


def plot_marks(loyalty: Loyalty, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Share of customers by the number of measurable loyalty marks they meet."""
    ax = get_ax(ax, figsize=(6.0, 3.8))
    table = loyalty.distribution
    bars = ax.bar(table["marks_met"].astype(str), table["share"], color=_GOING)
    ax.bar_label(bars, labels=[f"{s:.0%}" for s in table["share"]], fontsize=8)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t("growth.chart.marks_met", lang, n=len(loyalty.measurable)))
    ax.set_ylabel(t("value.col.customer_share", lang))
    ax.set_title(t("growth.chart.marks_title", lang))
    apply_cjk_font(ax)
    return ax


def plot_cylinders(sample: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """The textbook's figure: each relationship a cylinder, as tall as it lasted and as thick as it is deep.

    ``sample`` from `crmlab.growth.cohorts.relationship_sample`: the cylinder runs from the first to
    the last purchase (a relationship of one day is a disc), its width grows with ``depth``, grey
    when the relationship has ended.
    """
    ax = get_ax(ax, figsize=(9.0, 4.8))
    first = mdates.date2num(pd.to_datetime(sample["first_day"]).to_numpy())
    last = mdates.date2num(pd.to_datetime(sample["last_day"]).to_numpy())
    span = max(float(last.max() - first.min()), 1.0)
    cap = 0.025 * span
    depth = sample["depth"].to_numpy(dtype=float)
    width = 0.2 + 0.7 * np.sqrt(depth / depth.max()) if depth.max() > 0 else np.full(len(depth), 0.5)
    for i, (low, high, w, ended) in enumerate(zip(first, last, width, sample["ended"], strict=True)):
        color = _ENDED if ended else _GOING
        ax.add_patch(Rectangle((i - w / 2, low), w, high - low, color=color, alpha=0.75, lw=0))
        ax.add_patch(Ellipse((i, low), w, cap, color=color, alpha=0.75, lw=0))
        ax.add_patch(Ellipse((i, high), w, cap, facecolor="white", edgecolor=color, lw=1.2))
    ax.set_xlim(-1, len(sample))
    ax.set_ylim(first.min() - 2 * cap, last.max() + 2 * cap)
    ax.yaxis_date()
    ax.set_xticks([])
    ax.set_xlabel(t("growth.chart.cylinder_x", lang, n=len(sample)))
    ax.set_ylabel(t("growth.chart.cylinder_y", lang))
    kind = sample["depth_kind"].iloc[0] if len(sample) else "lines"
    ax.set_title(t("growth.chart.cylinder_title", lang, depth=t(f"growth.chart.depth_{kind}", lang)))
    ax.legend(
        handles=[Rectangle((0, 0), 1, 1, color=_GOING), Rectangle((0, 0), 1, 1, color=_ENDED)],
        labels=[t("growth.chart.going", lang), t("growth.chart.ended", lang)],
        loc="upper left",
        fontsize="small",
    )
    apply_cjk_font(ax)
    return ax


def plot_whatif(whatif: WhatIf, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Cumulative profit per acquired customer with the observed retention and with it raised."""
    ax = get_ax(ax, figsize=(7.0, 4.2))
    table = whatif.table
    ax.plot(table["offset"], table["cumulative"], "o-", color=_ENDED, label=t("growth.chart.observed", lang))
    ax.plot(
        table["offset"],
        table["raised_cumulative"],
        "o-",
        color=_GOING,
        label=t("growth.chart.raised", lang, points=round(whatif.rise * 100, 2)),
    )
    if whatif.observed < whatif.horizon:
        ax.axvspan(
            whatif.observed - 0.5, whatif.horizon - 0.5, color="grey", alpha=0.12, label=t("growth.chart.carried", lang)
        )
    ax.set_xlabel(t("growth.chart.since_acquisition", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    money_axis(ax.yaxis, t("growth.chart.profit_per_customer", lang))
    ax.set_title(t("growth.chart.whatif_title", lang, uplift=whatif.uplift))
    ax.legend(loc="upper left")  # the curves start at 0 and rise to the right
    apply_cjk_font(ax)
    return ax
