"""What notebook 40 tells a reader: model strength, the threshold against the peak, the decision, tables in words."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.fraud import report
from crmlab.propensity.costs import ThresholdChoice, choose_threshold


def choice(threshold: float, savings: float, *, acted: int = 300, cases: int = 1000) -> ThresholdChoice:
    return ThresholdChoice(
        threshold=threshold,
        acted=acted,
        caught=40,
        cases=cases,
        positives=50,
        savings=savings,
        savings_everyone=-10.0,
        vs_no_one=savings,
        vs_everyone=savings + 10,
        per_case=savings / cases,
    )


def test_the_peak_sentence_flips_between_at_and_below_the_test_peak() -> None:
    # hand-made scores: the training-chosen threshold 0.5 catches both frauds; the test's own best is 0.8
    y, score = [1, 0, 0, 1, 0, 0], [0.9, 0.85, 0.8, 0.55, 0.5, 0.1]
    costs = {"action_cost": 10, "loss_per_positive": 100}
    peak = choose_threshold(y, score, **costs)
    assert peak.threshold == pytest.approx(0.55) and peak.savings == 160  # 2 x 100 - 4 x 10
    same = choose_threshold(y, score, threshold=0.55, **costs)
    below = choose_threshold(y, score, threshold=0.5, **costs)  # one more honest case: 150
    assert report.at_peak(same, peak) and not report.at_peak(below, peak)
    assert report.peak_text(same, peak, lang="en").startswith("The recommended threshold sits at the test set's own")
    text = report.peak_text(below, peak, lang="en")
    assert (
        "peak lies at a fraud probability of 55.0%" in text and "10.00 more than the recommended 50.0% (150.00)" in text
    )
    assert "查看测试集结果之前" in report.peak_text(below, peak, lang="zh")


def test_the_model_is_called_strong_fair_or_weak_against_stated_bars() -> None:
    assert report.model_meaning(0.85, lang="en").startswith("The model ranks frauds well")
    assert report.model_meaning(0.75, lang="en").startswith("The model ranks frauds fairly")
    weak = report.model_meaning(0.557, lang="en")
    assert weak.startswith("The model is weak") and "56%" in weak and "below 70%" in weak


def test_the_recommendation_names_count_threshold_and_savings_or_advises_against() -> None:
    costs = {"action_cost": 100, "loss_per_positive": 2000}
    text = report.recommendation(choice(0.055, 47000.0), flagged=1110, rows=4000, path="fraud_scores.csv", **costs)
    assert text == (
        "Investigate the 1,110 cases (27.8% of the base) with a fraud probability of at least 5.5% "
        "(listed in fraud_scores.csv); on the test set this nets 47,000.00 per 1,000 cases."
    )
    costs = {"action_cost": 5000, "loss_per_positive": 2000, "lang": "zh"}
    none = report.recommendation(choice(float("inf"), 0.0, acted=0), flagged=0, rows=4000, path="x.csv", **costs)
    assert none.startswith("不要依据此模型开展调查") and "5,000.00" in none


def test_tables_and_feature_names_read_in_chinese_without_code_names() -> None:
    cases = pd.DataFrame({"customer_id": ["T1"], "residence": ["non-local"], "bill_trend_12m": [1.16], "score": [0.74]})
    styled = report.fraud_table(cases, lang="zh")
    assert styled.data.columns.tolist() == ["客户编号", "居住地", "12 个月账单趋势（每月变化）", "欺诈概率"]
    html = styled.to_html()
    assert "外地" in html and "non-local" not in html and "74.0%" in html
    assert report.names(["avg_bill", "housing"], lang="zh") == "月均账单、住房"


def test_chart_captions_state_the_numbers_the_charts_show() -> None:
    from crmlab.propensity.evaluation import calibration_table, gains_table

    y = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0]  # 2 frauds among 10 cases, at ranks 1 and 3
    score = [0.95, 0.9, 0.85, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.05]
    text = report.gains_caption(gains_table(y, score), lang="en")
    assert text == (
        "Investigating the 10% of test cases the model scores highest finds 50% of all frauds "
        "(5.0 times the average rate); the top 30% find 100%."
    )
    calibration = calibration_table(y, score, bins=2)  # top half: mean score 0.72, 2 of 5 fraud
    text = report.calibration_caption(calibration, lang="en")
    assert "predicts 44.0% fraud against 20.0% observed" in text and "predicts 72.0% against 40.0%" in text


def test_the_cost_chart_marks_the_test_peak_beside_the_chosen_threshold() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from crmlab.fraud.charts import mark_peak
    from crmlab.propensity.charts import plot_cost
    from crmlab.propensity.costs import cost_table

    y, score = [1, 0, 0, 1, 0, 0], [0.9, 0.85, 0.8, 0.55, 0.5, 0.1]
    costs = cost_table(y, score, action_cost=10, loss_per_positive=100)
    peak = choose_threshold(y, score, action_cost=10, loss_per_positive=100)
    ax = mark_peak(plot_cost(costs, threshold=0.5), costs, peak, lang="zh")
    assert [tuple(c.get_offsets()[0]) for c in ax.collections[-1:]] == [(4 / 6, 160.0)]
    assert "测试集峰值（55.0%）" in [t.get_text() for t in ax.get_legend().get_texts()]
