"""Charts of basket analysis: the spider-web chart (蜘蛛网图)."""

from __future__ import annotations

import unicodedata

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from crmlab.basket.pairs import SpiderWeb
from crmlab.basket.rules import HEADINGS
from crmlab.core.display import heading
from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax

__all__ = ["plot_spider_web"]

#: Ratio metrics are scaled on a log axis, so one extreme pair does not make every other line vanish.
_LOG_METRICS = ("lift", "conviction")


def _short(label: str, width: int) -> str:
    """``label`` cut to ``width`` display columns (a CJK character takes two), with an ellipsis."""
    used = 0
    for position, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > width:
            return label[:position].rstrip() + "…"
    return label


def _scale(strength: np.ndarray, metric: str) -> np.ndarray:
    """Strengths mapped to [0, 1] (weakest to strongest line shown); infinite values map to 1."""
    finite = np.isfinite(strength)
    values = np.log(np.where(finite, strength, 1.0)) if metric in _LOG_METRICS else strength
    if not finite.any():
        return np.ones_like(strength)
    low, top = values[finite].min(), values[finite].max()
    scaled = (values - low) / (top - low) if top > low else np.ones_like(values)
    return np.where(finite, scaled, 1.0)


def plot_spider_web(
    web: SpiderWeb,
    *,
    ax: Axes | None = None,
    lang: str | None = None,
    max_width: float = 8.0,
    label_width: int = 20,
) -> Axes:
    """Draw the spider-web chart: items on a circle, pairs joined by lines as thick as their strength.

    Node area is proportional to the item's support. Items sit on a circle in the order of
    ``web.nodes`` (strongly associated items next to each other); pairs are joined by curves that
    bend towards the centre, so lines between neighbours stay visible. Labels are written outside
    it along the radius, cut to ``label_width`` columns, so they overlap neither each other nor
    the lines for up to about 40 items. Line width and darkness grow with the pair's strength
    (``web.metric``; lift and conviction on a log scale), from the weakest to the strongest line.
    """
    ax = get_ax(ax, figsize=(8.0, 8.0))
    nodes, edges = web.nodes, web.edges
    n = len(nodes)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    xy = dict(zip(nodes["item"], zip(np.cos(angle), np.sin(angle), strict=True), strict=True))
    if len(edges):
        scaled = _scale(edges["strength"].to_numpy(dtype=float), web.metric)
        pairs = zip(edges["source"], edges["target"], strict=True)
        for (source, target), s in sorted(zip(pairs, scaled, strict=True), key=lambda e: e[1]):
            (x0, y0), (x1, y1) = xy[source], xy[target]
            bend = (0.35 * (x0 + x1) / 2, 0.35 * (y0 + y1) / 2)  # curve towards the centre
            path = Path([(x0, y0), bend, (x1, y1)], [Path.MOVETO, Path.CURVE3, Path.CURVE3])
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor="none",
                    edgecolor="tab:blue",
                    alpha=0.25 + 0.65 * s,
                    linewidth=0.5 + (max_width - 0.5) * s,
                    capstyle="round",
                    zorder=1,
                )
            )
    else:
        ax.text(0, 0, t("basket.no_edges", lang), ha="center", va="center")
    support = nodes["support"].to_numpy(dtype=float)
    ax.scatter(
        [xy[i][0] for i in nodes["item"]],
        [xy[i][1] for i in nodes["item"]],
        s=30 + 400 * support / support.max() if n else support,
        color="tab:orange",
        edgecolor="white",
        linewidth=1.5,
        zorder=2,
    )
    labels = [_short(str(item), label_width) for item in nodes["item"]]
    for label, a in zip(labels, angle, strict=True):
        degrees = np.degrees(a) % 360
        flip = 90 < degrees < 270
        ax.text(
            1.12 * np.cos(a),
            1.12 * np.sin(a),
            label,
            rotation=degrees - 180 if flip else degrees,
            rotation_mode="anchor",
            ha="right" if flip else "left",
            va="center",
            fontsize=8.5 if n <= 24 else 7,
        )
    widest = max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in x) for x in labels), default=0)
    limit = min(2.15, 1.3 + 0.042 * widest)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(t("basket.chart_title", lang, n=n))
    metric = heading(web.metric, HEADINGS, lang)
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="tab:orange",
            markersize=10,
            label=t("basket.chart_legend_node", lang),
        ),
        Line2D([], [], color="tab:blue", linewidth=4, label=t("basket.chart_legend_edge", lang, metric=metric)),
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.07), ncol=2, frameon=False)
    apply_cjk_font(ax)
    return ax
