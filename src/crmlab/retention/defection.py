"""Retention: defection propensity, products held and risk drivers.

The modelling article's retention recipe: learn from recent defectors and stayers which customers
are about to leave and check the warning signs (few products held, complaints, a falling balance);
`crmlab.retention.campaign` then prices contacting the valuable ones at high risk. Models come from
the shared `crmlab.propensity` pipeline; the best one is picked by its one policy
(`crmlab.propensity.models.best_model`) on the metric the caller names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from crmlab import propensity
from crmlab.core.checks import check_choice, row_numbers
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_nonempty, require_numeric

__all__ = [
    "NOT_HELD",
    "TEXT_ONE_PRODUCT_SHARE",
    "WA_CHURN_PRODUCTS",
    "DefectionModels",
    "ProductsHeld",
    "count_products",
    "defection_models",
    "products_held",
    "risk_drivers",
]

#: The modelling article's figure: share of defectors who used one product in their last year.
TEXT_ONE_PRODUCT_SHARE = 0.75

#: Cell values meaning "does not hold this product" (compared case-insensitively, as text).
NOT_HELD: tuple[str, ...] = ("", "0", "0.0", "no", "false", "none", "no internet service", "no phone service")

#: The products and services of the IBM telco data (``wa_churn``).
WA_CHURN_PRODUCTS: tuple[str, ...] = (
    "phone_service",
    "multiple_lines",
    "internet_service",
    "online_security",
    "online_backup",
    "device_protection",
    "tech_support",
    "streaming_tv",
    "streaming_movies",
)


def count_products(df: pd.DataFrame, *, product_cols: Sequence[str], not_held: Sequence[str] = NOT_HELD) -> pd.Series:
    """Number of products each customer holds.

    A product is held when its cell is not empty and not one of ``not_held`` (case-insensitive).

    >>> frame = pd.DataFrame({"phone": ["Yes", "No"], "internet": ["DSL", "No internet service"]})
    >>> count_products(frame, product_cols=["phone", "internet"]).tolist()
    [2, 0]
    """
    if not product_cols:
        raise ParameterError(t("retention.err.no_product_cols"))
    require_columns(df, product_cols, context=t("retention.col.products_held"))
    absent = {str(v).lower() for v in not_held}
    held = [~df[c].astype("string").str.strip().str.lower().fillna("").isin(absent) for c in product_cols]
    return pd.concat(held, axis=1).sum(axis=1).astype(int).rename("products_held")


@dataclass(frozen=True)
class ProductsHeld:
    """Defection by number of products held.

    Attributes
    ----------
    table
        products_held, customers, defectors, defection_rate, share_of_defectors.
    one_product_share
        Share of defectors who held exactly one product (the article says nearly 75 %).
    rate_one, rate_more
        Defection rate of customers with one product, and with more than one.
    """

    table: pd.DataFrame
    one_product_share: float
    rate_one: float
    rate_more: float


def products_held(
    df: pd.DataFrame,
    *,
    target: str,
    positive: object = None,
    count_col: str | None = None,
    product_cols: Sequence[str] | None = None,
    not_held: Sequence[str] = NOT_HELD,
) -> ProductsHeld:
    """How defection relates to the number of products held.

    Give either ``count_col`` (a column that already holds the number of products) or
    ``product_cols`` (one column per product, counted with `count_products`).

    Parameters
    ----------
    df
        One row per customer.
    target, positive
        The defection column and its "defected" value, as in `crmlab.propensity.preparation.prepare`.
    count_col, product_cols
        Where the number of products comes from (exactly one of them).
    not_held
        Cell values meaning "not held", for ``product_cols``.

    Returns
    -------
    ProductsHeld
    """
    if (count_col is None) == (product_cols is None):
        raise ParameterError(t("retention.err.count_or_products"))
    context = t("retention.col.products_held")
    require_nonempty(df, context=context)
    if count_col is not None:
        count = require_numeric(df, [count_col], context=context)[count_col]
        missing = np.flatnonzero(count.isna().to_numpy())
        if len(missing):
            raise InputError(
                t("data.null_values", context=context, column=count_col, n=len(missing), rows=row_numbers(missing))
            )
        count = count.astype(int)
    else:
        count = count_products(df, product_cols=list(product_cols or ()), not_held=not_held)
    y = propensity.prepare(df, target=target, positive=positive).y  # rows with a target only
    frame = pd.DataFrame({"products_held": count.loc[y.index].to_numpy(), "defected": y.to_numpy()})
    table = (
        frame.groupby("products_held")["defected"]
        .agg(customers="size", defectors="sum")
        .reset_index()
        .astype({"defectors": int})
    )
    table["defection_rate"] = table["defectors"] / table["customers"]
    table["share_of_defectors"] = table["defectors"] / max(int(table["defectors"].sum()), 1)
    held = frame["products_held"]
    return ProductsHeld(
        table=table,
        one_product_share=_mean(held[frame["defected"] == 1] == 1),
        rate_one=_mean(frame.loc[held == 1, "defected"]),
        rate_more=_mean(frame.loc[held > 1, "defected"]),
    )


def _mean(values: pd.Series) -> float:
    """Mean of ``values``; NaN when there are none."""
    return float(values.mean()) if len(values) else float("nan")


@dataclass(frozen=True)
class DefectionModels:
    """Defection models compared by cross-validation.

    Attributes
    ----------
    prepared
        The prepared data (`crmlab.propensity.preparation.Prepared`).
    models
        Model name -> unfitted pipeline.
    cv
        Cross-validation table of `crmlab.propensity.models.compare_models` (model, roc_auc, roc_auc_std,
        pr_auc, pr_auc_std), in the order of ``models``.
    scores
        Out-of-fold defection probability of each customer, one column per model, plus ``y``.
    lifts
        model, top_decile_lift (of the out-of-fold scores).
    best
        Name of the model with the highest ``metric`` (`crmlab.propensity.models.best_model`).
    metric
        The ranking metric that chose ``best``: roc_auc, pr_auc or top_decile_lift.
    folds
        Number of cross-validation folds.
    """

    prepared: propensity.Prepared
    models: dict[str, Pipeline]
    cv: pd.DataFrame
    scores: pd.DataFrame
    lifts: pd.DataFrame
    best: str
    metric: str
    folds: int

    @property
    def table(self) -> pd.DataFrame:
        """``cv`` with the ``top_decile_lift`` of each model: what the models are ranked on."""
        return self.cv.merge(self.lifts, on="model")

    def gains(self, *, bins: int = 10) -> pd.DataFrame:
        """Gains tables of the out-of-fold scores, stacked with a ``model`` column."""
        y = self.scores["y"]
        return propensity.stack({m: propensity.gains_table(y, self.scores[m], bins=bins) for m in self.models})


def defection_models(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str] | None = None,
    positive: object = None,
    models: Sequence[str] = propensity.DEFAULT_MODELS,
    metric: str = "roc_auc",
    folds: int = 5,
    seed: int = 0,
) -> DefectionModels:
    """Compare defection models on cross-validated ROC AUC, PR AUC and top-decile lift; pick the best.

    Models are fitted with balanced class weights and their probabilities mapped back to the real
    defection rate (see `crmlab.propensity.models.build_models`), so the out-of-fold scores can be read as
    defection probabilities.

    Parameters
    ----------
    df
        One row per customer: features and the defection ``target``.
    target, features, positive
        As in `crmlab.propensity.preparation.prepare`.
    models
        Keys of `crmlab.propensity.models.build_models`.
    metric
        The ranking metric of `crmlab.propensity.models.best_model` that chooses ``best``.
    folds
        Number of stratified cross-validation folds.
    seed
        Seed of the folds and the models.

    Returns
    -------
    DefectionModels
    """
    check_choice(metric, "metric", propensity.RANKING_METRICS)
    names = propensity.check_models(models)
    prepared = propensity.prepare(df, target=target, features=features, positive=positive)
    built = propensity.build_models(prepared, seed=seed)
    chosen = {m: built[m] for m in names}
    comparison = propensity.compare_models(prepared, chosen, folds=folds, seed=seed)
    scores = comparison.oof.assign(y=prepared.y)
    lifts = pd.DataFrame(
        {
            "model": list(chosen),
            "top_decile_lift": [propensity.top_decile_lift(scores["y"], scores[m]) for m in chosen],
        }
    )
    best = propensity.best_model(comparison.table.merge(lifts, on="model"), metric=metric)
    return DefectionModels(
        prepared=prepared,
        models=chosen,
        cv=comparison.table,
        scores=scores,
        lifts=lifts,
        best=best,
        metric=metric,
        folds=folds,
    )


def risk_drivers(
    model: Pipeline,
    prepared: propensity.Prepared,
    *,
    test_share: float = 0.3,
    n_repeats: int = 5,
    max_rows: int = 5000,
    seed: int = 0,
) -> pd.DataFrame:
    """Which features raise defection risk most: permutation importance and direction of effect.

    The model is fitted on ``1 - test_share`` of the customers. On the rest, each feature is shuffled
    ``n_repeats`` times and the fall in ROC AUC is its importance (on at most ``max_rows`` of them,
    drawn at random, to bound time and memory). For numeric features, the
    direction is the change in mean predicted risk when the feature is raised by one standard
    deviation (positive: more of it, more risk).

    Returns
    -------
    DataFrame
        feature, importance, importance_std, direction (NaN for categorical features), sorted by
        importance, highest first.
    """
    X, y = prepared.X, prepared.y
    train, test = train_test_split(np.arange(len(y)), test_size=test_share, stratify=y, random_state=seed)
    if len(test) > max_rows:
        test = np.random.default_rng(seed).choice(test, size=max_rows, replace=False)
    fitted = clone(model).fit(X.iloc[train], y.iloc[train])
    X_test, y_test = X.iloc[test].reset_index(drop=True), y.iloc[test].to_numpy()
    base = fitted.predict_proba(X_test)[:, 1]
    base_auc = roc_auc_score(y_test, base)
    # Every shuffled and shifted copy is scored in one call: a pipeline call costs far more than a row.
    rng = np.random.default_rng(seed)
    copies = []
    for column in X.columns:
        for _ in range(n_repeats):
            copies.append(X_test.assign(**{column: rng.permutation(X_test[column].to_numpy())}))
    numeric = [c for c in X.columns if c in prepared.numeric]
    copies += [X_test.assign(**{c: X_test[c] + X[c].std()}) for c in numeric]
    scores = fitted.predict_proba(pd.concat(copies, ignore_index=True))[:, 1].reshape(len(copies), len(X_test))
    shuffled = scores[: len(X.columns) * n_repeats].reshape(len(X.columns), n_repeats, len(X_test))
    drops = np.array([[base_auc - roc_auc_score(y_test, s) for s in repeats] for repeats in shuffled])
    shift = dict(zip(numeric, scores[len(X.columns) * n_repeats :].mean(axis=1) - base.mean(), strict=True))
    table = pd.DataFrame(
        {
            "feature": list(X.columns),
            "importance": drops.mean(axis=1),
            "importance_std": drops.std(axis=1),
            "direction": [shift.get(c, np.nan) for c in X.columns],
        }
    )
    return table.sort_values("importance", ascending=False, ignore_index=True)
