"""The customer value matrix (陈明亮's classification): current value x potential value.

``one row per customer with a current and a potential value -> class per customer + class summary``.

- platinum 白金: high current, high potential value: the most valuable; keep them at any cost.
- gold 黄金: high current, low potential value: keep them and the revenue they bring.
- iron 铁质: low current, high potential value: develop them.
- lead 铅质: low current, low potential value: serve at minimum cost, or let them go.

"High" means at or above the cut point (default: the median).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_range
from crmlab.core.display import display_table
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_finite, require_nonempty

CLASSES = ("platinum", "gold", "iron", "lead")

#: (current value high?, potential value high?) -> class.
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, True): "platinum",
    (True, False): "gold",
    (False, True): "iron",
    (False, False): "lead",
}

#: Recommended share of the retention/development budget per class. A starting point reflecting the
#: texts' "invest most where both values are high, least where both are low"; override it with
#: your own figures (``resource_shares=``). Shares must add up to 1.
RESOURCE_SHARES: dict[str, float] = {"platinum": 0.45, "gold": 0.25, "iron": 0.25, "lead": 0.05}
#: Share of potential value below which the iron customers are not worth a development budget.
IRON_WORTH = 0.1


@dataclass(frozen=True)
class ValueMatrix:
    """Customers with their class, the per-class summary and the cut points used.

    ``customers`` has ``value_class`` added; ``summary`` has ``value_class``, ``customers``,
    ``customer_share``, ``current_share``, ``potential_share`` and ``resource_share``.
    """

    customers: pd.DataFrame
    summary: pd.DataFrame
    current_col: str
    potential_col: str
    current_cut: float
    potential_cut: float


def value_matrix(
    customers: pd.DataFrame,
    *,
    current_col: str = "current_value",
    potential_col: str = "potential_value",
    current_cut: float | None = None,
    potential_cut: float | None = None,
    current_quantile: float = 0.5,
    potential_quantile: float = 0.5,
    resource_shares: dict[str, float] | None = None,
) -> ValueMatrix:
    """Put each customer in one of the four classes of the value matrix.

    Parameters
    ----------
    customers : DataFrame
        One row per customer.
    current_col, potential_col : str
        Columns holding current value (realised revenue or profit) and potential value (expected
        future value, e.g. `crmlab.value.clv.customer_value`).
    current_cut, potential_cut : float, optional
        A customer is "high" on a value when it is >= the cut point. Default: the quantile below.
    current_quantile, potential_quantile : float
        When no cut point is given, it is this quantile of the values (0.5 = the median).
    resource_shares : dict, optional
        Budget share per class (default `RESOURCE_SHARES`).

    Examples
    --------
    >>> df = pd.DataFrame({"current_value": [10, 10, 1, 1], "potential_value": [5, 1, 5, 1]})
    >>> value_matrix(df, current_cut=5, potential_cut=5).customers["value_class"].tolist()
    ['platinum', 'gold', 'iron', 'lead']
    """
    require_columns(customers, [current_col, potential_col], context="value_matrix")
    require_nonempty(customers, context="value_matrix")
    shares = RESOURCE_SHARES if resource_shares is None else resource_shares
    if set(shares) != set(CLASSES) or abs(sum(shares.values()) - 1) > 1e-9:
        raise ParameterError(t("value.bad_resource_shares", classes=", ".join(CLASSES)))
    numeric = require_finite(customers, [current_col, potential_col], context="value_matrix")
    values = {col: numeric[col] for col in (current_col, potential_col)}
    check_range(current_quantile, "current_quantile", low=0, high=1)
    check_range(potential_quantile, "potential_quantile", low=0, high=1)
    cur_cut = float(values[current_col].quantile(current_quantile)) if current_cut is None else float(current_cut)
    pot_cut = (
        float(values[potential_col].quantile(potential_quantile)) if potential_cut is None else float(potential_cut)
    )
    high_current = values[current_col] >= cur_cut
    high_potential = values[potential_col] >= pot_cut
    out = customers.copy()
    out["value_class"] = [QUADRANTS[(c, p)] for c, p in zip(high_current, high_potential, strict=True)]
    out["value_class"] = pd.Categorical(out["value_class"], categories=list(CLASSES))
    grouped = out.groupby("value_class", observed=False)
    summary = pd.DataFrame(
        {
            "customers": grouped.size(),
            "customer_share": grouped.size() / len(out),
            "current_share": values[current_col].groupby(out["value_class"], observed=False).sum()
            / values[current_col].sum(),
            "potential_share": values[potential_col].groupby(out["value_class"], observed=False).sum()
            / values[potential_col].sum(),
            "resource_share": pd.Series(shares),
        }
    ).reindex(list(CLASSES))
    summary.index = summary.index.astype(str)
    summary = summary.rename_axis("value_class").reset_index()
    return ValueMatrix(out, summary, current_col, potential_col, cur_cut, pot_cut)


def action_table(matrix: ValueMatrix, lang: str | None = None) -> Styler:
    """The class summary for the report: class names, shares as percentages, the recommended action."""
    table = matrix.summary.assign(action=matrix.summary["value_class"])
    kinds = {
        "customers": "count",
        "customer_share": "percent",
        "current_share": "percent",
        "potential_share": "percent",
        "resource_share": "{:.0%}",
    }
    return display_table(
        table,
        headings="value.col",
        kinds=kinds,
        values={"value_class": "value.class", "action": "value.action"},
        columns=[
            "value_class",
            "customers",
            "customer_share",
            "current_share",
            "potential_share",
            "action",
            "resource_share",
        ],
        lang=lang,
    )


#: The 7P views, in order.
SEVEN_P = ("profiling", "persistency", "profitability", "performance", "prospecting", "product", "promotion")


def seven_p(
    matrix: ValueMatrix,
    *,
    top20_share: float,
    gini: float,
    flagged: int,
    lines: pd.DataFrame | None = None,
    lang: str | None = None,
) -> Styler:
    """The 7P summary for the report: for each view, its question and what this data says (or that it cannot).

    Parameters
    ----------
    matrix : ValueMatrix
        The value matrix; its ``customers`` need ``tenure_days``, ``purchase_days`` and ``p_alive``.
    top20_share, gini : float
        Pareto figures of customer value (`crmlab.value.pareto.pareto`).
    flagged : int
        Customers flagged by either churn-warning rule.
    lines : DataFrame, optional
        Cleaned transaction lines with ``item_id`` and ``amount`` for the product view.
    lang : str, optional
        Report language.
    """
    customers = matrix.customers
    require_columns(customers, ["tenure_days", "purchase_days", "p_alive"], context="seven_p")
    classes = matrix.summary["value_class"]
    current = {str(k): float(v) for k, v in zip(classes, matrix.summary["current_share"], strict=True)}
    potential = {str(k): float(v) for k, v in zip(classes, matrix.summary["potential_share"], strict=True)}
    answers = {
        "profiling": t(
            "value.sevena.profiling",
            lang,
            customers=len(customers),
            tenure=float(customers["tenure_days"].median()),
            repeat=float((customers["purchase_days"] > 1).mean()),
        ),
        "persistency": t("value.sevena.persistency", lang, alive=float(customers["p_alive"].mean()), flagged=flagged),
        "profitability": t("value.sevena.profitability", lang, top=top20_share, gini=gini),
        "performance": t(
            "value.sevena.performance",
            lang,
            platinum=current["platinum"],
            gold=current["gold"],
        ),
        "prospecting": t(
            "value.sevena.prospecting" if potential["iron"] >= IRON_WORTH else "value.sevena.prospecting_small",
            lang,
            iron=potential["iron"],
        ),
        "product": t("value.sevena.no_product", lang),
        "promotion": t("value.sevena.promotion", lang),
    }
    if lines is not None and {"item_id", "amount"} <= set(lines.columns) and lines["item_id"].nunique() > 1:
        items = lines.groupby("item_id")["amount"].sum().clip(lower=0).sort_values(ascending=False)
        top = items.iloc[: max(1, round(0.2 * len(items)))].sum() / items.sum()
        answers["product"] = t("value.sevena.product", lang, items=len(items), top=float(top))
    table = pd.DataFrame({"view": SEVEN_P, "question": SEVEN_P, "answer": [answers[v] for v in SEVEN_P]})
    return display_table(
        table,
        headings="value.col",
        kinds={"answer": "text"},
        values={"view": "value.sevenp", "question": "value.sevenq"},
        lang=lang,
    )
