"""Target marketing: a response model trained on a balanced sample, and a pilot-sample planner.

The modelling article's recipe: take the customers who responded to a past mailing and as many who
did not (a balanced sample), fit a response-propensity model, apply it to the whole customer base and
mail only the best-scoring part. Models, gains and lift tables, the correction of scores for the
sampling (`crmlab.propensity.models.prior_correction`) and the choice of the best model
(`crmlab.propensity.models.best_model`) come from the shared `crmlab.propensity` pipeline; this module
adds the balanced sample, the evaluation on the customers not used for training, and the size of a
pilot mailing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from crmlab import propensity
from crmlab.core.checks import check_choice, check_range, check_whole
from crmlab.core.i18n import t
from crmlab.data.schemas import require_nonempty

__all__ = [
    "TEXT_RESPONSE_RATES",
    "ResponseModels",
    "balanced_indices",
    "fit_response_models",
    "pilot_plan",
    "pilot_sample_size",
    "rate_comparison",
]

#: Response rates the modelling article quotes: untargeted, targeted by segment, targeted with a data
#: warehouse (low and high end of each range).
TEXT_RESPONSE_RATES: dict[str, tuple[float, float]] = {
    "untargeted": (0.01, 0.01),
    "segment": (0.03, 0.04),
    "data_warehouse": (0.20, 0.25),
}


def pilot_sample_size(rate: float, precision: float, *, confidence: float = 0.95, population: int | None = None) -> int:
    """Customers to mail in a random pilot to estimate a response rate to within ``± precision``.

    Cochran's formula ``n0 = z² p (1 - p) / e²``, with the finite-population correction
    ``n = n0 / (1 + (n0 - 1) / N)`` when the population size ``N`` is given, rounded up.

    Parameters
    ----------
    rate
        Expected response rate ``p`` (0 < p < 1); 0.5 gives the largest, safest sample.
    precision
        Half-width ``e`` of the confidence interval, as a rate (0.01 = one percentage point).
    confidence
        Confidence level of the interval (two-sided).
    population
        Number of customers in the base; ``None`` for a very large base.

    Returns
    -------
    int
        Sample size.

    Examples
    --------
    >>> pilot_sample_size(0.5, 0.05)
    385
    >>> pilot_sample_size(0.5, 0.05, population=1000)
    278
    """
    for name, value in (("rate", rate), ("precision", precision), ("confidence", confidence)):
        check_range(value, name, low=0, high=1, low_open=True, high_open=True)
    if population is not None:
        check_whole(population, "population", low=1)
    z = norm.ppf(0.5 + confidence / 2)
    n0 = z**2 * rate * (1 - rate) / precision**2
    if population is not None:
        n0 = n0 / (1 + (n0 - 1) / population)
    return math.ceil(round(n0, 9))


def pilot_plan(
    rate: float,
    precisions: Sequence[float],
    *,
    confidence: float = 0.95,
    population: int | None = None,
) -> pd.DataFrame:
    """Pilot sample sizes for several precisions.

    Returns
    -------
    DataFrame
        precision, low, high (the interval around ``rate``), sample_size, expected_responders.
    """
    rows = []
    for precision in precisions:
        n = pilot_sample_size(rate, precision, confidence=confidence, population=population)
        rows.append(
            {
                "precision": precision,
                "low": max(rate - precision, 0.0),
                "high": min(rate + precision, 1.0),
                "sample_size": n,
                "expected_responders": n * rate,
            }
        )
    return pd.DataFrame(rows)


def balanced_indices(y: pd.Series, *, ratio: float = 1.0, seed: int = 0) -> np.ndarray:
    """Positions of every responder and ``ratio`` times as many randomly drawn non-responders.

    Parameters
    ----------
    y
        0/1 response.
    ratio
        Non-responders per responder (1.0 = a 50/50 sample). Capped at the number available.
    seed
        Seed of the random draw.

    Returns
    -------
    ndarray
        Sorted integer positions into ``y``.
    """
    check_range(ratio, "ratio", low=0, low_open=True)
    values = np.asarray(y)
    pos = np.flatnonzero(values == 1)
    neg = np.flatnonzero(values == 0)
    take = min(len(neg), int(round(ratio * len(pos))))
    drawn = np.random.default_rng(seed).choice(neg, size=take, replace=False)
    return np.sort(np.concatenate([pos, drawn]))


@dataclass(frozen=True)
class ResponseModels:
    """Response models fitted on a balanced sample and evaluated on the rest of the base.

    Attributes
    ----------
    gains
        Model name -> gains table (`crmlab.propensity.evaluation.gains_table`) on the evaluation customers.
    summary
        One row per model: model, roc_auc, top_decile_rate, top_decile_lift.
    base_rate
        Response rate of the evaluation customers (the untargeted rate).
    scores
        The evaluation customers: y (0/1) and, per model, the probability corrected to the base rate.
    train_size, evaluation_size
        Customers in the balanced training sample, and customers scored for evaluation.
    best
        Name of the model with the highest ``metric`` (`crmlab.propensity.models.best_model`).
    metric
        The ranking metric that chose ``best``: roc_auc or top_decile_lift.
    """

    gains: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    base_rate: float
    scores: pd.DataFrame
    train_size: int
    evaluation_size: int
    best: str
    metric: str

    def stacked_gains(self) -> pd.DataFrame:
        """The gains tables of all models, one above the other, with a ``model`` column."""
        return propensity.stack(self.gains)


def fit_response_models(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str] | None = None,
    positive: object = None,
    models: Sequence[str] = propensity.DEFAULT_MODELS,
    metric: str = "top_decile_lift",
    evaluation_share: float = 0.5,
    ratio: float = 1.0,
    bins: int = 10,
    seed: int = 0,
) -> ResponseModels:
    """Fit response models on a balanced sample; score the customers not used for training.

    The base is split (stratified by response) into a training part and an evaluation part of
    ``evaluation_share``. From the training part every responder is kept and ``ratio`` times as many
    non-responders are drawn. Each model is fitted on that balanced sample and applied to the
    evaluation part, whose response rate is the untargeted rate.

    Parameters
    ----------
    df
        One row per customer: feature columns and the 0/1 (or two-valued) ``target``.
    target, features, positive
        As in `crmlab.propensity.preparation.prepare`.
    models
        Keys of `crmlab.propensity.models.build_models`.
    metric
        The ranking metric of `crmlab.propensity.models.best_model` that chooses ``best``
        (``"top_decile_lift"`` or ``"roc_auc"``, on the evaluation customers).
    evaluation_share
        Share of customers held out to evaluate the models.
    ratio
        Non-responders per responder in the training sample.
    bins
        Number of score bands in the gains tables (10 = deciles).
    seed
        Seed of the split, the balanced draw and the models.

    Returns
    -------
    ResponseModels
    """
    require_nonempty(df, context=t("retention.context.response"))
    check_range(evaluation_share, "evaluation_share", low=0, high=1, low_open=True, high_open=True)
    check_choice(metric, "metric", ("roc_auc", "top_decile_lift"))
    names = propensity.check_models(models)
    prepared = propensity.prepare(df, target=target, features=features, positive=positive)
    built = propensity.build_models(prepared, seed=seed, balance=False)
    X, y = prepared.X, prepared.y
    train, evaluation = train_test_split(np.arange(len(y)), test_size=evaluation_share, stratify=y, random_state=seed)
    sample = train[balanced_indices(y.iloc[train], ratio=ratio, seed=seed)]
    sample_rate = float(y.iloc[sample].mean())
    base_rate = float(y.iloc[evaluation].mean())
    y_eval = y.iloc[evaluation].to_numpy()
    scores = pd.DataFrame({"y": y_eval}, index=X.index[evaluation])
    gains: dict[str, pd.DataFrame] = {}
    rows = []
    for name in names:
        model = clone(built[name]).fit(X.iloc[sample], y.iloc[sample])
        raw = model.predict_proba(X.iloc[evaluation])[:, 1]
        scores[name] = propensity.prior_correction(raw, sample_rate=sample_rate, base_rate=base_rate)
        table = propensity.gains_table(y_eval, raw, bins=bins)
        gains[name] = table
        rows.append(
            {
                "model": name,
                "roc_auc": float(roc_auc_score(y_eval, raw)),
                "top_decile_rate": float(table["response_rate"].iloc[0]),
                "top_decile_lift": float(propensity.top_decile_lift(y_eval, raw)),
            }
        )
    summary = pd.DataFrame(rows)
    best = propensity.best_model(summary, metric=metric)
    return ResponseModels(
        gains=gains,
        summary=summary,
        base_rate=base_rate,
        scores=scores,
        train_size=len(sample),
        evaluation_size=len(evaluation),
        best=best,
        metric=metric,
    )


def rate_comparison(result: ResponseModels, *, model: str | None = None) -> pd.DataFrame:
    """The article's quoted response rates next to this data's untargeted and top-decile rates.

    Returns
    -------
    DataFrame
        situation (``text_untargeted``, ``text_segment``, ``text_data_warehouse``,
        ``data_untargeted``, ``data_top_decile``), rate_low, rate_high (equal when a single rate
        is quoted).
    """
    top = float(result.gains[model or result.best]["response_rate"].iloc[0])
    rows = [(f"text_{k}", low, high) for k, (low, high) in TEXT_RESPONSE_RATES.items()]
    rows += [("data_untargeted", result.base_rate, result.base_rate), ("data_top_decile", top, top)]
    return pd.DataFrame(rows, columns=["situation", "rate_low", "rate_high"])
