"""Propensity models shared by fraud (notebook 40) and retention and targeting (notebook 60).

One binary target, any labelled table. The steps, each in its module:

1. `preparation` - read a labelled table (`load_labelled`), code the target 0/1, choose and type the
   features (`prepare`, `feature_frame`) and hold out a test set (`split`).
2. `models` - the candidate models (`build_models`, balanced and prior-corrected), their
   cross-validated comparison (`compare_models`) and THE policy that picks one (`best_model`,
   ranking by a named metric); `prior_correction` for models fitted on sampled data.
3. `evaluation` - test-set metrics, gains, lift, calibration, ROC and precision-recall tables.
4. `tree` - rule induction: the decision tree's leaves as plain-language rules (`leaf_paths`,
   `extract_rules`).
5. `costs` - the threshold that maximises net savings (`cost_table`, `choose_threshold`).
6. `report` - model names, display tables and generated sentences; `charts` - the charts.

The public names of 1-6 are re-exported here, so a notebook reads ``propensity.prepare(...)``.
"""

from crmlab.propensity.costs import ThresholdChoice, choose_threshold, cost_table
from crmlab.propensity.evaluation import (
    calibration_table,
    check_scores,
    evaluate,
    gains_table,
    pr_table,
    roc_table,
    stack,
    top_decile_lift,
)
from crmlab.propensity.models import (
    DEFAULT_MODELS,
    MODEL_NAMES,
    RANKING_METRICS,
    Balanced,
    ModelComparison,
    best_model,
    build_models,
    check_models,
    compare_models,
    cross_validate_models,
    fit_models,
    prior_correction,
    score,
    score_all,
)
from crmlab.propensity.preparation import (
    DROP_REASONS,
    POSITIVE_WORDS,
    Prepared,
    Split,
    feature_frame,
    load_labelled,
    prepare,
    split,
)
from crmlab.propensity.report import choice_sentence, display_table, dropped_table, metric_label, model_label
from crmlab.propensity.tree import extract_rules, leaf_paths

__all__ = [
    "DEFAULT_MODELS",
    "DROP_REASONS",
    "MODEL_NAMES",
    "POSITIVE_WORDS",
    "RANKING_METRICS",
    "Balanced",
    "ModelComparison",
    "Prepared",
    "Split",
    "ThresholdChoice",
    "best_model",
    "build_models",
    "calibration_table",
    "check_models",
    "check_scores",
    "choice_sentence",
    "choose_threshold",
    "compare_models",
    "cost_table",
    "cross_validate_models",
    "display_table",
    "dropped_table",
    "evaluate",
    "extract_rules",
    "feature_frame",
    "fit_models",
    "gains_table",
    "leaf_paths",
    "load_labelled",
    "metric_label",
    "model_label",
    "pr_table",
    "prepare",
    "prior_correction",
    "roc_table",
    "score",
    "score_all",
    "split",
    "stack",
    "top_decile_lift",
]
