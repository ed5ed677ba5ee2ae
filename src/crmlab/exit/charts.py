"""Charts of the exit classification: AHP weights, scores, confusion matrix, importance, network."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax
from crmlab.exit.ahp import HierarchyResult
from crmlab.exit.factors import HIERARCHY, LABEL_COL, LABELS, SCORE_COL
from crmlab.exit.model import ExitModel

LABEL_COLOURS = {"good": "#2a9d8f", "medium": "#e9c46a", "bad": "#e76f51"}
_CRITERION_COLOURS = {"current": "#264653", "potential": "#8ab17d"}
_MAX_NODES = 10


def _top_criterion(factor: str) -> str:
    """``current`` or ``potential``: the branch of the hierarchy a factor belongs to."""
    for criterion, children in HIERARCHY.items():
        if factor in children:
            return criterion if criterion in _CRITERION_COLOURS else "potential"
    return "potential"


def plot_weights(result: HierarchyResult, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Horizontal bars of the nine factors' global AHP weights, coloured by current / potential value."""
    ax = get_ax(ax)
    weights = result.global_weights.iloc[::-1]
    names = [t(f"exit.factor.{f}", lang) for f in weights.index]
    colours = [_CRITERION_COLOURS[_top_criterion(str(f))] for f in weights.index]
    bars = ax.barh(names, weights.to_numpy(), color=colours)
    ax.bar_label(bars, labels=[f"{w:.3f}" for w in weights], padding=3, fontsize=8)
    handles = [Patch(color=c, label=t(f"exit.criterion.{k}", lang)) for k, c in _CRITERION_COLOURS.items()]
    ax.legend(handles=handles, loc="lower right", frameon=False)
    ax.set_xlabel(t("exit.col.global_weight", lang))
    ax.set_title(t("exit.chart.weights_title", lang))
    ax.set_xlim(0, weights.max() * 1.2)
    apply_cjk_font(ax)
    return ax


def plot_score_by_class(df: pd.DataFrame, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Histogram of the AHP composite score (``ahp_score``), one colour per label (``exit_label``)."""
    ax = get_ax(ax)
    bins = np.linspace(df[SCORE_COL].min(), df[SCORE_COL].max(), 31).tolist()
    for label in LABELS:
        values = df.loc[df[LABEL_COL] == label, SCORE_COL]
        if len(values):
            ax.hist(values, bins=bins, alpha=0.7, color=LABEL_COLOURS[label], label=t(f"exit.label.{label}", lang))
    ax.legend(frameon=False)
    ax.set_xlabel(t("exit.chart.score", lang))
    ax.set_ylabel(t("exit.chart.customers", lang))
    ax.set_title(t("exit.chart.score_title", lang))
    apply_cjk_font(ax)
    return ax


def plot_confusion(model: ExitModel, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """The test confusion matrix, counts in the cells, rows = true class."""
    ax = get_ax(ax, figsize=(4.8, 4.0))
    matrix = model.confusion.to_numpy()
    ax.imshow(matrix, cmap="Blues")
    names = [t(f"exit.label.{c}", lang) for c in model.confusion.index]
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.grid(False)
    threshold = matrix.max() / 2
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(value), ha="center", va="center", color="white" if value > threshold else "black")
    ax.set_xlabel(t("exit.chart.predicted", lang))
    ax.set_ylabel(t("exit.chart.true", lang))
    ax.set_title(t("exit.chart.confusion_title", lang))
    apply_cjk_font(ax)
    return ax


def plot_importance(model: ExitModel, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Permutation importance of each factor with its spread over repeats."""
    ax = get_ax(ax)
    table = model.importance.iloc[::-1]
    names = [t(f"exit.factor.{f}", lang) for f in table["factor"]]
    ax.barh(names, table["mean"], xerr=table["std"], color="#457b9d", ecolor="#333333", capsize=2)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(t("exit.chart.importance", lang))
    ax.set_title(t("exit.chart.importance_title", lang))
    apply_cjk_font(ax)
    return ax


def _shown_nodes(size: int) -> list[int | None]:
    """Node positions to draw for a layer of ``size``; ``None`` marks the elided middle."""
    if size <= _MAX_NODES:
        return list(range(size))
    half = _MAX_NODES // 2
    return [*range(half), None, *range(size - half + 1, size)]


def plot_network(model: ExitModel, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Diagram of the network: input (the nine factors), hidden layers and output (good / medium / bad).

    Layers wider than 10 neurons are drawn with their middle elided (a vertical ellipsis).
    """
    sizes = model.layer_sizes
    ax = get_ax(ax, figsize=(2.4 * len(sizes) + 2.5, 5.2))
    columns = [_shown_nodes(n) for n in sizes]
    positions: list[list[tuple[float, float] | None]] = []
    for x, nodes in enumerate(columns):
        ys = np.linspace(1, -1, len(nodes)) * min(1.0, len(nodes) / _MAX_NODES) if len(nodes) > 1 else [0.0]
        positions.append(
            [(float(x), float(y)) if node is not None else None for node, y in zip(nodes, ys, strict=True)]
        )
    for left, right in pairwise(positions):
        for a in filter(None, left):
            for b in filter(None, right):
                ax.plot([a[0], b[0]], [a[1], b[1]], color="#9aa5b1", linewidth=0.4, alpha=0.6, zorder=1)
    last = len(sizes) - 1
    for x, (layer, nodes) in enumerate(zip(positions, columns, strict=True)):
        colour = "#264653" if x == 0 else ("#e76f51" if x == last else "#8ab17d")
        for point, node in zip(layer, nodes, strict=True):
            if point is None or node is None:
                ax.text(x, _ellipsis_y(layer), "⋮", ha="center", va="center", fontsize=14)
                continue
            ax.scatter(*point, s=220, color=colour, edgecolor="white", zorder=3)
            if x == 0:
                ax.text(
                    x - 0.12,
                    point[1],
                    t(f"exit.factor.{model.factors[node]}", lang),
                    ha="right",
                    va="center",
                    fontsize=8,
                )
            elif x == last:
                ax.text(x + 0.12, point[1], t(f"exit.label.{LABELS[node]}", lang), ha="left", va="center", fontsize=9)
        ax.text(x, 1.18, _layer_title(x, sizes, lang), ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-1.6, last + 0.8)
    ax.set_ylim(-1.2, 1.35)
    ax.axis("off")
    ax.set_title(t("exit.chart.network_title", lang, sizes=" → ".join(str(n) for n in sizes)))
    apply_cjk_font(ax)
    return ax


def _ellipsis_y(layer: list[tuple[float, float] | None]) -> float:
    """Height of the elided gap: midway between the nodes around it."""
    i = layer.index(None)
    above, below = layer[i - 1], layer[i + 1]
    return (above[1] + below[1]) / 2 if above and below else 0.0


def _layer_title(x: int, sizes: tuple[int, ...], lang: str | None) -> str:
    if x == 0:
        return t("exit.chart.input_layer", lang, n=sizes[0])
    if x == len(sizes) - 1:
        return t("exit.chart.output_layer", lang, n=sizes[-1])
    return t("exit.chart.hidden_layer", lang, i=x, n=sizes[x])
