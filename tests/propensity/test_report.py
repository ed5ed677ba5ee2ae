"""Tests of crmlab.propensity.report: one name per model, display tables, generated sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import propensity as P


def test_display_table_translates_headings_and_model_names() -> None:
    y = np.array([0, 1, 0, 1, 1, 0, 0, 0])
    scores = {"logistic": np.linspace(0, 1, 8), "tree": np.linspace(1, 0, 8)}
    shown = P.display_table(P.evaluate(y, scores), lang="zh")
    assert "模型" in shown.data.columns and shown.data["模型"].iloc[0] == "逻辑回归"
    assert "0.333" in shown.to_html()  # scores with three decimals, no row numbers
    gains = P.display_table(P.gains_table(y, scores["logistic"], bins=4), lang="en")
    assert list(gains.data.columns)[:3] == ["Decile", "Cases", "Positives"]
    assert "25.0%" in gains.to_html()


def test_dropped_table(prepared: P.Prepared) -> None:
    table = P.dropped_table(prepared, lang="zh").data
    assert list(table.columns) == ["列", "未使用的原因"]
    assert table.set_index("列").loc["signup_date", "未使用的原因"].startswith("日期列")


def test_one_name_per_model_in_every_language() -> None:
    assert [P.model_label(m) for m in P.MODEL_NAMES] == [
        "Logistic regression",
        "Gradient boosting",
        "Neural network (MLP)",
        "Decision tree",
    ]
    assert P.model_label("logistic", "zh") == "逻辑回归" and P.model_label("forest") == "forest"


def test_choice_sentence_names_the_metric() -> None:
    table = pd.DataFrame({"model": ["tree", "mlp"], "roc_auc": [0.7, 0.8], "top_decile_lift": [3.0, 2.5]})
    sentence = P.choice_sentence(table, P.best_model(table, metric="top_decile_lift"), metric="top_decile_lift")
    assert "**Decision tree**" in sentence and "Top-decile lift: 3.000" in sentence
    assert "ROC AUC：0.800" in P.choice_sentence(table, "mlp", metric="roc_auc", lang="zh")


@pytest.mark.parametrize(
    ("auc", "verdict"),
    [(0.5, "weak"), (0.557, "weak"), (0.6, "modest"), (0.69, "modest"), (0.75, "good"), (0.845, "strong")],
)
def test_a_model_is_judged_against_the_stated_bars(auc: float, verdict: str) -> None:
    assert P.report.auc_verdict(auc) == verdict
    sentence = P.report.verdict_sentence(auc, "mlp", "en")
    assert sentence.startswith(f"With a ROC AUC of {auc:.3f}, Neural network (MLP) is {verdict} (bar: below 0.60 weak")


def test_weak_models_are_named() -> None:
    table = pd.DataFrame({"model": ["logistic", "gradient_boosting", "mlp"], "roc_auc": [0.618, 0.557, 0.59]})
    assert (
        P.report.weak_models_sentence(table, "en")
        == "Weak by ROC AUC (below 0.60): Gradient boosting, Neural network (MLP)."
    )
    assert P.report.weak_models_sentence(table.assign(roc_auc=0.7), "en") == ""


def test_gains_caption_reads_the_first_band_and_says_when_curves_coincide() -> None:
    y = pd.Series([1] * 3 + [0] * 17)  # 20 cases, 3 positives, best scores first: the top 10% holds 2 of them
    good = P.gains_table(y, pd.Series(range(20, 0, -1), dtype=float))
    close = P.gains_table(y, pd.Series([20, 19, 1, *range(18, 1, -1)], dtype=float))
    text = P.report.gains_caption(P.stack({"logistic": good, "mlp": close}), "logistic", "en")
    assert text.startswith(
        "Contacting the top 10% by score finds 67% of all target cases with Logistic regression: 6.67 times"
    )
    assert text.endswith("The models' curves lie within 0% of each other there: they find about the same share.")
    apart = P.gains_table(y, pd.Series(range(1, 21), dtype=float))
    assert "lie within" not in P.report.gains_caption(P.stack({"logistic": good, "mlp": apart}), "logistic", "en")
    assert "逻辑回归可找到全部流失客户的 67%" in P.report.gains_caption(good, "logistic", "zh", noun="defector")
