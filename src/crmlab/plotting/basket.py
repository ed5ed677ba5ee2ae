"""Charts of basket analysis: the spider-web chart (蜘蛛网图)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from crmlab.basket import SpiderWeb
from crmlab.i18n import t
from crmlab.plotting.style import apply_cjk_font, get_ax

__all__ = ["plot_spider_web"]

_METRIC_KEYS = {
    "lift": "basket.col_lift",
    "confidence": "basket.col_confidence",
    "support": "basket.col_support",
    "leverage": "basket.col_leverage",
    "conviction": "basket.col_conviction",
}


def plot_spider_web(web: SpiderWeb, *, ax: Axes | None = None, lang: str | None = None, max_width: float = 8.0) -> Axes:
    """Draw the spider-web chart: items on a circle, pairs joined by lines as thick as their strength.

    Node area is proportional to the item's support. Items sit on a circle, ordered by support, and
    labels are written outside it along the radius, so they do not overlap each other or the lines
    for up to about 40 items. Line width and darkness grow with the pair's strength (`web.metric`).
    """
    ax = get_ax(ax, figsize=(8.0, 8.0))
    nodes, edges = web.nodes, web.edges
    n = len(nodes)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    xy = dict(zip(nodes["item"], zip(np.cos(angle), np.sin(angle), strict=True), strict=True))
    metric = t(_METRIC_KEYS[web.metric], lang)
    if len(edges):
        strength = edges["strength"].to_numpy(dtype=float)
        finite = np.isfinite(strength)
        top = strength[finite].max() if finite.any() else 1.0
        low = strength[finite].min() if finite.any() else 0.0
        scaled = np.where(finite, (strength - low) / (top - low) if top > low else 1.0, 1.0)
        for (source, target), s in sorted(
            zip(zip(edges["source"], edges["target"], strict=True), scaled, strict=True), key=lambda e: e[1]
        ):
            (x0, y0), (x1, y1) = xy[source], xy[target]
            ax.plot(
                [x0, x1],
                [y0, y1],
                color="tab:blue",
                alpha=0.25 + 0.65 * s,
                linewidth=0.6 + (max_width - 0.6) * s,
                solid_capstyle="round",
                zorder=1,
            )
    else:
        ax.text(0, 0, t("basket.no_edges", lang), ha="center", va="center")
    support = nodes["support"].to_numpy(dtype=float)
    size = 80 + 1400 * support / support.max() if n else support
    ax.scatter(
        [xy[i][0] for i in nodes["item"]],
        [xy[i][1] for i in nodes["item"]],
        s=size,
        color="tab:orange",
        edgecolor="white",
        linewidth=1.5,
        zorder=2,
    )
    for item, a in zip(nodes["item"], angle, strict=True):
        degrees = np.degrees(a) % 360
        flip = 90 < degrees < 270
        ax.text(
            1.13 * np.cos(a),
            1.13 * np.sin(a),
            str(item),
            rotation=degrees - 180 if flip else degrees,
            rotation_mode="anchor",
            ha="right" if flip else "left",
            va="center",
            fontsize=9,
        )
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.75, 1.75)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(t("basket.chart_title", lang, n=n))
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
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.04), ncol=2, frameon=False)
    apply_cjk_font(ax)
    return ax
