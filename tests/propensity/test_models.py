"""Tests of crmlab.propensity.models: the candidate models, their comparison and the one selection policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from crmlab import propensity as P
from crmlab.core.errors import InputError, ParameterError
from tests.conftest import zh_message


def test_models_recover_planted_signal(fitted: dict) -> None:
    parts = fitted["parts"]
    evaluation = P.evaluate(parts.test.y, P.score_all(fitted["models"], parts.test.X)).set_index("model")
    assert list(evaluation.index) == list(P.MODEL_NAMES)
    X = parts.test.X
    oracle = np.where((X["age"] < 30) & (X["kind"] == "a"), 0.6, 0.03)  # the planted probabilities
    best = P.evaluate(parts.test.y, {"oracle": oracle})["roc_auc"].iloc[0]
    # the segment is only ~6 % of cases, so even the truth ranks at ROC AUC ~0.74; every model must
    # come within 0.05 of it and put at least 3 times the base rate into its top decile
    assert best > 0.7
    assert (evaluation["roc_auc"] > best - 0.05).all(), (best, evaluation)
    assert (evaluation["top_decile_lift"] > 3).all(), evaluation


def test_balanced_probabilities_are_on_the_real_base_rate(fitted: dict) -> None:
    parts = fitted["parts"]
    mean_score = P.score(fitted["models"]["logistic"], parts.train.X).mean()
    # balanced fitting alone would give a mean near 0.5; the prior correction maps it back
    assert abs(mean_score - parts.train.base_rate) < 0.03


def test_balanced_logistic_regression_equals_the_corrected_weighted_fit() -> None:
    # oracle: scikit-learn's own class-weighted fit, mapped back with the prior correction by hand
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"x": rng.normal(size=400)})
    y = (rng.random(400) < 1 / (1 + np.exp(2 - 1.5 * X["x"]))).astype(int)
    ours = P.Balanced(P.build_models(P.prepare(X.assign(y=y), target="y"))["logistic"][-1].estimator).fit(X, y)
    weighted = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(X, y)
    p = weighted.predict_proba(X)[:, 1]
    odds = p / (1 - p) * y.mean() / (1 - y.mean())
    np.testing.assert_allclose(ours.predict_proba(X)[:, 1], odds / (1 + odds), rtol=1e-4)


def test_compare_models_is_reproducible(prepared: P.Prepared) -> None:
    small = prepared.subset(prepared.X.index[:800])
    models = {k: v for k, v in P.build_models(small, seed=3).items() if k in ("logistic", "tree")}
    first = P.compare_models(small, models, folds=3, seed=3)
    second = P.compare_models(small, models, folds=3, seed=3)
    assert list(first.table.columns) == ["model", "roc_auc", "roc_auc_std", "pr_auc", "pr_auc_std"]
    assert first.table["model"].tolist() == ["logistic", "tree"]  # in the order given; best_model ranks
    pd.testing.assert_frame_equal(first.table, second.table)
    assert first.oof.notna().all().all() and list(first.oof.columns) == ["logistic", "tree"]
    pd.testing.assert_frame_equal(P.cross_validate_models(small, models, folds=3, seed=3), first.table)
    with pytest.raises(InputError, match="cross-validation needs"):
        P.compare_models(small.subset(small.X.index[:40]), models, folds=30)


def test_best_model_ranks_by_the_named_metric() -> None:
    table = pd.DataFrame({"model": ["tree", "mlp", "logistic"], "roc_auc": [0.7, 0.8, 0.8], "pr_auc": [0.3, 0.2, 0.25]})
    assert P.best_model(table, metric="pr_auc") == "tree"
    assert P.best_model(table, metric="roc_auc") == "mlp"  # a tie goes to the first
    assert P.best_model(table, metric="pr_auc", model="mlp") == "mlp"
    with pytest.raises(ParameterError, match="Did you mean 'mlp'"):
        P.best_model(table, metric="pr_auc", model="mpl")
    with pytest.raises(ParameterError, match="metric must be one of 'roc_auc', 'pr_auc'"):
        P.best_model(table, metric="top_decile_lift")


def test_prior_correction_by_hand_and_keeps_ranking() -> None:
    # odds 1 × (0.1 / 0.9) / (0.5 / 0.5) = 1/9 -> p = 0.1.
    assert P.prior_correction(np.array([0.5]), sample_rate=0.5, base_rate=0.1)[0] == pytest.approx(0.1)
    # p = 0.8: odds 4 × 1/9 = 4/9 -> p = 4/13.
    assert P.prior_correction([0.8], sample_rate=0.5, base_rate=0.1)[0] == pytest.approx(4 / 13)
    # sampled at 20 %: odds 1 × (0.1 / 0.9) / (0.2 / 0.8) = 4/9 -> p = 4/13.
    assert P.prior_correction([0.5], sample_rate=0.2, base_rate=0.1)[0] == pytest.approx(4 / 13)
    raw = np.array([0.9, 0.2, 0.6, 0.4])
    corrected = P.prior_correction(raw, sample_rate=0.5, base_rate=0.02)
    assert np.array_equal(np.argsort(raw), np.argsort(corrected))
    with pytest.raises(ParameterError):
        P.prior_correction(raw, sample_rate=0.5, base_rate=0.0)


def test_check_models() -> None:
    assert P.check_models(P.DEFAULT_MODELS) == ("logistic", "gradient_boosting", "mlp")
    with pytest.raises(ParameterError, match="forest"):
        P.check_models(["logistic", "forest"])


@pytest.mark.parametrize(
    ("error", "call"),
    [
        (ParameterError, lambda: P.check_models(["forest"])),
        (ParameterError, lambda: P.prior_correction([0.5], sample_rate=1.0, base_rate=0.1)),
        (ParameterError, lambda: P.best_model(pd.DataFrame({"model": ["mlp"], "roc_auc": [0.8]}), metric="pr_auc")),
        (ParameterError, lambda: P.best_model(pd.DataFrame({"model": ["mlp"]}), metric="roc_auc", model="tree")),
    ],
)
def test_errors_read_in_chinese(error: type, call) -> None:
    zh_message(call, error)


def test_too_few_cases_for_the_folds_reads_in_chinese(prepared: P.Prepared) -> None:
    small = prepared.subset(prepared.X.index[:40])
    models = {"logistic": P.build_models(small)["logistic"]}
    zh_message(lambda: P.compare_models(small, models, folds=30), InputError)
