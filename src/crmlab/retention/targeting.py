"""Target marketing: response models compared by cross-validation, and a pilot-sample planner.

The modelling article's recipe: take the customers who responded to a past mailing and as many who
did not (a balanced sample), fit a response-propensity model, apply it to the whole customer base and
mail only the best-scoring part. A balanced sample throws most non-responders away (on Charles Book
Club, about 85% of the customers), and one split into a training and an evaluation half makes the
lift depend on the split; `fit_response_models` therefore weights the classes equally instead of
discarding customers, and compares the models by stratified cross-validation with the article's
balanced sample and a plain logistic regression as references on the same folds. Models, gains,
the correction of scores for sampling (`crmlab.propensity.models.prior_correction`) and the choice of
the best model (`crmlab.propensity.models.best_model`) come from the shared `crmlab.propensity`
pipeline; this module adds the balanced sample, the references and the size of a pilot mailing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.pipeline import Pipeline

from crmlab import propensity
from crmlab.core.checks import check_choice, check_range, check_whole
from crmlab.core.i18n import t
from crmlab.data.schemas import require_nonempty

__all__ = [
    "REFERENCES",
    "TEXT_RESPONSE_RATES",
    "BalancedSample",
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


class BalancedSample(ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` on the article's balanced sample: every responder and ``ratio`` times as many others.

    Probabilities are mapped back from the sample's response rate to the training data's rate with
    `crmlab.propensity.models.prior_correction`, so they can be read as response probabilities.
    """

    def __init__(self, estimator: Pipeline, ratio: float = 1.0, seed: int = 0) -> None:
        self.estimator = estimator
        self.ratio = ratio
        self.seed = seed

    def fit(self, X: pd.DataFrame, y: pd.Series | np.ndarray) -> BalancedSample:
        """Fit a clone of ``estimator`` on a balanced sample of ``X``, ``y`` (0/1)."""
        labels = np.asarray(y)
        rows = balanced_indices(pd.Series(labels), ratio=self.ratio, seed=self.seed)
        self.estimator_ = clone(self.estimator).fit(X.iloc[rows], labels[rows])
        self.classes_ = self.estimator_.classes_
        self.sample_rate_ = float(labels[rows].mean())
        self.base_rate_ = float(labels.mean())
        self.sample_size_ = len(rows)
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Class probabilities (columns: 0, 1), corrected to the training data's response rate."""
        raw = self.estimator_.predict_proba(X)[:, 1]
        positive = propensity.prior_correction(raw, sample_rate=self.sample_rate_, base_rate=self.base_rate_)
        return np.column_stack([1 - positive, positive])


#: The reference models fitted on the same folds as the candidates: a plain logistic regression (no
#: weights, no sampling), and the article's recipe (logistic regression on a balanced sample).
REFERENCES = ("plain_logistic", "balanced_sample")


@dataclass(frozen=True)
class ResponseModels:
    """Response models compared by stratified cross-validation on all customers.

    Attributes
    ----------
    summary
        One row per model, the candidates first, then the `REFERENCES`: model, roc_auc, roc_auc_std,
        top_decile_rate, top_decile_lift and top_decile_lift_std (mean and standard deviation over
        the folds, the same folds for every model).
    gains
        Model name -> gains table (`crmlab.propensity.evaluation.gains_table`) of the out-of-fold scores.
    scores
        Each customer's out-of-fold response probability per model, and y (0/1).
    base_rate
        The response rate of all customers (the untargeted rate).
    best
        Name of the candidate with the highest ``metric`` (`crmlab.propensity.models.best_model`).
    metric
        The ranking metric that chose ``best``: roc_auc or top_decile_lift.
    folds, sample_share
        Number of folds; share of a training fold that the article's balanced sample keeps.
    """

    summary: pd.DataFrame
    gains: dict[str, pd.DataFrame]
    scores: pd.DataFrame
    base_rate: float
    best: str
    metric: str
    folds: int
    sample_share: float

    @property
    def candidates(self) -> list[str]:
        """The models compared to choose ``best`` (the summary without the references)."""
        return [m for m in self.summary["model"] if m not in REFERENCES]

    def row(self, model: str) -> pd.Series:
        """The summary row of ``model``."""
        return cast(pd.Series, self.summary.set_index("model").loc[model])

    def stacked_gains(self) -> pd.DataFrame:
        """The gains tables of the candidates and the plain logistic baseline, one above the other."""
        return propensity.stack({m: self.gains[m] for m in [*self.candidates, REFERENCES[0]]})


def fit_response_models(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str] | None = None,
    positive: object = None,
    models: Sequence[str] = propensity.DEFAULT_MODELS,
    metric: str = "top_decile_lift",
    folds: int = 5,
    ratio: float = 1.0,
    bins: int = 10,
    seed: int = 0,
) -> ResponseModels:
    """Compare response models by stratified k-fold cross-validation; choose the best; report the references.

    Every model sees the same folds and learns from all customers of the training folds. The
    candidates (``models``) are fitted with the two classes weighted equally and their probabilities
    mapped back to the real response rate (`crmlab.propensity.models.build_models`): the balance
    the article gets from a balanced sample, without discarding the non-responders it leaves out.
    Two references are scored on the same folds (`REFERENCES`): a plain logistic regression, and
    logistic regression on the article's balanced sample (every responder of the training fold and
    ``ratio`` times as many non-responders).

    Parameters
    ----------
    df
        One row per customer: feature columns and the 0/1 (or two-valued) ``target``.
    target, features, positive
        As in `crmlab.propensity.preparation.prepare`.
    models
        Keys of `crmlab.propensity.models.build_models`.
    metric
        The ranking metric of `crmlab.propensity.models.best_model` that chooses ``best`` among the
        candidates (``"top_decile_lift"`` or ``"roc_auc"``, the mean over folds).
    folds
        Number of stratified cross-validation folds.
    ratio
        Non-responders per responder in the article's balanced sample.
    bins
        Number of score bands in the gains tables (10 = deciles).
    seed
        Seed of the folds, the balanced sample and the models.

    Returns
    -------
    ResponseModels
    """
    require_nonempty(df, context=t("retention.context.response"))
    check_choice(metric, "metric", ("roc_auc", "top_decile_lift"))
    names = propensity.check_models(models)
    prepared = propensity.prepare(df, target=target, features=features, positive=positive)
    weighted = propensity.build_models(prepared, seed=seed)
    plain = propensity.build_models(prepared, seed=seed, balance=False)["logistic"]
    compared = {
        **{name: weighted[name] for name in names},
        REFERENCES[0]: plain,
        REFERENCES[1]: BalancedSample(plain, ratio=ratio, seed=seed),
    }
    comparison = propensity.compare_models(prepared, compared, folds=folds, seed=seed)
    y = prepared.y
    rows = []
    gains: dict[str, pd.DataFrame] = {}
    for name, cv in zip(compared, comparison.table.itertuples(), strict=True):
        score = comparison.oof[name]
        gains[name] = propensity.gains_table(y, score, bins=bins)
        per_fold = [propensity.gains_table(y[comparison.fold == k], score[comparison.fold == k]) for k in range(folds)]
        rates = [float(g["response_rate"].iloc[0]) for g in per_fold]
        lifts = [float(g["lift"].iloc[0]) for g in per_fold]
        rows.append(
            {
                "model": name,
                "roc_auc": cv.roc_auc,
                "roc_auc_std": cv.roc_auc_std,
                "top_decile_rate": float(np.mean(rates)),
                "top_decile_lift": float(np.mean(lifts)),
                "top_decile_lift_std": float(np.std(lifts)),
            }
        )
    summary = pd.DataFrame(rows)
    best = propensity.best_model(summary[summary["model"].isin(names)], metric=metric)
    return ResponseModels(
        summary=summary,
        gains=gains,
        scores=comparison.oof.assign(y=y),
        base_rate=prepared.base_rate,
        best=best,
        metric=metric,
        folds=folds,
        sample_share=_sample_share(y, ratio),
    )


def _sample_share(y: pd.Series, ratio: float) -> float:
    """Share of the customers that the article's balanced sample keeps (the same in every training fold)."""
    positives = int(y.sum())
    return min(len(y), positives + min(len(y) - positives, round(ratio * positives))) / len(y)


def rate_comparison(result: ResponseModels, *, model: str | None = None) -> pd.DataFrame:
    """The article's quoted response rates next to this data's untargeted and top-decile rates.

    Returns
    -------
    DataFrame
        situation (``text_untargeted``, ``text_segment``, ``text_data_warehouse``,
        ``data_untargeted``, ``data_top_decile``: the model's top-decile rate, mean over folds),
        rate_low, rate_high (equal when a single rate is quoted).
    """
    top = float(result.row(model or result.best)["top_decile_rate"])
    rows = [(f"text_{k}", low, high) for k, (low, high) in TEXT_RESPONSE_RATES.items()]
    rows += [("data_untargeted", result.base_rate, result.base_rate), ("data_top_decile", top, top)]
    return pd.DataFrame(rows, columns=["situation", "rate_low", "rate_high"])
