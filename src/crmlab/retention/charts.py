"""Charts of notebook 60: products held, defection models, risk drivers, campaign, decile response.

Gains and lift charts come from `crmlab.propensity.charts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from crmlab.core.display import currency
from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax
from crmlab.propensity.report import metric_label, model_label
from crmlab.retention.campaign import Campaign
from crmlab.retention.defection import DefectionModels, ProductsHeld
from crmlab.retention.report import feature_label
from crmlab.retention.targeting import ResponseModels

_BLUE, _ORANGE, _GREEN, _GREY, _RED = "#4C72B0", "#DD8452", "#55A868", "#8C8C8C", "#C44E52"


def plot_products_held(result: ProductsHeld, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Defection rate (bars) and share of all defectors (line) by number of products held."""
    ax = get_ax(ax)
    table = result.table
    x = np.arange(len(table))
    ax.bar(x, table["defection_rate"], color=_BLUE, label=t("retention.col.defection_rate", lang))
    ax.plot(x, table["share_of_defectors"], color=_ORANGE, marker="o", label=t("retention.products.share", lang))
    ax.set_xticks(x, [str(v) for v in table["products_held"]])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(t("retention.col.products_held", lang))
    ax.set_title(t("retention.products.title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    apply_cjk_font(ax)
    return ax


def plot_model_comparison(result: DefectionModels, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Cross-validated ROC AUC and PR AUC of each defection model, with the spread over folds."""
    ax = get_ax(ax)
    cv = result.cv
    x = np.arange(len(cv))
    width = 0.38
    for offset, metric, color in ((-width / 2, "roc_auc", _BLUE), (width / 2, "pr_auc", _ORANGE)):
        label = metric_label(metric, lang)
        bars = ax.bar(x + offset, cv[metric], width, yerr=cv[f"{metric}_std"], capsize=3, color=color, label=label)
        ax.bar_label(bars, fmt="%.3f", padding=2, fontsize=8)
    ax.set_xticks(x, [model_label(m, lang) for m in cv["model"]])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(t("retention.models.y", lang))
    ax.set_title(t("retention.models.title", lang, folds=result.folds))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    apply_cjk_font(ax)
    return ax


def plot_risk_drivers(drivers: pd.DataFrame, *, top: int = 10, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Permutation importance of the ``top`` features, coloured by the direction of their effect."""
    ax = get_ax(ax)
    shown = drivers.head(top).iloc[::-1]
    colors = [_GREY if np.isnan(d) else (_RED if d > 0 else _GREEN) for d in shown["direction"]]
    names = [feature_label(f, lang) for f in shown["feature"]]
    ax.barh(names, shown["importance"], xerr=shown["importance_std"], color=colors, capsize=2)
    handles = [
        Patch(color=color, label=t(f"retention.drivers.{key}", lang))
        for color, key in ((_RED, "up"), (_GREEN, "down"), (_GREY, "categorical"))
    ]
    ax.set_xlabel(t("retention.drivers.x", lang))
    ax.set_title(t("retention.drivers.title", lang))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    apply_cjk_font(ax)
    return ax


def plot_campaign(result: Campaign, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Cumulative margin saved, contact cost and net value as more eligible customers are contacted."""
    ax = get_ax(ax)
    eligible = result.customers[result.customers["eligible"]]
    n = np.arange(1, len(eligible) + 1)
    saved = eligible["expected_saved_value"].cumsum().to_numpy()
    cost = eligible["contact_cost"].cumsum().to_numpy()
    ax.plot(n, saved, color=_GREEN, label=t("retention.campaign.saved", lang))
    ax.plot(n, cost, color=_RED, label=t("retention.col.cost", lang))
    ax.plot(n, saved - cost, color=_BLUE, linewidth=2, label=t("retention.col.net_value", lang))
    if result.targeted:
        ax.axvline(result.targeted, color=_GREY, linestyle="--")
        ax.scatter(
            [result.targeted],
            [result.value],
            color=_BLUE,
            zorder=3,
            label=t("retention.campaign.chosen", lang, n=result.targeted),
        )
    if result.best_targeted:
        ax.scatter(
            [result.best_targeted],
            [result.best_value],
            color=_ORANGE,
            marker="D",
            zorder=3,
            label=t("retention.campaign.best", lang, n=result.best_targeted),
        )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(t("retention.campaign.x", lang))
    unit = currency()
    ax.set_ylabel(t("retention.campaign.y", lang) + (f" ({unit})" if unit else ""))
    ax.set_title(t("retention.campaign.title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    apply_cjk_font(ax)
    return ax


def plot_decile_response(
    result: ResponseModels, *, model: str | None = None, ax: Axes | None = None, lang: str | None = None
) -> Axes:
    """Response rate per score decile of one response model, against the untargeted rate.

    The right-hand axis reads the same bars as lift (response rate / untargeted rate), so this is
    also the model's decile lift chart.
    """
    ax = get_ax(ax)
    name = model or result.best
    gains = result.gains[name]
    bars = ax.bar(gains["decile"].astype(str), gains["response_rate"], color=_BLUE)
    ax.bar_label(bars, labels=[f"{v:.1%}" for v in gains["response_rate"]], padding=2, fontsize=8)
    ax.axhline(
        result.base_rate,
        color=_RED,
        linestyle="--",
        label=t("retention.response.untargeted", lang, rate=result.base_rate),
    )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if result.base_rate > 0:
        scale = 1.0 / result.base_rate
        lift_axis = ax.secondary_yaxis(
            "right", functions=(lambda rate: np.multiply(rate, scale), lambda lift: np.divide(lift, scale))
        )
        lift_axis.set_ylabel(t("retention.response.lift_axis", lang))
    ax.set_xlabel(t("propensity.chart.decile", lang))
    ax.set_ylabel(t("retention.col.response_rate", lang))
    ax.set_title(t("retention.response.title", lang, model=model_label(name, lang)))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), borderaxespad=0)  # below the axes: covers no bar
    apply_cjk_font(ax)
    return ax
