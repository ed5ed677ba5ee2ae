"""Exit classification (客户退出管理): nine AHP factors -> good / medium / bad -> exit list.

The steps of notebook ``10-exit-classification``:

1. `factor_weights`: AHP global weights of the nine factors from the hierarchy
   relationship value -> current / potential value -> loyalty / development potential -> factors.
2. `validate_factor_table` and `score_customers`: check a customer (x period) table and add the
   AHP composite score ``ahp_score`` in [0, 1] (min-max scaled factors; the cost factor reversed).
3. `assign_labels`: the good / medium / bad label, from a historical-judgement column or from score
   quantiles.
4. `fit_exit_model`: a scikit-learn MLP on the nine standardised factors, trained on one split of the
   customers and evaluated on the other, against two baselines (AHP-score thresholds and multinomial
   logistic regression), with permutation importance.
5. `flag_exits`, `exit_list`, `checklist`: the k-of-n periods rule, the exit list with each customer's
   factor profile and reasons, and the exit-management checklist with this run's counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupShuffleSplit
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

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
MIN_ROWS_PER_CLASS = 5
_WEIGHT_COLUMNS = {"leaf": "factor", "path": "path", "local_weight": "local_weight", "global_weight": "global_weight"}


@dataclass(frozen=True)
class ExitModel:
    """A trained exit classifier and its evaluation on the test split.

    Attributes
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Standard scaler + MLPClassifier, fitted on the training split.
    factors : tuple of str
        Input columns, in order.
    hidden_layers : tuple of int
        Sizes of the hidden layers.
    confusion : pandas.DataFrame
        Test confusion matrix: rows are the true labels, columns the predicted ones (`LABELS` order).
    report : pandas.DataFrame
        Per class: ``precision``, ``recall``, ``f1``, ``support`` on the test split.
    macro_f1 : float
        Test macro F1 of the network.
    baselines : pandas.Series
        Test macro F1 of each baseline: ``ahp_thresholds`` and ``logistic``.
    importance : pandas.DataFrame
        Permutation importance on the test split (drop in macro F1): ``factor``, ``mean``, ``std``,
        largest first.
    predictions : pandas.DataFrame
        Every row of the input: ``customer_id``, ``period``, ``label``, ``predicted`` and ``split``
        (``train`` / ``test``).
    """

    pipeline: Pipeline
    factors: tuple[str, ...]
    hidden_layers: tuple[int, ...]
    confusion: pd.DataFrame
    report: pd.DataFrame
    macro_f1: float
    baselines: pd.Series
    importance: pd.DataFrame
    predictions: pd.DataFrame

    @property
    def baseline_macro_f1(self) -> float:
        """Macro F1 of the best baseline."""
        return float(self.baselines.max())

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Input, hidden and output layer sizes."""
        return (len(self.factors), *self.hidden_layers, len(LABELS))


@dataclass(frozen=True)
class ExitFlags:
    """The k-of-n periods rule applied to the network's predictions.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per customer: ``customer_id``, ``periods_seen`` and ``bad_periods`` (within the last
        n periods), ``bad_latest`` (bad in the latest period) and ``flagged`` (bad in at least k).
    k_periods, n_periods : int
        The rule actually applied (reduced when the data has fewer than n periods).
    periods : tuple
        The last n periods of the data.
    """

    table: pd.DataFrame
    k_periods: int
    n_periods: int
    periods: tuple[object, ...]

    @property
    def n_customers(self) -> int:
        """Customers judged."""
        return len(self.table)

    @property
    def n_flagged(self) -> int:
        """Customers on the exit list."""
        return int(self.table["flagged"].sum())

    @property
    def n_point_in_time(self) -> int:
        """Customers a one-period view would call bad (bad in the latest period)."""
        return int(self.table["bad_latest"].sum())

    @property
    def n_spared(self) -> int:
        """Customers bad in the latest period but not flagged: to watch, not to exit."""
        return int((self.table["bad_latest"] & ~self.table["flagged"]).sum())

    @property
    def bad_share(self) -> float:
        """Share of customers on the exit list."""
        return self.n_flagged / self.n_customers if self.n_customers else 0.0


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
    """
    given = dict(matrices or {})
    unknown = [name for name in given if name not in HIERARCHY]
    if unknown:
        raise ParameterError(f"Unknown AHP criteria {unknown}; the criteria are {', '.join(HIERARCHY)}.")
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
    context = "factor table"
    require_nonempty(df, context=context)
    require_columns(df, [customer_col, *factors], context=context)
    out = require_numeric(df, factors, context=context)
    for factor in factors:
        empty = np.flatnonzero(out[factor].isna().to_numpy())
        if len(empty):
            rows = ", ".join(str(i + 1) for i in empty[:5])
            raise InputError(
                f"{context}: column {factor!r} has {len(empty)} empty cells (rows {rows}). "
                "Fill them in or drop those customers before the analysis."
            )
        out[factor] = out[factor].astype("float64")
    out[customer_col] = out[customer_col].astype("str")
    if period_col not in out.columns:
        out[period_col] = 1
    repeated = out.duplicated([customer_col, period_col])
    if repeated.any():
        first = out.loc[repeated, customer_col].iloc[0]
        raise InputError(
            f"{context}: customer {first!r} appears more than once in period "
            f"{out.loc[repeated, period_col].iloc[0]!r} ({int(repeated.sum())} repeated rows). "
            f"Keep one row per customer and period, or add a {period_col!r} column."
        )
    if label_col is not None:
        require_columns(out, [label_col], context=context)
        out[label_col] = normalise_labels(out[label_col], column=label_col)
    return out


def normalise_labels(labels: pd.Series, *, column: str = "label") -> pd.Series:
    """Map label spellings (good/medium/bad, 好/中/坏) to `LABELS`; unknown values raise InputError."""
    keys = labels.astype("str").str.strip().str.lower()
    mapped = keys.map(LABEL_ALIASES)
    bad = np.flatnonzero(mapped.isna().to_numpy())
    if len(bad):
        shown = "; ".join(f"row {i + 1}: {labels.iloc[i]!r}" for i in bad[:5])
        raise InputError(
            f"Label column {column!r} has {len(bad)} values that are not good / medium / bad "
            f"(好 / 中 / 坏): {shown}. Recode them, or use label_source='score'."
        )
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
    """Min-max scale ``factors`` to [0, 1] (reversed for cost factors); a constant column gives 0.5."""
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
    """
    if source not in LABEL_SOURCES:
        raise ParameterError(f"label_source must be 'column' or 'score', got {source!r}.")
    out = df.copy()
    if source == "column":
        require_columns(out, [label_col], context="factor table")
        out[LABEL_COL] = normalise_labels(out[label_col], column=label_col).to_numpy()
        return out
    low, high = _check_quantiles(quantiles)
    cut_low, cut_high = out[SCORE_COL].quantile([low, high]).to_numpy()
    out[LABEL_COL] = threshold_labels(out[SCORE_COL], float(cut_low), float(cut_high))
    return out


def _check_quantiles(quantiles: Sequence[float]) -> tuple[float, float]:
    values = [float(q) for q in quantiles]
    if len(values) != 2 or not 0 < values[0] < values[1] < 1:
        raise ParameterError(
            f"score_quantiles must be two numbers 0 < low < high < 1 (e.g. [0.2, 0.7]), got {list(quantiles)}."
        )
    return values[0], values[1]


def threshold_labels(score: pd.Series, low: float, high: float) -> np.ndarray:
    """Label scores: bad below ``low``, good above ``high``, medium between."""
    values = score.to_numpy()
    return np.select([values < low, values > high], ["bad", "good"], "medium")


def _split(
    df: pd.DataFrame, labels: pd.Series, *, customer_col: str, test_share: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and test row positions, with all rows of a customer on the same side."""
    counts = labels.value_counts()
    if len(counts) < 2:
        raise InputError(
            f"Every row has the label {counts.index[0]!r}; a classifier needs at least two classes. "
            "Check the label column, or use label_source='score'."
        )
    if not 0 < test_share < 1:
        raise ParameterError(f"test_share must be between 0 and 1, got {test_share}.")
    needed = int(np.ceil(MIN_ROWS_PER_CLASS / min(test_share, 1 - test_share)))
    small = counts[counts < needed]
    if len(small):
        raise InputError(
            f"Too few rows for a train/test split: class {small.index[0]!r} has {int(small.iloc[0])} rows, "
            f"at least {needed} are needed so that both splits hold {MIN_ROWS_PER_CLASS} of each class. "
            "Add more customers or periods."
        )
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_share, random_state=seed)
    train, test = next(splitter.split(df, labels, groups=df[customer_col]))
    for name, rows in (("training", train), ("test", test)):
        missing = set(counts.index) - set(labels.iloc[rows])
        if missing:
            raise InputError(f"The {name} split has no rows labelled {sorted(missing)}; add more customers.")
    return train, test


def fit_exit_model(
    df: pd.DataFrame,
    *,
    factors: Sequence[str] = FACTORS,
    hidden_layers: Sequence[int] = (16,),
    test_share: float = 0.3,
    seed: int = 0,
    customer_col: str = "customer_id",
    period_col: str = "period",
    n_repeats: int = 5,
    alpha: float = 1.0,
) -> ExitModel:
    """Train the MLP on one split of the customers, evaluate it and its baselines on the other.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of `assign_labels` (factors, ``ahp_score``, ``exit_label``).
    factors : sequence of str
        Input columns.
    hidden_layers : sequence of int
        Neurons per hidden layer, e.g. ``[16]`` or ``[32, 16]``.
    test_share : float
        Share of customers held out for the test.
    seed : int
        Seed of the split, the network's initial weights and the permutations.
    customer_col, period_col : str
        Identifier and period columns.
    n_repeats : int
        Permutations per factor for the importance.
    alpha : float
        L2 penalty of the network's weights; the strong default keeps a small network from
        over-fitting a few thousand rows.

    Returns
    -------
    ExitModel

    Raises
    ------
    InputError
        A single class, or too few rows of a class for the split.
    ParameterError
        Empty or non-positive ``hidden_layers``, or ``test_share`` outside (0, 1).
    """
    layers = tuple(int(n) for n in hidden_layers)
    if not layers or min(layers) < 1:
        raise ParameterError(
            f"hidden_layers must list one or more positive sizes, e.g. [16]; got {list(hidden_layers)}."
        )
    require_columns(df, [*factors, SCORE_COL, LABEL_COL, customer_col], context="factor table")
    labels = df[LABEL_COL].astype("str")
    train, test = _split(df, labels, customer_col=customer_col, test_share=test_share, seed=seed)
    x = df[list(factors)].to_numpy(dtype="float64")
    y = labels.to_numpy()
    network = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=layers, alpha=alpha, max_iter=1000, random_state=seed),
    )
    network.fit(x[train], y[train])
    predicted = network.predict(x)
    present = [c for c in LABELS if c in set(y)]
    macro = float(f1_score(y[test], predicted[test], labels=present, average="macro"))
    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x[train], y[train])
    baselines = pd.Series(
        {
            "ahp_thresholds": _ahp_baseline(df[SCORE_COL], y, train, test, present),
            "logistic": float(f1_score(y[test], logistic.predict(x[test]), labels=present, average="macro")),
        },
        name="macro_f1",
    )
    importance = permutation_importance(
        network, x[test], y[test], scoring="f1_macro", n_repeats=n_repeats, random_state=seed
    )
    period = df[period_col] if period_col in df.columns else pd.Series(1, index=df.index)
    split = np.full(len(df), "train", dtype=object)
    split[test] = "test"
    return ExitModel(
        pipeline=network,
        factors=tuple(factors),
        hidden_layers=layers,
        confusion=pd.DataFrame(
            confusion_matrix(y[test], predicted[test], labels=present), index=present, columns=present
        ),
        report=_report(y[test], predicted[test], present),
        macro_f1=macro,
        baselines=baselines,
        importance=pd.DataFrame(
            {"factor": list(factors), "mean": importance.importances_mean, "std": importance.importances_std}
        ).sort_values("mean", ascending=False, ignore_index=True),
        predictions=pd.DataFrame(
            {
                customer_col: df[customer_col].to_numpy(),
                period_col: period.to_numpy(),
                "label": y,
                "predicted": predicted,
                "split": split,
            }
        ),
    )


def _ahp_baseline(score: pd.Series, y: np.ndarray, train: np.ndarray, test: np.ndarray, present: list[str]) -> float:
    """Macro F1 of AHP-score thresholds set so the training split's class shares are reproduced."""
    train_labels = pd.Series(y[train])
    bad_share = float((train_labels == "bad").mean())
    good_share = float((train_labels == "good").mean())
    train_score = score.iloc[train]
    low = float(train_score.quantile(bad_share)) if bad_share > 0 else -np.inf
    high = float(train_score.quantile(1 - good_share)) if good_share > 0 else np.inf
    guess = threshold_labels(score.iloc[test], low, high)
    return float(f1_score(y[test], guess, labels=present, average="macro"))


def _report(truth: np.ndarray, guess: np.ndarray, labels: list[str]) -> pd.DataFrame:
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    return pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support}, index=pd.Index(labels, name="class")
    )


def flag_exits(
    predictions: pd.DataFrame,
    *,
    k_periods: int = 2,
    n_periods: int = 3,
    customer_col: str = "customer_id",
    period_col: str = "period",
    predicted_col: str = "predicted",
) -> ExitFlags:
    """Flag customers predicted bad in at least ``k_periods`` of the last ``n_periods`` periods.

    When the data has fewer than ``n_periods`` periods, all of them are used and ``k_periods`` is
    capped at that number (with one period this is a point-in-time judgement).

    Parameters
    ----------
    predictions : pandas.DataFrame
        ``ExitModel.predictions`` (or any frame with customer, period and predicted columns).
    k_periods, n_periods : int
        The rule: bad in at least k of the last n periods, ``1 <= k <= n``.
    customer_col, period_col, predicted_col : str
        Column names.

    Returns
    -------
    ExitFlags
    """
    if not 1 <= k_periods <= n_periods:
        raise ParameterError(f"Need 1 <= k_periods <= n_periods, got k_periods={k_periods}, n_periods={n_periods}.")
    require_columns(predictions, [customer_col, period_col, predicted_col], context="predictions")
    periods = sorted(predictions[period_col].unique())[-n_periods:]
    k = min(k_periods, len(periods))
    recent = predictions[predictions[period_col].isin(periods)]
    is_bad = recent[predicted_col].eq("bad")
    grouped = is_bad.groupby(recent[customer_col], sort=True)
    latest = predictions[predictions[period_col] == periods[-1]]
    bad_latest = latest.set_index(customer_col)[predicted_col].eq("bad")
    table = pd.DataFrame({"periods_seen": grouped.size(), "bad_periods": grouped.sum().astype(int)})
    table["bad_latest"] = bad_latest.reindex(table.index, fill_value=False).astype(bool)
    table["flagged"] = table["bad_periods"] >= k
    table = table.rename_axis(customer_col).reset_index()
    return ExitFlags(table=table, k_periods=k, n_periods=len(periods), periods=tuple(periods))


def exit_list(
    df: pd.DataFrame,
    flags: ExitFlags,
    *,
    factors: Sequence[str] = FACTORS,
    cost_factors: frozenset[str] = COST_FACTORS,
    customer_col: str = "customer_id",
    period_col: str = "period",
    n_reasons: int = 3,
    lang: str | None = None,
) -> pd.DataFrame:
    """The flagged customers with their latest factor profile and the reasons.

    The profile is each customer's latest row. The reasons are the ``n_reasons`` factors furthest
    below the average of all customers' latest rows, in standard deviations (a cost factor counts as
    below average when it is above).

    Parameters
    ----------
    df : pandas.DataFrame
        The scored table (factors and ``ahp_score``).
    flags : ExitFlags
        Output of `flag_exits`.
    factors : sequence of str
        The factor columns.
    cost_factors : frozenset of str
        Factors where higher is worse.
    customer_col, period_col : str
        Column names.
    n_reasons : int
        Factors named per customer.
    lang : str, optional
        Language of the reasons (default: the current language).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``bad_periods``, ``periods_seen``, ``ahp_score``, the factors and
        ``reasons``; lowest score first.
    """
    latest = df.sort_values(period_col).drop_duplicates(customer_col, keep="last").set_index(customer_col)
    values = latest[list(factors)]
    goodness = (values - values.mean()) / values.std(ddof=0).replace(0.0, np.nan)
    for factor in cost_factors & set(factors):
        goodness[factor] = -goodness[factor]
    goodness = goodness.fillna(0.0)
    flagged = flags.table[flags.table["flagged"]].set_index(customer_col)
    ids = [c for c in flagged.index if c in latest.index]
    reasons = [_reasons(goodness.loc[c], n_reasons, lang) for c in ids]
    out = pd.DataFrame(
        {
            customer_col: ids,
            "bad_periods": flagged.loc[ids, "bad_periods"].to_numpy(),
            "periods_seen": flagged.loc[ids, "periods_seen"].to_numpy(),
            SCORE_COL: latest.loc[ids, SCORE_COL].round(4).to_numpy() if SCORE_COL in latest else np.nan,
        }
    )
    profile = latest.loc[ids, list(factors)].round(4).reset_index(drop=True)
    out = pd.concat([out, profile], axis=1)
    out["reasons"] = reasons
    return out.sort_values(SCORE_COL, ignore_index=True)


def _reasons(goodness: pd.Series, n: int, lang: str | None) -> str:
    worst = goodness.nsmallest(n)
    parts = [
        t("exit.reason", lang, factor=t(f"exit.factor.{f}", lang), sd=f"{v:+.1f}") for f, v in worst.items() if v < 0
    ]
    return t("exit.reason_sep", lang).join(parts)


def write_exit_list(table: pd.DataFrame, output_dir: str | Path, *, name: str = "exit_list.csv") -> Path:
    """Write the exit list as UTF-8 CSV with a byte-order mark (Excel opens Chinese correctly)."""
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    table.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def checklist(flags: ExitFlags, *, lang: str | None = None) -> str:
    """The exit-management checklist (prepare / exit step by step / after the exit) as Markdown.

    The counts of this run are filled in: customers tracked, periods, customers flagged, those bad
    in every period of the window (start with them), and those bad only lately (watch, don't exit).
    """
    table = flags.table
    values = {
        "customers": flags.n_customers,
        "periods": flags.n_periods,
        "k": flags.k_periods,
        "flagged": flags.n_flagged,
        "always": int((table["flagged"] & (table["bad_periods"] >= table["periods_seen"])).sum()),
        "spared": flags.n_spared,
    }
    lines = [f"### {t('exit.checklist.title', lang)}", ""]
    for section, items in (("prepare", 3), ("exit", 4), ("after", 3)):
        lines += [f"**{t(f'exit.checklist.{section}', lang)}**", ""]
        lines += [f"- [ ] {t(f'exit.checklist.{section}_{i}', lang, **values)}" for i in range(1, items + 1)]
        lines.append("")
    return "\n".join(lines)


def weights_table(result: HierarchyResult, *, lang: str | None = None) -> pd.DataFrame:
    """The nine factors' path, local and global weights, with headers and names in ``lang``."""
    table = result.table.copy()
    table["leaf"] = [t(f"exit.factor.{f}", lang) for f in table["leaf"]]
    table["path"] = [" > ".join(t(f"exit.criterion.{c}", lang) for c in path.split(" > ")) for path in table["path"]]
    columns = {c: t(f"exit.col.{key}", lang) for c, key in _WEIGHT_COLUMNS.items()}
    return table.rename(columns=columns).round(4)


def consistency_table(result: HierarchyResult, *, lang: str | None = None) -> pd.DataFrame:
    """One row per comparison matrix: order n, λmax, CI, RI and CR."""
    rows = [
        {
            t("exit.col.matrix", lang): t(f"exit.criterion.{name}", lang),
            "n": len(node.weights),
            "λmax": round(node.lambda_max, 4),
            "CI": round(node.ci, 4),
            "RI": node.ri,
            "CR": round(node.cr, 4),
        }
        for name, node in result.nodes.items()
    ]
    return pd.DataFrame(rows)


def comparison_table(model: ExitModel, *, lang: str | None = None) -> pd.DataFrame:
    """Test macro F1 of the network and of each baseline."""
    scores = pd.concat([pd.Series({"network": model.macro_f1}), model.baselines])
    return pd.DataFrame(
        {
            t("exit.col.model", lang): [t(f"exit.baseline.{name}", lang) for name in scores.index],
            t("exit.col.macro_f1", lang): scores.round(3).to_numpy(),
        }
    )


def class_report(model: ExitModel, *, lang: str | None = None) -> pd.DataFrame:
    """Per-class precision, recall, F1 and support on the test split, headers in ``lang``."""
    report = model.report.round(3)
    report.index = [t(f"exit.label.{c}", lang) for c in report.index]
    report.index.name = t("exit.col.class", lang)
    return report.rename(columns={c: t(f"exit.col.{c}", lang) for c in report.columns})
