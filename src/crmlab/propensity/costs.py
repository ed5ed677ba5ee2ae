"""Whom to act on: the score threshold that maximises net savings.

Acting on a case (investigating it, contacting a customer) costs something; acting on a positive
prevents a loss. `cost_table` lists the net savings of every threshold, `choose_threshold` picks the
best one on one set of cases and measures it on another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlab.core.checks import check_range
from crmlab.propensity.evaluation import check_scores

__all__ = ["ThresholdChoice", "choose_threshold", "cost_table"]


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

    Examples
    --------
    >>> cost_table([1, 0, 1], [0.9, 0.5, 0.2], action_cost=10, loss_per_positive=100)["savings"].tolist()
    [0, 90, 80, 170]
    """
    y, s = check_scores(y_true, score)
    check_range(action_cost, "action_cost", low=0)
    check_range(loss_per_positive, "loss_per_positive", low=0, low_open=True)
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
    y, s = check_scores(y_true, score)
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
