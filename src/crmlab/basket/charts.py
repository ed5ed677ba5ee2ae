"""Charts of basket analysis: the spider-web chart (蜘蛛网图)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from crmlab.basket.pairs import SpiderWeb
from crmlab.basket.rules import HEADINGS
from crmlab.core.display import heading
from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax, wrap_label

__all__ = ["plot_spider_web"]

#: Ratio metrics are scaled on a log axis, so one extreme pair does not make every other line vanish.
_LOG_METRICS = ("lift", "conviction")
EDGE, NODE = "#1f5fa8", "#e07b1a"


def _label_spot(
    curve: tuple[tuple[float, float], ...], placed: list[tuple[float, float]]
) -> tuple[float, float]:
    """Where on a quadratic curve to put its label, so labels of lines from one item do not cover each other.

    Of the middle and two points either side of it, the one farthest from the labels already ``placed``.
    """
    (x0, y0), (bx, by), (x1, y1) = curve
    spots = [
        ((1 - u) ** 2 * x0 + 2 * (1 - u) * u * bx + u**2 * x1, (1 - u) ** 2 * y0 + 2 * (1 - u) * u * by + u**2 * y1)
        for u in (0.5, 0.35, 0.65)
    ]
    return max(spots, key=lambda p: min((np.hypot(p[0] - q[0], p[1] - q[1]) for q in placed), default=1.0))


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
    max_width: float = 9.0,
    label_width: int = 18,
    labelled: int = 5,
) -> Axes:
    """Draw the spider-web chart: items on a circle, pairs joined by lines as thick as their strength.

    Node area is proportional to the item's support. Items sit on a circle in the order of
    ``web.nodes`` (strongly associated items next to each other); pairs are joined by curves that
    bend towards the centre, so lines between neighbours stay visible. Labels are written
    horizontally outside the circle, in full (wrapped at ``label_width`` columns). Line width and
    darkness grow with the pair's strength (``web.metric``; lift and conviction on a log scale); a
    key below the chart gives the width of the weakest, a middle and the strongest line, and the
    ``labelled`` strongest lines carry their lift.
    """
    ax = get_ax(ax, figsize=(11.0, 9.0))
    nodes, edges = web.nodes, web.edges
    n = len(nodes)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    xy = dict(zip(nodes["item"], zip(np.cos(angle), np.sin(angle), strict=True), strict=True))
    strength = edges["strength"].to_numpy(dtype=float)
    scaled = _scale(strength, web.metric) if len(edges) else strength

    def width(s: float) -> float:
        return 0.8 + (max_width - 0.8) * s

    placed: list[tuple[float, float]] = []
    order = np.argsort(scaled, kind="stable")
    for rank, i in enumerate(order[::-1]):
        (x0, y0), (x1, y1) = xy[edges["source"].iloc[i]], xy[edges["target"].iloc[i]]
        bend = (0.35 * (x0 + x1) / 2, 0.35 * (y0 + y1) / 2)  # curve towards the centre
        path = Path([(x0, y0), bend, (x1, y1)], [Path.MOVETO, Path.CURVE3, Path.CURVE3])
        s = scaled[i]
        ax.add_patch(
            PathPatch(path, facecolor="none", edgecolor=EDGE, alpha=0.3 + 0.6 * s, linewidth=width(s), zorder=1)
        )
        if rank < labelled and len(web.lift) == len(edges):
            x, y = _label_spot(((x0, y0), bend, (x1, y1)), placed)
            placed.append((x, y))
            box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": EDGE, "linewidth": 0.8}
            ax.text(x, y, f"{web.lift[i]:.1f}×", ha="center", va="center", fontsize=11, zorder=3, bbox=box)
    support = nodes["support"].to_numpy(dtype=float)
    ax.scatter(
        [xy[i][0] for i in nodes["item"]],
        [xy[i][1] for i in nodes["item"]],
        s=60 + 600 * support / support.max() if n else support,
        color=NODE,
        edgecolor="white",
        linewidth=1.5,
        zorder=2,
    )
    for item, a in zip(nodes["item"], angle, strict=True):
        x, y = np.cos(a), np.sin(a)
        ha = "center" if abs(x) < 0.2 else ("left" if x > 0 else "right")
        va = "center" if abs(y) < 0.8 else ("bottom" if y > 0 else "top")
        ax.text(1.1 * x, 1.1 * y, wrap_label(str(item), label_width), ha=ha, va=va, fontsize=12, linespacing=1.1)
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.25, 1.25)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(t("basket.chart_title", lang, n=n), fontsize=14)
    metric = heading(web.metric, HEADINGS, lang)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=NODE, markersize=12, label=t("basket.chart_legend_node", lang))
    ]
    finite = strength[np.isfinite(strength)]
    if len(finite):
        low, high = float(finite.min()), float(finite.max())
        middle = float(np.sqrt(low * high)) if web.metric in _LOG_METRICS and low > 0 else (low + high) / 2
        marks = np.array([low, middle, high])
        keys = sorted(set(zip(marks, _scale(marks, web.metric), strict=True)))
        for value, s in keys:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=EDGE,
                    linewidth=width(s),
                    alpha=0.3 + 0.6 * s,
                    label=t("basket.chart_legend_edge", lang, metric=metric, value=f"{value:.2f}"),
                )
            )
    elif not len(edges):
        ax.text(0, 0, t("basket.no_edges", lang), ha="center", va="center", fontsize=12)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=len(handles),
        frameon=False,
        fontsize=11,
        handlelength=3,
    )
    apply_cjk_font(ax)
    return ax
