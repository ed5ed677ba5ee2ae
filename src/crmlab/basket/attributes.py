"""Customer attributes: banded into categories, and rules over them ("if {age = 50–59} then {cars = 2+}").

``customers (customer_id + attributes) [+ basket lines] -> banded attributes -> Rules with a kind``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.basket.rules import Rules, association_rules, mine, rule_table
from crmlab.core.checks import did_you_mean
from crmlab.core.display import heading
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

__all__ = ["attribute_rule_table", "attribute_rules", "band_attributes"]


def _is_continuous(values: pd.Series) -> bool:
    """Numeric (not bool) with more than 10 distinct values: banded at quantiles by default."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and values.nunique() > 10


def _band_labels(edges: Sequence[float], integer: bool) -> tuple[list[float], list[str]]:
    """Cut points and names of the bands between ``edges``.

    >>> _band_labels([18, 25], integer=True)[1]
    ['<18', '18–24', '25+']
    """

    def fmt(x: float) -> str:
        return f"{x:g}"

    cuts = [-np.inf, *edges, np.inf]
    labels = [f"<{fmt(edges[0])}"]
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        upper = hi - 1 if integer and float(hi).is_integer() and float(lo).is_integer() else hi
        labels.append(fmt(lo) if upper == lo else f"{fmt(lo)}–{fmt(upper)}")
    labels.append(f"{fmt(edges[-1])}+")
    return cuts, labels


def band_attributes(
    customers: pd.DataFrame,
    *,
    bands: Mapping[str, Sequence[float]] | None = None,
    customer_col: str = "customer_id",
    n_quantiles: int = 3,
    lang: str | None = None,
) -> pd.DataFrame:
    """Customer attributes as text categories: numeric columns are banded.

    Parameters
    ----------
    customers
        One row per customer: ``customer_col`` plus attribute columns.
    bands
        Column -> ascending band edges, e.g. ``{"age": [18, 25, 46, 60]}`` gives the bands
        ``<18``, ``18–24``, ``25–45``, ``46–59`` and ``60+`` (a band includes its lower edge).
    customer_col
        The customer id column (kept as text, not banded).
    n_quantiles
        Numeric columns without ``bands`` and with more than 10 distinct values are cut at
        quantiles into this many bands, named low / medium / high for three bands (in ``lang``),
        else Q1, Q2, ...; other columns are used as they are.
    lang
        Language of the quantile band names (default: the current language).

    Returns
    -------
    DataFrame
        ``customer_col`` and one text column per attribute (missing values stay missing), named in
        ``lang`` when the catalogue has ``basket.attr.<column>`` (so rules read "年龄 = 50–59" in Chinese).
    """
    bands = dict(bands or {})
    require_columns(customers, [customer_col], context=t("basket.context.customers"))
    for column in bands:
        if column not in customers.columns:
            raise ParameterError(
                t("basket.err.unknown_band", column=column, hint=did_you_mean(column, customers.columns))
            )
    out = pd.DataFrame({customer_col: customers[customer_col].astype("string")}, index=customers.index)
    for column in customers.columns:
        if column == customer_col:
            continue
        values = customers[column]
        if column in bands:
            edges = sorted(float(e) for e in bands[column])
            numeric = pd.to_numeric(values, errors="coerce")
            integer = bool(numeric.dropna().eq(numeric.dropna().round()).all())
            cuts, labels = _band_labels(edges, integer)
            out[column] = pd.cut(numeric, cuts, labels=labels, right=False).astype("string")
        elif _is_continuous(values):
            codes = pd.qcut(values, n_quantiles, labels=False, duplicates="drop")
            n_bins = int(np.nanmax(codes)) + 1
            names = (
                [t("basket.low", lang), t("basket.medium", lang), t("basket.high", lang)]
                if n_bins == 3
                else [f"Q{i + 1}" for i in range(n_bins)]
            )
            out[column] = pd.Series(
                [names[int(c)] if not pd.isna(c) else pd.NA for c in codes], index=values.index, dtype="string"
            )
        else:
            out[column] = values.astype("string")
    headed = {c: heading(c, ["basket.attr"], lang) for c in out.columns if c != customer_col}
    return out.rename(columns=headed).reset_index(drop=True)


def _attribute_items(banded: pd.DataFrame, customer_col: str) -> list[list[str]]:
    columns = [c for c in banded.columns if c != customer_col]
    return [
        [f"{c} = {v}" for c, v in zip(columns, row, strict=True) if not pd.isna(v)]
        for row in banded[columns].itertuples(index=False)
    ]


def attribute_rules(
    customers: pd.DataFrame,
    *,
    lines: pd.DataFrame | None = None,
    bands: Mapping[str, Sequence[float]] | None = None,
    customer_col: str = "customer_id",
    min_support: float = 0.05,
    min_confidence: float = 0.1,
    max_len: int = 3,
    metric: str = "lift",
    lang: str | None = None,
) -> Rules:
    """Rules over banded customer attributes and, with ``lines``, from attributes to items.

    Each customer becomes one "basket" of attribute values ("age = 50–59", "married = yes") plus,
    when ``lines`` (with ``customer_id``) is given, every item the customer ever bought. Rules
    whose antecedent holds only attributes and whose consequent holds only attributes or only items
    are kept; the column ``kind`` says which (``attribute`` or ``item``). Example: "if {age = 50–59,
    married = yes} then {cars = 2+}" with confidence 0.6. ``n_baskets`` of the result is the number
    of customers.
    """
    banded = band_attributes(customers, bands=bands, customer_col=customer_col, lang=lang)
    baskets = _attribute_items(banded, customer_col)
    attribute_values = {x for b in baskets for x in b}
    if lines is not None:
        if customer_col not in lines.columns:
            raise InputError(t("basket.err.no_customer", column=customer_col))
        bought = lines.dropna(subset=[customer_col]).groupby(customer_col)["item"].agg(lambda s: sorted(set(s)))
        ids = banded[customer_col].to_numpy()
        baskets = [b + list(bought.get(i, [])) for b, i in zip(baskets, ids, strict=True)]
    rules = association_rules(
        mine(baskets, min_support=min_support, max_len=max_len), min_confidence=min_confidence, metric=metric
    )
    table = rules.table
    to_attributes = table["consequents"].map(lambda s: s <= attribute_values)
    to_items = table["consequents"].map(lambda s: not s & attribute_values)
    keep = table["antecedents"].map(lambda s: s <= attribute_values) & (to_attributes | to_items)
    table = table[keep].copy()
    table.insert(2, "kind", np.where(to_attributes[keep], "attribute", "item"))
    return replace(rules, table=table.reset_index(drop=True))


def attribute_rule_table(rules: Rules, *, top: int = 10, lang: str | None = None) -> Styler:
    """The top attribute rules as sentences, with the kind of consequent (attribute or item)."""
    return rule_table(rules, top=top, lang=lang, sentence="basket.attribute_sentence")
