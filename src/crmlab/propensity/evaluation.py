"""How good a propensity score is: test-set metrics and the tables behind the charts.

`evaluate` (ROC AUC, PR AUC, top-decile lift, Brier score per model), `gains_table` and
`top_decile_lift`, `calibration_table`, `roc_table` and `pr_table`; `stack` puts several models'
tables one above the other for `crmlab.propensity.charts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

from crmlab.core.checks import check_whole
from crmlab.core.errors import InputError
from crmlab.core.i18n import t

__all__ = [
    "calibration_table",
    "check_scores",
    "evaluate",
    "gains_table",
    "pr_table",
    "roc_table",
    "stack",
    "top_decile_lift",
]


def check_scores(y_true: Any, score: Any) -> tuple[np.ndarray, np.ndarray]:
    """``y_true`` (0/1) and ``score`` as float arrays; InputError unless 1-D, equally long, complete.

    >>> check_scores([0, 1], [0.2, 0.9])
    (array([0., 1.]), array([0.2, 0.9]))
    """
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(score, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise InputError(t("propensity.err.score_shape", y=y.shape, s=s.shape))
    if len(y) == 0:
        raise InputError(t("propensity.err.no_cases"))
    if not np.isin(y, (0, 1)).all():
        raise InputError(t("propensity.err.not_01"))
    if np.isnan(s).any():
        raise InputError(t("propensity.err.missing_scores", n=int(np.isnan(s).sum())))
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
    y, s = check_scores(y_true, score)
    bins = min(check_whole(bins, "bins", low=1), len(y))
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
    y, s = check_scores(y_true, score)
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
        y, s = check_scores(y_true, s)
        fpr, tpr, _ = roc_curve(y, s)
        parts.append(pd.DataFrame({"model": name, "fpr": fpr, "tpr": tpr, "auc": roc_auc_score(y, s)}))
    return pd.concat(parts, ignore_index=True)


def pr_table(y_true: Any, scores: Mapping[str, Any]) -> pd.DataFrame:
    """Precision-recall curve points of each model: model, recall, precision, auc (average precision), base_rate."""
    parts = []
    for name, s in scores.items():
        y, s = check_scores(y_true, s)
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
        y, s = check_scores(y_true, s)
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
