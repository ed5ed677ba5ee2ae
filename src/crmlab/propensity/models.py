"""The candidate models, their cross-validated comparison, and THE policy that picks one.

- `build_models` - four scikit-learn Pipelines (logistic regression, gradient boosting, a neural
  network and a shallow decision tree), each with its own preprocessing (imputation, scaling,
  one-hot encoding with rare categories grouped). With ``balance=True`` every model is fitted with
  balanced sample weights (`Balanced`) and its probabilities are mapped back to the real base rate.
- `prior_correction` - the one correction of probabilities from a model fitted on a sample with
  another positive rate than the base (balanced weights, or a balanced sample).
- `compare_models` - stratified k-fold ROC AUC and PR AUC, with out-of-fold scores.
- `best_model` - the one model-comparison policy: the highest value of a named ranking metric
  (`RANKING_METRICS`); each report says which metric chose its model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from threadpoolctl import threadpool_limits

from crmlab.core.checks import check_choice, check_range
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.propensity.preparation import Prepared

__all__ = [
    "DEFAULT_MODELS",
    "MODEL_NAMES",
    "RANKING_METRICS",
    "Balanced",
    "ModelComparison",
    "best_model",
    "build_models",
    "check_models",
    "compare_models",
    "cross_validate_models",
    "fit_models",
    "prior_correction",
    "score",
    "score_all",
]

#: Keys of `build_models`, in order.
MODEL_NAMES = ("logistic", "gradient_boosting", "mlp", "tree")

#: The models compared by default (the tree is there for its rules, `crmlab.propensity.tree`).
DEFAULT_MODELS: tuple[str, ...] = ("logistic", "gradient_boosting", "mlp")

#: Metrics `best_model` can rank by (higher is better): ROC AUC ranks all cases, PR AUC the top of
#: the ranking (for rare positives), top-decile lift the best-scored 10 % (for a mailing).
RANKING_METRICS = ("roc_auc", "pr_auc", "top_decile_lift")


def prior_correction(score: Any, *, sample_rate: float, base_rate: float) -> np.ndarray:
    """Probabilities from a model fitted where positives made up ``sample_rate``, for a base rate ``base_rate``.

    The odds are multiplied by ``(base_rate / (1 - base_rate)) / (sample_rate / (1 - sample_rate))``
    (the prior correction of King and Zeng, 2001); balanced class weights count as ``sample_rate=0.5``.
    The ranking of cases does not change.

    >>> prior_correction(np.array([0.5]), sample_rate=0.5, base_rate=0.1).round(3)
    array([0.1])
    """
    for name, value in (("sample_rate", sample_rate), ("base_rate", base_rate)):
        check_range(value, name, low=0, high=1, low_open=True, high_open=True)
    p = np.clip(np.asarray(score, dtype=float), 1e-12, 1 - 1e-12)
    odds = p / (1 - p) * base_rate / (1 - base_rate) / (sample_rate / (1 - sample_rate))
    return odds / (1 + odds)


class Balanced(ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` with balanced sample weights, and give probabilities on the real base rate.

    Each class gets half of the total weight in fitting, so a rare positive class is not ignored.
    The fitted model then believes the base rate is 50 %; `predict_proba` maps its probabilities
    back with `prior_correction` (exact for logistic regression, approximate for the others). The
    ranking of cases is unchanged by this correction. Fitting and prediction use one OpenMP
    thread: on tables of this size, more threads only add overhead (gradient boosting is 10-30
    times slower on a busy machine otherwise).

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
        positive = prior_correction(proba[:, 1], sample_rate=0.5, base_rate=self.base_rate_)
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


def check_models(models: Any) -> tuple[str, ...]:
    """``models`` (keys of `build_models`) as a tuple, or ParameterError naming the unknown one.

    >>> check_models(["logistic", "tree"])
    ('logistic', 'tree')
    """
    return tuple(check_choice(m, "models", MODEL_NAMES) for m in models)


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
    """Cross-validation results, one fold split for every model.

    ``table``: one row per model; ``oof``: out-of-fold scores, one column per model; ``fold``: the
    number (0 to folds - 1) of the fold that held each row out.
    """

    table: pd.DataFrame
    oof: pd.DataFrame
    fold: pd.Series


def compare_models(
    prepared: Prepared, models: Mapping[str, Pipeline], *, folds: int = 5, seed: int = 0
) -> ModelComparison:
    """Stratified k-fold cross-validation of each model on ``prepared``.

    Returns
    -------
    ModelComparison
        ``table``: model, roc_auc, roc_auc_std, pr_auc, pr_auc_std (mean and standard deviation over
        folds; PR AUC is average precision), one row per model in the order of ``models`` (rank them
        with `best_model`); ``oof``: each row's score from the model fitted without it; ``fold``:
        the fold that held each row out (the same folds for every model).
    """
    smallest = int(prepared.y.value_counts().min())
    if smallest < folds:
        raise InputError(t("propensity.err.too_few_for_folds", n=smallest, target=prepared.target, folds=folds))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof = pd.DataFrame(index=prepared.X.index, columns=list(models), dtype=float)
    splits = list(splitter.split(prepared.X, prepared.y))
    fold = pd.Series(0, index=prepared.X.index, name="fold")
    for number, (_, test_pos) in enumerate(splits):
        fold.iloc[test_pos] = number
    rows = []
    for name, model in models.items():
        roc, pr = [], []
        for train_pos, test_pos in splits:
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
    return ModelComparison(table=pd.DataFrame(rows), oof=oof, fold=fold)


def cross_validate_models(
    prepared: Prepared, models: Mapping[str, Pipeline], *, folds: int = 5, seed: int = 0
) -> pd.DataFrame:
    """The ``table`` of `compare_models`: model, roc_auc, roc_auc_std, pr_auc, pr_auc_std."""
    return compare_models(prepared, models, folds=folds, seed=seed).table


def best_model(comparison: pd.DataFrame, *, metric: str, model: str = "auto") -> str:
    """THE model-comparison policy: the model with the highest ``metric``, or ``model`` if named.

    Parameters
    ----------
    comparison : DataFrame
        One row per model: a ``model`` column and the metric's column (e.g. `compare_models`'s table).
    metric : {"roc_auc", "pr_auc", "top_decile_lift"}
        The ranking metric (`RANKING_METRICS`); the first model wins a tie.
    model : str
        ``"auto"`` to rank, or the name of a model in ``comparison`` to take it as it is.

    Examples
    --------
    >>> table = pd.DataFrame({"model": ["tree", "mlp"], "roc_auc": [0.7, 0.8], "pr_auc": [0.3, 0.2]})
    >>> best_model(table, metric="pr_auc"), best_model(table, metric="roc_auc")
    ('tree', 'mlp')
    """
    names = [str(m) for m in comparison["model"]]
    if model != "auto":
        return check_choice(model, "model", ["auto", *names])
    check_choice(metric, "metric", [m for m in RANKING_METRICS if m in comparison.columns])
    return names[int(comparison[metric].to_numpy().argmax())]
