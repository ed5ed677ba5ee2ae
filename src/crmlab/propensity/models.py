"""The shared propensity pipeline: fraud, defection and response models.

One binary target, any labelled table. The steps are

1. `prepare` - pick the features, detect numeric and categorical columns, drop ID-like, constant,
   empty and date columns (saying why), and code the target as 0/1.
2. `split` - an independent test set: time-based when a date column exists, else stratified.
3. `build_models` - four scikit-learn Pipelines (regularised logistic regression, gradient boosting,
   a neural network and a shallow decision tree), each with its own preprocessing (imputation,
   scaling, one-hot encoding with rare categories grouped). With ``balance=True`` every model is
   fitted with balanced sample weights (each class weighs half of the total), and its
   probabilities are mapped back to the real base rate (prior correction), so rankings profit from
   the balance and probabilities stay interpretable.
4. `compare_models` / `cross_validate_models` - stratified k-fold ROC AUC and PR AUC on the
   training data, with out-of-fold scores for choosing a threshold.
5. `evaluate`, `gains_table`, `top_decile_lift`, `calibration_table`, `roc_table`, `pr_table` - test
   set metrics and the tables behind the charts in `crmlab.propensity.charts`.
6. `extract_rules` - the decision tree's leaves as plain-language rules with support and precision.
7. `cost_table` / `choose_threshold` - the threshold that maximises net savings given the cost of
   acting on a case and the loss it prevents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from threadpoolctl import threadpool_limits

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import catalogue, get_lang, t

__all__ = [
    "DROP_REASONS",
    "MODEL_NAMES",
    "POSITIVE_WORDS",
    "Balanced",
    "ModelComparison",
    "Prepared",
    "Split",
    "ThresholdChoice",
    "build_models",
    "calibration_table",
    "choose_threshold",
    "compare_models",
    "cost_table",
    "cross_validate_models",
    "dropped_table",
    "evaluate",
    "extract_rules",
    "feature_frame",
    "fit_models",
    "gains_table",
    "localise_columns",
    "pr_table",
    "prepare",
    "roc_table",
    "score",
    "score_all",
    "split",
    "stack",
    "top_decile_lift",
]

MODEL_NAMES = ("logistic", "gradient_boosting", "mlp", "tree")

#: Why `prepare` drops a column; the notebook translates the code with ``propensity.drop.<code>``.
DROP_REASONS = ("id_like", "constant", "all_missing", "date", "high_cardinality")

#: Target values read as the positive class (compared in lower case) when ``positive`` is not given.
POSITIVE_WORDS = frozenset(
    {"1", "true", "yes", "y", "t", "fraud", "positive", "churn", "churned", "responded", "是", "欺诈", "流失"}
)

_ID_NAME = re.compile(r"(^id$|_id$|^id_|编号|^no$|_no$|号码$|^uuid|^guid)", re.IGNORECASE)
_DATE_NAME = re.compile(r"(date|time|day$|日期|时间)", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Prepared:
    """A labelled table ready for modelling.

    Attributes
    ----------
    X : DataFrame
        The usable features: numeric ones as float, categorical ones as strings (missing stays NaN).
    y : Series
        The target coded 0/1 (int), 1 = ``positive_label``.
    numeric, categorical : tuple of str
        Feature names by type, in the order of ``X``'s columns.
    dropped : dict
        Column -> reason code (one of `DROP_REASONS`) for every candidate column not used.
    positive_label : object
        The original target value coded 1.
    target : str
        The target column's name.
    dates : Series or None
        The date column used for a time-based split, when one exists.
    ids : DataFrame
        The ID-like columns (kept for output files, never used as features).
    """

    X: pd.DataFrame
    y: pd.Series
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    dropped: dict[str, str]
    positive_label: Any
    target: str = ""
    dates: pd.Series | None = None
    ids: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def features(self) -> tuple[str, ...]:
        """All feature names, numeric first."""
        return self.numeric + self.categorical

    @property
    def base_rate(self) -> float:
        """Share of positives."""
        return float(self.y.mean())

    def subset(self, index: pd.Index) -> Prepared:
        """The same preparation restricted to the rows in ``index``."""
        return Prepared(
            X=self.X.loc[index],
            y=self.y.loc[index],
            numeric=self.numeric,
            categorical=self.categorical,
            dropped=self.dropped,
            positive_label=self.positive_label,
            target=self.target,
            dates=None if self.dates is None else self.dates.loc[index],
            ids=self.ids.loc[index] if len(self.ids.columns) else self.ids,
        )


def _positive_label(values: Sequence[Any], target: str, positive: Any) -> Any:
    """The target value coded 1: ``positive`` if given, else a recognised word, else the rarer value."""
    if positive is not None:
        for value in values:
            if value == positive or str(value) == str(positive):
                return value
        raise InputError(
            f"positive={positive!r} is not a value of target column {target!r}; "
            f"its values are {', '.join(map(repr, values))}. Pass one of them as positive."
        )
    for value in values:
        if isinstance(value, (bool, np.bool_)) and value:
            return value
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    if numbers.notna().all() and set(numbers) == {0.0, 1.0}:
        return values[int(np.flatnonzero(numbers == 1.0)[0])]
    words = [v for v in values if str(v).strip().lower() in POSITIVE_WORDS]
    if len(words) == 1:
        return words[0]
    return None


def _code_target(df: pd.DataFrame, target: str, positive: Any) -> tuple[pd.Series, Any]:
    if target not in df.columns:
        raise InputError(
            f"Target column {target!r} is not in the data.{did_you_mean(target, map(str, df.columns))} "
            f"Columns: {', '.join(map(str, df.columns))}."
        )
    raw = df[target]
    labelled = raw.dropna()
    values = list(pd.unique(labelled))
    if len(values) < 2:
        shown = repr(values[0]) if values else "nothing (all missing)"
        raise InputError(
            f"Target column {target!r} has a single class ({shown}); a propensity model needs "
            "examples of both outcomes. Add rows of the other class or choose another target."
        )
    if len(values) > 2:
        shown = ", ".join(map(repr, values[:6])) + (" ..." if len(values) > 6 else "")
        raise InputError(
            f"Target column {target!r} is not binary: it has {len(values)} distinct values ({shown}). "
            "Recode it to two values (e.g. 1 = fraud, 0 = not) or choose another target."
        )
    label = _positive_label(values, target, positive)
    if label is None:
        counts = labelled.value_counts()
        label = counts.index[-1] if counts.iloc[0] != counts.iloc[-1] else sorted(values, key=str)[-1]
    return (labelled == label).astype(int).rename(target), label


def _as_dates(column: pd.Series) -> pd.Series | None:
    """``column`` as datetimes when it holds dates (datetime dtype, or text that parses as dates)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return None
    if not _DATE_NAME.search(str(column.name)):
        return None
    present = column.dropna()
    parsed = pd.to_datetime(present, errors="coerce", format="mixed")
    if len(present) and parsed.notna().mean() >= 0.95:
        return pd.to_datetime(column, errors="coerce", format="mixed")
    return None


def _is_categorical(column: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))


def _drop_reason(column: pd.Series, n_rows: int) -> str | None:
    """The reason code for not using ``column`` as a feature, or None if it is usable."""
    present = column.dropna()
    if present.empty:
        return "all_missing"
    distinct = present.nunique()
    if distinct <= 1:
        return "constant"
    if _is_categorical(column):
        if _ID_NAME.search(str(column.name)) or (distinct == len(present) and len(present) >= 20):
            return "id_like"
        if distinct > max(50, 0.5 * n_rows):
            return "high_cardinality"
        return None
    if pd.api.types.is_integer_dtype(column) and distinct == len(present):
        values = np.sort(present.to_numpy())
        consecutive = bool(np.all(np.diff(values) == 1))
        if _ID_NAME.search(str(column.name)) or consecutive:
            return "id_like"
    if _ID_NAME.search(str(column.name)) and distinct > 0.9 * len(present):
        return "id_like"
    return None


def feature_frame(
    df: pd.DataFrame, *, numeric: Sequence[str], categorical: Sequence[str], context: str = "the data"
) -> pd.DataFrame:
    """The model's input columns of ``df``: numeric ones as float, categorical ones as text (NaN kept).

    Used when preparing and when scoring new cases, so both see the same types.

    Raises
    ------
    InputError
        A column is missing, or a numeric column holds values that are not numbers (the message
        names the column and the first bad rows).
    """
    wanted = [*numeric, *categorical]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise InputError(
            f"{context}: column(s) {', '.join(map(repr, missing))} are missing."
            f"{did_you_mean(str(missing[0]), map(str, df.columns))} The model needs: {', '.join(wanted)}."
        )
    parts = []
    for name in numeric:
        values = pd.to_numeric(df[name], errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy() & df[name].notna().to_numpy())
        if len(bad):
            shown = ", ".join(f"row {i + 1} ({df[name].iloc[i]!r})" for i in bad[:5])
            raise InputError(
                f"{context}: column {name!r} must hold numbers, but {len(bad)} value(s) are not: {shown}. "
                "Fix or blank them."
            )
        parts.append(values.astype(float).rename(name))
    for name in categorical:
        parts.append(df[name].map(lambda v: v if pd.isna(v) else str(v)).astype(object).rename(name))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=df.index)


def prepare(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str] | None = None,
    positive: Any = None,
) -> Prepared:
    """Select and type the features of a labelled table and code its target 0/1.

    Parameters
    ----------
    df : DataFrame
        One row per case (customer, application, claim), the target among its columns. Not mutated.
    target : str
        The column to predict. It must have exactly two distinct values; rows where it is missing
        are left out.
    features : sequence of str, optional
        Candidate feature columns; default all columns but the target.
    positive : object, optional
        The target value that means "yes" (fraud, churned, responded). Default: ``True``, or the one
        value that reads as yes (``1``, ``"yes"``, ``"fraud"``, ``"是"`` ...), else the rarer value.

    Returns
    -------
    Prepared
        Columns that are ID-like (all values unique, or a name such as ``*_id``), constant, empty,
        dates (kept aside for a time-based split) or text with too many values are left out and listed
        in ``dropped`` with their reason. A date column is a datetime column, or a text column whose
        name contains date, time, 日期 or 时间 and whose values parse as dates. Text, category and
        boolean columns are categorical; other numeric columns are numeric.

    Raises
    ------
    InputError
        The target is missing, has a single class or more than two; a feature is not in the data;
        no usable feature is left.
    """
    if df.empty:
        raise InputError("The data has no rows; a propensity model needs labelled examples.")
    y, label = _code_target(df, target, positive)
    rows = df.loc[y.index]
    candidates = [c for c in df.columns if c != target] if features is None else list(features)
    missing = [c for c in candidates if c not in df.columns]
    if missing:
        raise InputError(
            f"Feature column(s) {', '.join(map(repr, missing))} are not in the data."
            f"{did_you_mean(str(missing[0]), map(str, df.columns))} Columns: {', '.join(map(str, df.columns))}."
        )
    dropped: dict[str, str] = {}
    numeric: list[str] = []
    categorical: list[str] = []
    dates: pd.Series | None = None
    for name in candidates:
        if name == target:
            continue
        column = rows[name]
        as_dates = _as_dates(column)
        if as_dates is not None:
            dropped[name] = "date"
            dates = as_dates if dates is None else dates
            continue
        reason = _drop_reason(column, len(rows))
        if reason is not None:
            dropped[name] = reason
        elif _is_categorical(column):
            categorical.append(name)
        else:
            numeric.append(name)
    if not numeric and not categorical:
        listed = ", ".join(f"{k} ({v})" for k, v in dropped.items()) or "none"
        raise InputError(
            f"No usable feature columns besides target {target!r}. Left out: {listed}. "
            "Give columns that describe the cases (numbers or categories), e.g. with features=[...]."
        )
    X = feature_frame(rows, numeric=numeric, categorical=categorical, context="prepare")
    id_cols = [c for c, r in dropped.items() if r == "id_like"]
    return Prepared(
        X=X,
        y=y,
        numeric=tuple(numeric),
        categorical=tuple(categorical),
        dropped=dropped,
        positive_label=label.item() if hasattr(label, "item") else label,
        target=target,
        dates=dates,
        ids=rows[id_cols].copy(),
    )


def dropped_table(prepared: Prepared, *, lang: str | None = None) -> pd.DataFrame:
    """The columns `prepare` left out and why, in ``lang``: column, reason."""
    rows = [{"column": c, "reason": t(f"propensity.drop.{r}", lang)} for c, r in prepared.dropped.items()]
    return pd.DataFrame(rows, columns=["column", "reason"])


def localise_columns(table: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """A copy of ``table`` for display, its labels translated into ``lang``.

    Column names with a ``propensity.col.<name>`` message and the model keys of a ``model`` column
    are translated; other names stay.
    """
    messages = catalogue()
    out = table.copy()
    if "model" in out.columns:
        out["model"] = [
            t(f"propensity.model.{m}", lang) if f"propensity.model.{m}" in messages else m for m in out["model"]
        ]
    names = {c: t(f"propensity.col.{c}", lang) for c in out.columns if f"propensity.col.{c}" in messages}
    return out.rename(columns=names)


@dataclass(frozen=True, eq=False)
class Split:
    """Training and independent test data, and how they were split (``"time"`` or ``"stratified"``)."""

    train: Prepared
    test: Prepared
    method: str
    cutoff: pd.Timestamp | None = None


def split(prepared: Prepared, *, test_size: float = 0.3, seed: int = 0, by_time: bool = True) -> Split:
    """Hold out an independent test set.

    With a date column (and ``by_time``) the latest ``test_size`` share of cases is the test set,
    as a model is used on cases that come after those it learnt from; if that leaves one class
    only on either side, or without dates, the split is stratified by the target.
    """
    if not 0 < test_size < 1:
        raise ParameterError(f"test_size must be between 0 and 1, got {test_size}.")
    if by_time and prepared.dates is not None and prepared.dates.notna().all():
        order = prepared.dates.sort_values(kind="stable").index
        n_test = int(round(len(order) * test_size))
        train_idx, test_idx = order[:-n_test], order[-n_test:]
        if prepared.y.loc[train_idx].nunique() == 2 and prepared.y.loc[test_idx].nunique() == 2:
            cutoff = pd.Timestamp(prepared.dates.loc[test_idx].min())
            return Split(prepared.subset(train_idx), prepared.subset(test_idx), "time", cutoff)
    if prepared.y.value_counts().min() < 2:
        raise InputError(
            f"Target {prepared.target!r} has fewer than 2 cases of one class; a test set cannot hold both classes."
        )
    train_idx, test_idx = train_test_split(
        prepared.X.index, test_size=test_size, random_state=seed, stratify=prepared.y
    )
    return Split(prepared.subset(train_idx), prepared.subset(test_idx), "stratified")


class Balanced(ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` with balanced sample weights, and give probabilities on the real base rate.

    Each class gets half of the total weight in fitting, so a rare positive class is not ignored.
    The fitted model then believes the base rate is 50 %; `predict_proba` multiplies its odds by
    ``pi / (1 - pi)`` (``pi`` = training base rate), which maps them back (exact for logistic
    regression, approximate for the others). The ranking of cases is unchanged by this correction.
    Fitting and prediction use one OpenMP thread: on tables of this size, more threads only add
    overhead (gradient boosting is 10-30 times slower on a busy machine otherwise).

    Parameters
    ----------
    estimator : Pipeline
        A pipeline whose last step accepts ``sample_weight``.
    balance : bool
        False fits without weights and without correction.
    """

    def __init__(self, estimator: Pipeline, balance: bool = True) -> None:
        self.estimator = estimator
        self.balance = balance

    def fit(self, X: pd.DataFrame, y: pd.Series | np.ndarray) -> Balanced:
        """Fit a clone of ``estimator`` on ``X``, ``y`` (0/1)."""
        labels = np.asarray(y)
        self.estimator_ = clone(self.estimator)
        fit_params = {}
        if self.balance:
            fit_params[f"{self.estimator_.steps[-1][0]}__sample_weight"] = compute_sample_weight("balanced", labels)
        with threadpool_limits(limits=1, user_api="openmp"):
            self.estimator_.fit(X, labels, **fit_params)
        self.classes_ = self.estimator_.classes_
        self.base_rate_ = float(np.mean(labels))
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Class probabilities (columns: 0, 1), prior-corrected when fitted balanced."""
        with threadpool_limits(limits=1, user_api="openmp"):
            proba = self.estimator_.predict_proba(X)
        if not self.balance:
            return proba
        p = np.clip(proba[:, 1], 1e-12, 1 - 1e-12)
        odds = p / (1 - p) * self.base_rate_ / (1 - self.base_rate_)
        positive = odds / (1 + odds)
        return np.column_stack([1 - positive, positive])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """1 where the corrected probability is at least one half."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def _preprocessor(prepared: Prepared, *, scale: bool, rare_share: float) -> ColumnTransformer:
    numeric_steps: list[tuple[str, Any]] = [("impute", SimpleImputer(strategy="median", add_indicator=True))]
    if scale:
        numeric_steps.append(("scale", StandardScaler()))
    min_frequency = max(5, int(np.ceil(rare_share * len(prepared.X))))
    categorical_steps = [
        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
        (
            "onehot",
            OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=min_frequency, sparse_output=False),
        ),
    ]
    return ColumnTransformer(
        [
            ("num", Pipeline(numeric_steps), list(prepared.numeric)),
            ("cat", Pipeline(categorical_steps), list(prepared.categorical)),
        ],
        verbose_feature_names_out=False,
    )


def build_models(
    prepared: Prepared,
    *,
    seed: int = 0,
    balance: bool = True,
    rare_share: float = 0.01,
    tree_depth: int = 4,
    tree_alpha: float = 0.004,
) -> dict[str, Pipeline]:
    """The four candidate models, unfitted, each a Pipeline of preprocessing and a `Balanced` model.

    Preprocessing: numeric columns get the median for missing values plus a missing-value indicator,
    and (except for the tree, whose rules stay in the data's units) standard scaling; categorical
    columns get a "missing" category and one-hot encoding, with categories seen in less than
    ``rare_share`` of the rows (at least 5) grouped into one "rare" column. New categories met when
    scoring count as rare.

    Returns
    -------
    dict
        ``"logistic"`` (L2-regularised, C=1), ``"gradient_boosting"`` (histogram gradient boosting),
        ``"mlp"`` (one hidden layer of 16 units, L2 penalty, early stopping) and ``"tree"`` (depth
        ``tree_depth``, leaves of at least 1 % of rows, cost-complexity pruned with ``tree_alpha`` so
        that splits which barely help are not turned into rules; for rule induction).
    """
    min_leaf = max(10, int(0.01 * len(prepared.X)))
    learners: dict[str, tuple[Any, bool]] = {
        "logistic": (LogisticRegression(C=1.0, max_iter=2000), True),
        "gradient_boosting": (
            HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=15, random_state=seed),
            True,
        ),
        "mlp": (
            MLPClassifier(
                hidden_layer_sizes=(16,),
                alpha=1e-3,
                max_iter=500,
                early_stopping=True,
                n_iter_no_change=20,
                random_state=seed,
            ),
            True,
        ),
        "tree": (
            DecisionTreeClassifier(
                max_depth=tree_depth, min_samples_leaf=min_leaf, ccp_alpha=tree_alpha, random_state=seed
            ),
            False,
        ),
    }
    return {
        name: Pipeline(
            [
                ("prepare", _preprocessor(prepared, scale=scale, rare_share=rare_share)),
                (
                    "model",
                    Balanced(Pipeline([("learner", learner)]), balance=balance),
                ),
            ]
        )
        for name, (learner, scale) in learners.items()
    }


def fit_models(prepared: Prepared, models: Mapping[str, Pipeline]) -> dict[str, Pipeline]:
    """Fitted clones of ``models`` on all of ``prepared``."""
    return {name: clone(model).fit(prepared.X, prepared.y) for name, model in models.items()}


def score(model: Pipeline, X: pd.DataFrame) -> pd.Series:
    """The fitted model's probability of the positive class for each row of ``X``."""
    return pd.Series(model.predict_proba(X)[:, 1], index=X.index, name="score")


def score_all(models: Mapping[str, Pipeline], X: pd.DataFrame) -> pd.DataFrame:
    """Each fitted model's positive-class probability for the rows of ``X``, one column per model."""
    return pd.DataFrame({name: score(model, X) for name, model in models.items()}, index=X.index)


@dataclass(frozen=True, eq=False)
class ModelComparison:
    """Cross-validation results: ``table`` (one row per model) and out-of-fold scores (one column per model)."""

    table: pd.DataFrame
    oof: pd.DataFrame


def compare_models(
    prepared: Prepared, models: Mapping[str, Pipeline], *, folds: int = 5, seed: int = 0
) -> ModelComparison:
    """Stratified k-fold cross-validation of each model on ``prepared``.

    Returns
    -------
    ModelComparison
        ``table``: model, roc_auc, roc_auc_std, pr_auc, pr_auc_std (mean and standard deviation over
        folds; PR AUC is average precision), sorted by pr_auc descending; ``oof``: each row's score from
        the model fitted without it.
    """
    smallest = int(prepared.y.value_counts().min())
    if smallest < folds:
        raise InputError(
            f"Only {smallest} cases of one class of {prepared.target!r}; {folds}-fold cross-validation needs "
            f"at least {folds}. Use fewer folds or add labelled cases."
        )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof = pd.DataFrame(index=prepared.X.index, columns=list(models), dtype=float)
    rows = []
    for name, model in models.items():
        roc, pr = [], []
        for train_pos, test_pos in splitter.split(prepared.X, prepared.y):
            fitted = clone(model).fit(prepared.X.iloc[train_pos], prepared.y.iloc[train_pos])
            held_out = score(fitted, prepared.X.iloc[test_pos])
            y_held = prepared.y.iloc[test_pos]
            oof.loc[held_out.index, name] = held_out
            roc.append(roc_auc_score(y_held, held_out))
            pr.append(average_precision_score(y_held, held_out))
        rows.append(
            {
                "model": name,
                "roc_auc": float(np.mean(roc)),
                "roc_auc_std": float(np.std(roc)),
                "pr_auc": float(np.mean(pr)),
                "pr_auc_std": float(np.std(pr)),
            }
        )
    table = pd.DataFrame(rows).sort_values("pr_auc", ascending=False, ignore_index=True)
    return ModelComparison(table=table, oof=oof)


def cross_validate_models(
    prepared: Prepared, models: Mapping[str, Pipeline], *, folds: int = 5, seed: int = 0
) -> pd.DataFrame:
    """The ``table`` of `compare_models`: model, roc_auc, roc_auc_std, pr_auc, pr_auc_std."""
    return compare_models(prepared, models, folds=folds, seed=seed).table


def _check_scores(y_true: Any, score: Any) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(score, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise InputError(f"y_true and score must be 1-D and of the same length, got {y.shape} and {s.shape}.")
    if len(y) == 0:
        raise InputError("No cases to evaluate: y_true is empty.")
    if not np.isin(y, (0, 1)).all():
        raise InputError("y_true must be 0/1; code the target with prepare() first.")
    if np.isnan(s).any():
        raise InputError(f"score has {int(np.isnan(s).sum())} missing values; score every case.")
    return y, s


def _score_bins(s: np.ndarray, bins: int) -> np.ndarray:
    """Bin 1..bins of each case, 1 = highest scores; ties broken by position, bins of equal size (±1)."""
    order = np.argsort(-s, kind="stable")
    groups = np.empty(len(s), dtype=int)
    groups[order] = np.arange(len(s)) * bins // len(s) + 1
    return groups


def gains_table(y_true: Any, score: Any, *, bins: int = 10) -> pd.DataFrame:
    """Cases sorted by score, cut into ``bins`` equal groups (decile 1 = highest scores).

    Returns
    -------
    DataFrame
        decile, customers, responders, response_rate, lift (response_rate / overall rate),
        cum_customers_share, cum_responders_share, cum_lift.

    Examples
    --------
    >>> g = gains_table([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], bins=5)
    >>> g["responders"].tolist(), g["lift"].tolist()[:2]
    ([1, 1, 0, 0, 0], [2.5, 2.5])
    """
    y, s = _check_scores(y_true, score)
    if bins < 1:
        raise ParameterError(f"bins must be at least 1, got {bins}.")
    bins = min(bins, len(y))
    frame = pd.DataFrame({"decile": _score_bins(s, bins), "y": y})
    table = frame.groupby("decile").agg(customers=("y", "size"), responders=("y", "sum")).reset_index()
    table["responders"] = table["responders"].astype(int)
    overall = y.mean()
    table["response_rate"] = table["responders"] / table["customers"]
    table["lift"] = table["response_rate"] / overall if overall > 0 else np.nan
    table["cum_customers_share"] = table["customers"].cumsum() / len(y)
    table["cum_responders_share"] = table["responders"].cumsum() / y.sum() if y.sum() > 0 else np.nan
    table["cum_lift"] = table["cum_responders_share"] / table["cum_customers_share"]
    return table


def top_decile_lift(y_true: Any, score: Any) -> float:
    """Response rate among the top 10 % of scores divided by the overall response rate."""
    return float(gains_table(y_true, score, bins=10)["lift"].iloc[0])


def calibration_table(y_true: Any, score: Any, *, bins: int = 10) -> pd.DataFrame:
    """Predicted vs observed rate in ``bins`` equal-count score groups (lowest scores first).

    Returns
    -------
    DataFrame
        bin, customers, mean_score, observed_rate.
    """
    y, s = _check_scores(y_true, score)
    groups = bins + 1 - _score_bins(s, min(bins, len(y)))
    frame = pd.DataFrame({"bin": groups, "s": s, "y": y})
    return (
        frame.groupby("bin")
        .agg(customers=("y", "size"), mean_score=("s", "mean"), observed_rate=("y", "mean"))
        .reset_index()
    )


def stack(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One table from several models' tables, with a leading ``model`` column (for the charts)."""
    return pd.concat([table.assign(model=name) for name, table in tables.items()], ignore_index=True)[
        ["model", *next(iter(tables.values())).columns]
    ]


def roc_table(y_true: Any, scores: Mapping[str, Any]) -> pd.DataFrame:
    """ROC curve points of each model: model, fpr, tpr, auc."""
    parts = []
    for name, s in scores.items():
        y, s = _check_scores(y_true, s)
        fpr, tpr, _ = roc_curve(y, s)
        parts.append(pd.DataFrame({"model": name, "fpr": fpr, "tpr": tpr, "auc": roc_auc_score(y, s)}))
    return pd.concat(parts, ignore_index=True)


def pr_table(y_true: Any, scores: Mapping[str, Any]) -> pd.DataFrame:
    """Precision-recall curve points of each model: model, recall, precision, auc (average precision), base_rate."""
    parts = []
    for name, s in scores.items():
        y, s = _check_scores(y_true, s)
        precision, recall, _ = precision_recall_curve(y, s)
        parts.append(
            pd.DataFrame(
                {
                    "model": name,
                    "recall": recall,
                    "precision": precision,
                    "auc": average_precision_score(y, s),
                    "base_rate": y.mean(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def evaluate(y_true: Any, scores: Mapping[str, Any]) -> pd.DataFrame:
    """Test-set metrics of each model: model, roc_auc, pr_auc, top_decile_lift, brier."""
    rows = []
    for name, s in scores.items():
        y, s = _check_scores(y_true, s)
        rows.append(
            {
                "model": name,
                "roc_auc": float(roc_auc_score(y, s)),
                "pr_auc": float(average_precision_score(y, s)),
                "top_decile_lift": top_decile_lift(y, s),
                "brier": float(np.mean((s - y) ** 2)),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- rule induction


def _output_conditions(preprocess: ColumnTransformer) -> list[tuple[str, str, Any]]:
    """For each output column of the fitted preprocessing: (source column, kind, value).

    kind is ``"num"`` (the column itself), ``"missing"`` (its missing-value indicator) or ``"cat"``
    (one-hot of category ``value``; a tuple value is the group of rare categories).
    """
    out: list[tuple[str, str, Any]] = []
    for kind, transformer, names in preprocess.transformers_:
        if kind == "num" and len(names):
            indicator = transformer.named_steps["impute"].indicator_
            out += [(n, "num", None) for n in names]
            if indicator is not None:
                out += [(names[i], "missing", None) for i in indicator.features_]
        elif kind == "cat" and len(names):
            encoder = transformer.named_steps["onehot"]
            for i, name in enumerate(names):
                rare = encoder.infrequent_categories_[i]
                rare_set = set() if rare is None else set(rare)
                out += [(name, "cat", c) for c in encoder.categories_[i] if c not in rare_set]
                if rare_set:
                    out.append((name, "cat", tuple(sorted(rare_set))))
    expected = len(preprocess.get_feature_names_out())
    if len(out) != expected:
        raise RuntimeError(f"Could not map {expected} preprocessed columns back to the data's columns.")
    return out


def _fmt(value: float) -> str:
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _describe_numeric(column: str, bounds: dict[str, Any], integer: bool, lang: str) -> str | None:
    low, high = bounds.get("gt"), bounds.get("le")
    if low is None and high is None:
        return None
    if integer:
        low_text = None if low is None else _fmt(np.floor(low) + 1)
        high_text = None if high is None else _fmt(np.floor(high))
        low_key = "ge"
    else:
        low_text = None if low is None else _fmt(low)
        high_text = None if high is None else _fmt(high)
        low_key = "gt"
    if low_text is not None and high_text is not None:
        return t(f"propensity.rule.between_{low_key}", lang, column=column, low=low_text, high=high_text)
    if high_text is not None:
        return t("propensity.rule.le", lang, column=column, value=high_text)
    return t(f"propensity.rule.{low_key}", lang, column=column, value=low_text)


def _category_text(column: str, value: Any, lang: str) -> str:
    if isinstance(value, tuple):
        return t("propensity.rule.in_rare", lang, column=column, values=", ".join(map(str, value)))
    return t("propensity.rule.eq", lang, column=column, value=value)


def _describe(column: str, bounds: dict[str, Any], *, integer: bool, categories: list[Any], lang: str) -> str:
    """Plain-language text of the conditions a path puts on one column.

    ``categories`` are the column's one-hot categories; excluding all but one reads as "= that one".
    """
    parts = []
    if "missing" in bounds:
        parts.append(
            t("propensity.rule.missing" if bounds["missing"] else "propensity.rule.present", lang, column=column)
        )
    if "eq" in bounds:
        parts.append(_category_text(column, bounds["eq"], lang))
    elif "neq" in bounds:
        left = [c for c in categories if c not in bounds["neq"]]
        if len(left) == 1:
            parts.append(_category_text(column, left[0], lang))
        else:
            values = [", ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in bounds["neq"]]
            parts.append(t("propensity.rule.not_in", lang, column=column, values=", ".join(values)))
    numeric = _describe_numeric(column, bounds, integer, lang)
    if numeric is not None:
        parts.append(numeric)
    return t("propensity.rule.and", lang).join(parts)


def extract_rules(model: Pipeline, X: pd.DataFrame, y: Any, *, lang: str | None = None) -> pd.DataFrame:
    """The fitted decision tree's leaves as rules in plain language, with support and precision on ``X``, ``y``.

    Parameters
    ----------
    model : Pipeline
        The fitted ``"tree"`` model of `build_models`.
    X, y : DataFrame, Series
        The cases on which to measure each rule (use the test set for an honest precision).
    lang : str, optional
        Language of the rule text.

    Returns
    -------
    DataFrame
        One row per leaf, by precision descending: leaf, rule (conditions joined by "and"),
        conditions (column -> bounds: ``le`` / ``gt`` thresholds, ``eq`` category, ``neq`` list of
        excluded categories, ``missing`` flag; a tuple category is the group of rare ones), cases,
        support (share of cases), positives, precision (share positive among them), lift (precision
        / base rate), score (the model's probability for the leaf).
    """
    preprocess: ColumnTransformer = model.named_steps["prepare"]
    balanced: Balanced = model.named_steps["model"]
    tree: DecisionTreeClassifier = balanced.estimator_.steps[-1][1]
    if not isinstance(tree, DecisionTreeClassifier):
        raise ParameterError("extract_rules needs the fitted 'tree' model of build_models.")
    columns = _output_conditions(preprocess)
    categories: dict[str, list[Any]] = {}
    for column, kind, value in columns:
        if kind == "cat":
            categories.setdefault(column, []).append(value)
    integer = {c: bool(np.all(np.mod(X[c].dropna(), 1) == 0)) for c in X.columns if pd.api.types.is_numeric_dtype(X[c])}
    structure = tree.tree_
    paths: dict[int, list[tuple[int, bool]]] = {}

    def walk(node: int, path: list[tuple[int, bool]]) -> None:
        if structure.children_left[node] == structure.children_right[node]:
            paths[node] = path
            return
        walk(int(structure.children_left[node]), [*path, (node, False)])
        walk(int(structure.children_right[node]), [*path, (node, True)])

    walk(0, [])
    y_arr = np.asarray(y, dtype=float)
    leaves = tree.apply(preprocess.transform(X))
    leaf_scores = balanced.predict_proba(preprocess.transform(X))[:, 1]
    base = y_arr.mean() if len(y_arr) else np.nan
    rows = []
    for leaf, path in paths.items():
        conditions: dict[str, dict[str, Any]] = {}
        for node, right in path:
            column, kind, value = columns[structure.feature[node]]
            threshold = structure.threshold[node]
            bounds = conditions.setdefault(column, {})
            if kind == "num":
                key = "gt" if right else "le"
                pick = max if right else min
                bounds[key] = threshold if key not in bounds else pick(bounds[key], threshold)
            elif kind == "missing":
                bounds["missing"] = right
            elif right:
                bounds.pop("neq", None)
                bounds["eq"] = value
            elif "eq" not in bounds:
                bounds.setdefault("neq", []).append(value)
        texts = [
            _describe(c, b, integer=integer.get(c, False), categories=categories.get(c, []), lang=lang or get_lang())
            for c, b in conditions.items()
        ]
        mask = leaves == leaf
        cases = int(mask.sum())
        positives = int(y_arr[mask].sum())
        precision = positives / cases if cases else np.nan
        and_word = t("propensity.rule.and", lang)
        rows.append(
            {
                "leaf": leaf,
                "rule": and_word.join(texts) or t("propensity.rule.all", lang),
                "conditions": conditions,
                "cases": cases,
                "support": cases / len(y_arr) if len(y_arr) else np.nan,
                "positives": positives,
                "precision": precision,
                "lift": precision / base if base else np.nan,
                "score": float(leaf_scores[mask][0]) if cases else np.nan,
            }
        )
    return pd.DataFrame(rows).sort_values(["precision", "cases"], ascending=False, ignore_index=True)


# ---------------------------------------------------------------- cost-based threshold


def cost_table(y_true: Any, score: Any, *, action_cost: float, loss_per_positive: float) -> pd.DataFrame:
    """Net savings of acting on every case with a score at or above each threshold.

    Acting on (investigating) a case costs ``action_cost``; acting on a positive (a fraud) prevents
    ``loss_per_positive``. Net savings = positives caught x loss - cases acted on x cost, which is 0
    when acting on no one.

    Returns
    -------
    DataFrame
        threshold, acted (cases at or above it), caught (positives among them), precision, recall,
        savings; the first row is "no one" (threshold +inf), the last "everyone".
    """
    y, s = _check_scores(y_true, score)
    if action_cost < 0 or loss_per_positive <= 0:
        raise ParameterError(
            f"The cost per case must be >= 0 and the loss per positive > 0, got {action_cost} and {loss_per_positive}."
        )
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    distinct_end = np.r_[np.flatnonzero(np.diff(s_sorted) != 0), len(s) - 1]
    acted = distinct_end + 1
    caught = np.cumsum(y_sorted)[distinct_end]
    table = pd.DataFrame(
        {
            "threshold": np.r_[np.inf, s_sorted[distinct_end]],
            "acted": np.r_[0, acted],
            "caught": np.r_[0, caught].astype(int),
        }
    )
    table["precision"] = table["caught"] / table["acted"].where(table["acted"] > 0)
    table["recall"] = table["caught"] / y.sum() if y.sum() else np.nan
    table["savings"] = table["caught"] * loss_per_positive - table["acted"] * action_cost
    return table


@dataclass(frozen=True)
class ThresholdChoice:
    """The chosen threshold and what it saves compared with acting on no one and on everyone.

    ``savings`` etc. are measured on the cases given to `choose_threshold`; the ``per_case`` figures
    divide by their number so they can be scaled to any base.
    """

    threshold: float
    acted: int
    caught: int
    cases: int
    positives: int
    savings: float
    savings_everyone: float
    vs_no_one: float
    vs_everyone: float
    per_case: float


def choose_threshold(
    y_true: Any,
    score: Any,
    *,
    action_cost: float,
    loss_per_positive: float,
    threshold: float | None = None,
) -> ThresholdChoice:
    """The score threshold with the highest net savings (`cost_table`), or the evaluation of ``threshold``.

    Choose it on one set of cases (e.g. out-of-fold training scores) and pass it as ``threshold`` to
    measure it on another (the test set).
    """
    table = cost_table(y_true, score, action_cost=action_cost, loss_per_positive=loss_per_positive)
    y, s = _check_scores(y_true, score)
    if threshold is None:
        chosen = float(table["threshold"].iloc[int(np.argmax(table["savings"].to_numpy()))])
    else:
        chosen = float(threshold)
    acted_mask = s >= chosen
    acted = int(acted_mask.sum())
    caught = int(y[acted_mask].sum())
    savings = caught * loss_per_positive - acted * action_cost
    everyone = float(table["savings"].iloc[-1])
    return ThresholdChoice(
        threshold=chosen,
        acted=acted,
        caught=caught,
        cases=len(y),
        positives=int(y.sum()),
        savings=float(savings),
        savings_everyone=everyone,
        vs_no_one=float(savings),
        vs_everyone=float(savings - everyone),
        per_case=float(savings / len(y)),
    )
