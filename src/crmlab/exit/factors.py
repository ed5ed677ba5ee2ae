"""The nine exit factors: AHP weights, the checked factor table, the composite score and the labels.

Steps 1 to 3 of notebook ``10-exit-classification``:

1. `factor_weights`: AHP global weights of the nine factors from the hierarchy
   relationship value -> current / potential value -> loyalty / development potential -> factors
   (`weights_table`, `consistency_table` show them).
2. `validate_factor_table` and `score_customers`: check a customer (x period) table and add the
   AHP composite score ``ahp_score`` in [0, 1] (min-max scaled factors; the cost factor reversed).
3. `assign_labels`: the good / medium / bad label, from a historical-judgement column or from score
   quantiles (`labels_text` says where they came from).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_choice, check_range, row_examples, row_numbers
from crmlab.core.display import display_table
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_nonempty, require_numeric
from crmlab.exit.ahp import HierarchyResult, Matrix, hierarchy_weights

#: The nine input factors, in the order of the hierarchy.
FACTORS: tuple[str, ...] = (
    "unit_profit",
    "purchase_volume",
    "service_cost",
    "price_premium",
    "repeat_rate",
    "income_growth",
    "value_added_rate",
    "word_of_mouth",
    "innovation",
)
#: Factors where a higher value lowers the customer's value.
COST_FACTORS: frozenset[str] = frozenset({"service_cost"})
#: Factors measured in money (the others are rates or scores).
MONEY_FACTORS: frozenset[str] = frozenset({"unit_profit", "service_cost"})

#: The AHP hierarchy: each criterion and the elements compared under it, in matrix order.
HIERARCHY: dict[str, list[str]] = {
    "value": ["current", "potential"],
    "current": ["unit_profit", "purchase_volume", "service_cost"],
    "potential": ["loyalty", "development"],
    "loyalty": ["price_premium", "repeat_rate"],
    "development": ["income_growth", "value_added_rate", "word_of_mouth", "innovation"],
}
ROOT = "value"

#: Default pairwise comparisons (Saaty 1-9 scale), one matrix per criterion of `HIERARCHY`.
DEFAULT_MATRICES: dict[str, list[list[float | str]]] = {
    "value": [[1, 2], ["1/2", 1]],
    "current": [[1, 1, 3], [1, 1, 3], ["1/3", "1/3", 1]],
    "potential": [[1, 2], ["1/2", 1]],
    "loyalty": [[1, "1/2"], [2, 1]],
    "development": [[1, 1, 2, 3], [1, 1, 2, 3], ["1/2", "1/2", 1, 2], ["1/3", "1/3", "1/2", 1]],
}

#: Class labels, best first.
LABELS: tuple[str, ...] = ("good", "medium", "bad")
#: Accepted spellings of the labels in a user's label column.
LABEL_ALIASES: dict[str, str] = {
    "good": "good",
    "medium": "medium",
    "bad": "bad",
    "好": "good",
    "中": "medium",
    "坏": "bad",
    "差": "bad",
    "g": "good",
    "m": "medium",
    "b": "bad",
}
LABEL_SOURCES = ("column", "score")
SCORE_COL = "ahp_score"
LABEL_COL = "exit_label"


def _context() -> str:
    """The name of the factor table at the start of messages, in the current language."""
    return t("exit.context.factor_table")


def factor_weights(matrices: Mapping[str, Matrix] | None = None) -> HierarchyResult:
    """AHP global weights of the nine factors.

    Parameters
    ----------
    matrices : mapping, optional
        One pairwise-comparison matrix per criterion of `HIERARCHY` (``value``, ``current``,
        ``potential``, ``loyalty``, ``development``); missing ones take `DEFAULT_MATRICES`.

    Returns
    -------
    HierarchyResult
        ``global_weights`` indexed by factor, in `FACTORS` order.

    Raises
    ------
    ParameterError
        Unknown criterion, wrong matrix size or a matrix with CR >= 0.10.

    Examples
    --------
    >>> round(float(factor_weights().global_weights["unit_profit"]), 4)
    0.2857
    """
    given = dict(matrices or {})
    for name in given:
        check_choice(name, "matrices", tuple(HIERARCHY))
    result = hierarchy_weights({**DEFAULT_MATRICES, **given}, HIERARCHY, root=ROOT)
    return HierarchyResult(
        nodes=result.nodes,
        table=result.table,
        global_weights=result.global_weights.reindex(list(FACTORS)),
    )


def validate_factor_table(
    df: pd.DataFrame,
    *,
    factors: Sequence[str] = FACTORS,
    customer_col: str = "customer_id",
    period_col: str = "period",
    label_col: str | None = None,
) -> pd.DataFrame:
    """Check a nine-factor table; return a clean copy.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer, or per customer and period.
    factors : sequence of str
        The factor columns (numbers, no empty cells).
    customer_col : str
        Customer identifier column; returned as text.
    period_col : str
        Period column; when absent, every row gets period 1 (a single point in time).
    label_col : str, optional
        Historical label column to check and normalise to good / medium / bad (好 / 中 / 坏 accepted).

    Returns
    -------
    pandas.DataFrame
        Same rows; ``customer_col`` as text, factors as floats, ``period_col`` present, labels
        normalised. A customer may appear once per period.

    Raises
    ------
    InputError
        Missing column, non-numeric or empty factor cells, unknown labels, or a customer repeated
        within one period.
    """
    context = _context()
    require_nonempty(df, context=context)
    require_columns(df, [customer_col, *factors], context=context)
    out = require_numeric(df, factors, context=context)
    for factor in factors:
        empty = np.flatnonzero(out[factor].isna().to_numpy())
        if len(empty):
            raise InputError(
                t("exit.empty_factor", context=context, column=factor, n=len(empty), rows=row_numbers(empty))
            )
        out[factor] = out[factor].astype("float64")
    out[customer_col] = out[customer_col].astype("str")
    if period_col not in out.columns:
        out[period_col] = 1
    repeated = np.flatnonzero(out.duplicated([customer_col, period_col]).to_numpy())
    if len(repeated):
        period = out[period_col].iloc[repeated[0]]
        raise InputError(
            t(
                "exit.repeated_customer",
                context=context,
                customer=repr(out[customer_col].iloc[repeated[0]]),
                period=repr(period.item() if isinstance(period, np.generic) else period),
                n=len(repeated),
                rows=row_numbers(repeated),
                period_col=period_col,
            )
        )
    if label_col is not None:
        require_columns(out, [label_col], context=context)
        out[label_col] = normalise_labels(out[label_col], column=label_col)
    return out


def normalise_labels(labels: pd.Series, *, column: str = "label") -> pd.Series:
    """Map label spellings (good/medium/bad, 好/中/坏) to `LABELS`; unknown values raise InputError.

    Examples
    --------
    >>> normalise_labels(pd.Series(["好", " Bad", "m"])).tolist()
    ['good', 'bad', 'medium']
    """
    keys = labels.astype("str").str.strip().str.lower()
    mapped = keys.map(LABEL_ALIASES)
    bad = np.flatnonzero(mapped.isna().to_numpy())
    if len(bad):
        raise InputError(t("exit.unknown_label", column=column, n=len(bad), examples=row_examples(bad, labels)))
    mapped.name = labels.name
    return mapped


def score_customers(
    df: pd.DataFrame,
    weights: pd.Series,
    *,
    cost_factors: frozenset[str] = COST_FACTORS,
) -> pd.DataFrame:
    """Add the AHP composite score ``ahp_score`` in [0, 1].

    Each factor is min-max scaled over all rows (a cost factor is reversed, so lower cost scores
    higher); the score is the weighted sum with the AHP global weights.

    Parameters
    ----------
    df : pandas.DataFrame
        A table checked by `validate_factor_table`.
    weights : pandas.Series
        Global weight of each factor (index = factor columns), summing to one.
    cost_factors : frozenset of str
        Factors where higher is worse.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``ahp_score``.
    """
    scaled = scale_factors(df, list(weights.index), cost_factors=cost_factors)
    out = df.copy()
    out[SCORE_COL] = scaled.to_numpy() @ weights.to_numpy()
    return out


def scale_factors(
    df: pd.DataFrame, factors: Sequence[str], *, cost_factors: frozenset[str] = COST_FACTORS
) -> pd.DataFrame:
    """Min-max scale ``factors`` to [0, 1] (reversed for cost factors); a constant column gives 0.5.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit_profit": [1.0, 3.0], "service_cost": [1.0, 3.0], "innovation": [2.0, 2.0]})
    >>> scale_factors(frame, ["unit_profit", "service_cost", "innovation"]).to_numpy().tolist()
    [[0.0, 1.0, 0.5], [1.0, 0.0, 0.5]]
    """
    values = df[list(factors)].astype("float64")
    low, high = values.min(), values.max()
    span = (high - low).replace(0.0, np.nan)
    scaled = ((values - low) / span).fillna(0.5)
    for factor in cost_factors & set(factors):
        scaled[factor] = 1.0 - scaled[factor]
    return scaled


def assign_labels(
    df: pd.DataFrame,
    *,
    source: str = "column",
    label_col: str = "label",
    quantiles: Sequence[float] = (0.2, 0.7),
) -> pd.DataFrame:
    """Add the good / medium / bad label ``exit_label``.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of `score_customers`.
    source : {"column", "score"}
        ``"column"``: historical judgement in ``label_col``. ``"score"``: rows with an AHP score
        below the ``quantiles[0]`` quantile are bad, above the ``quantiles[1]`` quantile good.
    label_col : str
        The historical label column (for ``source="column"``).
    quantiles : pair of float
        Score quantiles for ``source="score"``, ``0 < low < high < 1``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``exit_label``.

    Raises
    ------
    ParameterError
        ``source`` is not ``column`` or ``score``, or ``quantiles`` is not an increasing pair in (0, 1).
    InputError
        The label column is missing or holds unknown labels.
    """
    check_choice(source, "label_source", LABEL_SOURCES)
    out = df.copy()
    if source == "column":
        require_columns(out, [label_col], context=_context())
        out[LABEL_COL] = normalise_labels(out[label_col], column=label_col).to_numpy()
        return out
    low, high = _check_quantiles(quantiles)
    cut_low, cut_high = out[SCORE_COL].quantile([low, high]).to_numpy()
    out[LABEL_COL] = threshold_labels(out[SCORE_COL], float(cut_low), float(cut_high))
    return out


def _check_quantiles(quantiles: Sequence[float]) -> tuple[float, float]:
    """The pair ``(low, high)``, each in (0, 1) and increasing, else ParameterError."""
    values = list(quantiles)
    if len(values) != 2:
        raise ParameterError(t("exit.quantiles_pair", value=values))
    low, high = (check_range(q, "score_quantiles", low=0, high=1, low_open=True, high_open=True) for q in values)
    if low >= high:
        raise ParameterError(t("exit.quantiles_pair", value=values))
    return low, high


def threshold_labels(score: pd.Series, low: float, high: float) -> np.ndarray:
    """Label scores: bad below ``low``, good above ``high``, medium between.

    Examples
    --------
    >>> threshold_labels(pd.Series([0.1, 0.5, 0.9]), 0.2, 0.7).tolist()
    ['bad', 'medium', 'good']
    """
    values = score.to_numpy()
    return np.select([values < low, values > high], ["bad", "good"], "medium")


def weights_table(result: HierarchyResult, *, lang: str | None = None) -> Styler:
    """The nine factors' path in the hierarchy, local and global weights, in ``lang``."""
    table = result.table.rename(columns={"leaf": "factor"})
    table["path"] = [" > ".join(t(f"exit.criterion.{c}", lang) for c in path.split(" > ")) for path in table["path"]]
    return display_table(
        table,
        headings="exit.col",
        kinds={"local_weight": "score", "global_weight": "score"},
        values={"factor": "exit.factor"},
        lang=lang,
    )


def consistency_table(result: HierarchyResult, *, lang: str | None = None) -> Styler:
    """One row per comparison matrix: order n, λmax, CI, RI and CR."""
    nodes = list(result.nodes.values())
    table = pd.DataFrame(
        {
            "matrix": list(result.nodes),
            "n": [len(node.weights) for node in nodes],
            "lambda_max": [node.lambda_max for node in nodes],
            "ci": [node.ci for node in nodes],
            "ri": [node.ri for node in nodes],
            "cr": [node.cr for node in nodes],
        }
    )
    return display_table(
        table,
        headings="exit.col",
        kinds={"n": "count", "lambda_max": "{:.4f}", "ci": "{:.4f}", "ri": "{:.2f}", "cr": "{:.4f}"},
        values={"matrix": "exit.criterion"},
        lang=lang,
    )


def consistency_text(result: HierarchyResult, *, lang: str | None = None) -> str:
    """The sentence under the consistency table: how many matrices pass, and the largest CR."""
    max_cr = max(node.cr for node in result.nodes.values())
    return t("exit.text.consistency", lang, n=len(result.nodes), cr=max_cr)


def weights_text(result: HierarchyResult, *, top: int = 3, lang: str | None = None) -> str:
    """The sentence under the weights: current against potential value, and the heaviest factors."""
    value = result.nodes[ROOT].weights
    heaviest = result.global_weights.sort_values(ascending=False, kind="stable").head(top)
    names = [
        t("exit.text.weight_item", lang, factor=t(f"exit.factor.{f}", lang), weight=w) for f, w in heaviest.items()
    ]
    sep = t("common.list_sep", lang)
    return t("exit.text.weights", lang, current=value["current"], potential=value["potential"], top=sep.join(names))


def _factor_kind(factor: str) -> str:
    """Money factors with two decimals; rates and scores with three (a rate of 0.004 stays visible)."""
    return "money" if factor in MONEY_FACTORS else "score"


def scores_table(
    df: pd.DataFrame,
    *,
    label_col: str | None = None,
    n_rows: int = 5,
    factors: Sequence[str] = tuple(HIERARCHY["current"]),
    customer_col: str = "customer_id",
    period_col: str = "period",
    lang: str | None = None,
) -> Styler:
    """The ``n_rows`` lowest-scored rows of the scored table: score, label and the current-value factors.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of `score_customers`.
    label_col : str, optional
        The historical judgement, shown when given and present.
    n_rows : int
        Rows shown.
    factors : sequence of str
        The factor columns shown after the score and the label (default: the current-value ones;
        all nine would make the table scroll sideways).
    customer_col, period_col : str
        Identifier and period columns.
    lang : str, optional
        Language of the headings and labels (default: the current language).
    """
    shown = [customer_col, period_col, SCORE_COL]
    shown += [label_col] if label_col is not None and label_col in df.columns else []
    lowest = df.nsmallest(n_rows, SCORE_COL)
    return display_table(
        lowest,
        headings=("exit.col", "exit.factor"),
        kinds={SCORE_COL: "score", period_col: "text", **{f: _factor_kind(f) for f in factors}},
        values={label_col: "exit.label"} if label_col is not None else {},
        columns=[*shown, *factors],
        lang=lang,
    )


def data_text(
    df: pd.DataFrame, *, customer_col: str = "customer_id", period_col: str = "period", lang: str | None = None
) -> str:
    """The sentence describing the table: rows, customers and periods."""
    return t(
        "exit.text.data", lang, rows=len(df), customers=df[customer_col].nunique(), periods=df[period_col].nunique()
    )


def labels_text(
    df: pd.DataFrame,
    *,
    source: str = "column",
    label_col: str = "label",
    quantiles: Sequence[float] = (0.2, 0.7),
    lang: str | None = None,
) -> str:
    """The sentence on the labels of `assign_labels`: their source and count of each class.

    When ``df`` also has the historical judgement ``label_col``, a second sentence says how often
    the judgement and the score quantiles agree.
    """
    check_choice(source, "label_source", LABEL_SOURCES)
    low, high = _check_quantiles(quantiles)
    counts = df[LABEL_COL].value_counts()
    where = (
        t("exit.text.source_column", lang, col=label_col)
        if source == "column"
        else t("exit.text.source_score", lang, low=low, high=high)
    )
    text = t("exit.text.labels", lang, source=where, **{label: int(counts.get(label, 0)) for label in LABELS})
    if label_col in df.columns:
        by_score = assign_labels(df, source="score", quantiles=quantiles)[LABEL_COL]
        by_column = assign_labels(df, source="column", label_col=label_col)[LABEL_COL]
        text += "\n\n" + t("exit.text.agreement", lang, share=float((by_score == by_column).mean()))
    return text
