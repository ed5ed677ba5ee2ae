"""Charts of the data profile (notebook 00). Each takes a `crmlab.profile.profiling.DataProfile`."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from crmlab.core.display import currency
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t
from crmlab.core.style import apply_cjk_font, get_ax
from crmlab.profile.profiling import DataProfile, field, value_name

_COLOR = "#3a6ea5"


def plot_missing(result: DataProfile, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Horizontal bars: the share of missing rows in each column."""
    ax = get_ax(ax, figsize=(6.5, 0.3 * result.n_columns + 1.2))
    cols = result.columns.iloc[::-1]
    ax.barh([field(c, lang) for c in cols["column"]], cols["missing_share"], color=_COLOR)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, max(0.05, float(cols["missing_share"].max()) * 1.1))
    ax.set_title(t("profile.missing_title", lang))
    ax.set_xlabel(t("profile.missing_share", lang))
    ax.set_ylabel(t("profile.column", lang))
    apply_cjk_font(ax)
    return ax


def plot_monthly(result: DataProfile, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Bars: rows per calendar month of the date column."""
    ax = get_ax(ax, figsize=(7.0, 3.2))
    ax.bar(result.monthly.index, result.monthly.to_numpy(), width=25, color=_COLOR)
    ax.set_title(t("profile.monthly_title", lang))
    ax.set_xlabel(t("profile.month", lang))
    ax.set_ylabel(t("profile.rows", lang))
    ax.figure.autofmt_xdate()
    apply_cjk_font(ax)
    return ax


def plot_basket_sizes(result: DataProfile, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Bars: invoices by number of lines, up to the 99th percentile (larger baskets in the last bar)."""
    ax = get_ax(ax, figsize=(7.0, 3.2))
    sizes = result.basket_sizes
    if sizes is None:
        raise ParameterError(t("profile.needs_kind", chart="plot_basket_sizes", kind="transactions"))
    cap = max(1, int(np.ceil(sizes.quantile(0.99))))
    counts = sizes.clip(upper=cap).value_counts().sort_index()
    ax.bar(counts.index, counts.to_numpy(), width=0.9, color=_COLOR)
    ax.set_title(t("profile.basket_title", lang))
    ax.set_xlabel(t("profile.basket_size", lang))
    ax.set_ylabel(t("profile.invoices", lang))
    apply_cjk_font(ax)
    return ax


def plot_customer_revenue(result: DataProfile, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Histogram of net revenue per customer on a log scale (customers with revenue of at least 0.01)."""
    ax = get_ax(ax, figsize=(7.0, 3.2))
    revenue = result.customer_revenue
    if revenue is None:
        raise ParameterError(t("profile.needs_kind", chart="plot_customer_revenue", kind="transactions"))
    positive = revenue[revenue.round(2) > 0].to_numpy()
    if len(positive):
        bins = np.logspace(np.log10(positive.min()), np.log10(positive.max()) + 1e-9, 40)
        ax.hist(positive, bins=bins.tolist(), color=_COLOR)
    ax.set_xscale("log")
    ax.set_title(t("profile.revenue_title", lang))
    unit = currency()
    ax.set_xlabel(t("profile.revenue_unit", lang, unit=unit) if unit else t("profile.revenue", lang))
    ax.set_ylabel(t("profile.customers", lang))
    apply_cjk_font(ax)
    return ax


def plot_target(result: DataProfile, *, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Bars: cases per target value (labelled data)."""
    ax = get_ax(ax, figsize=(5.0, 3.0))
    counts = result.target_counts
    if counts is None:
        raise ParameterError(t("profile.needs_kind", chart="plot_target", kind="labelled"))
    ax.bar([value_name(k, lang) for k in counts.index], counts.to_numpy(), color=_COLOR)
    ax.set_title(t("profile.target_title", lang, target=result.target))
    ax.set_ylabel(t("profile.cases", lang))
    apply_cjk_font(ax)
    return ax
