"""The value analysis says what this run's numbers show: the 80/20 finding flips with the data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from crmlab.core.notebook import RECOMMEND_MIME
from crmlab.reports.specs import read_spec
from crmlab.value import summary as findings
from crmlab.value.matrix import value_matrix
from crmlab.value.pareto import pareto
from crmlab.value.warning import churn_warning
from tests.conftest import NOTEBOOKS
from tests.value.planted import transactions

NOTEBOOK = NOTEBOOKS / "20-value-analysis.ipynb"


def curve(values: list[float]):
    return pareto(pd.DataFrame({"revenue": values}), value_col="revenue")


def test_the_pareto_sentence_follows_the_concentration():
    even = curve([10.0] * 10)  # the top 2 of 10 hold exactly 20%
    skewed = curve([460.0, 460.0] + [10.0] * 8)  # the top 2 of 10 hold 920 / 1000
    middle = curve([30.0, 20.0] + [10.0] * 8)  # 50 / 130 = 38.5%: spread; a little more is moderate
    assert [findings.concentration(c.top_share) for c in (even, skewed, middle)] == ["spread", "concentrated", "spread"]
    assert findings.concentration(0.5) == "moderate"
    assert "spread evenly" in findings.pareto_meaning(even, "en") and "20%" in findings.pareto_meaning(even, "en")
    assert "concentrated" in findings.pareto_meaning(skewed, "en") and "92%" in findings.pareto_meaning(skewed, "en")
    assert "均匀" in findings.pareto_meaning(even, "zh") and "集中" in findings.pareto_meaning(skewed, "zh")
    assert "programmes for the many" in findings.concentration_action(even, "en")
    assert "top 2 customers most closely" in findings.concentration_action(skewed, "en")


def test_the_win_back_action_names_whom_how_many_and_the_revenue_or_that_nobody_is_at_risk():
    frame = pd.DataFrame(
        {
            "recency_days": [100, 10, 50],
            "median_gap_days": [20.0, 20.0, float("nan")],
            "p_alive": [0.2, 0.9, 0.3],
            "revenue": [10.0, 30.0, 60.0],
        }
    )  # customer 1: both rules; customer 3: P(alive) only
    text = findings.win_back_action(churn_warning(frame), "at_risk.csv", "en")
    assert text.startswith("Win back first the 1 customers flagged by both")
    assert "then the other 1 flagged ones: together they brought 70.00, 70% of revenue" in text
    calm = churn_warning(frame.assign(recency_days=[1, 1, 1], p_alive=0.9))
    assert "No customer is flagged" in findings.win_back_action(calm, "at_risk.csv", "en")
    assert findings.risk_meaning(calm, "en") == findings.risk_revenue_meaning(calm, "en")


def test_the_budget_action_develops_iron_customers_only_when_they_hold_potential():
    worth = value_matrix(
        pd.DataFrame({"current_value": [10, 10, 1, 1], "potential_value": [5, 1, 5, 1]}), current_cut=5, potential_cut=5
    )  # iron holds 5 of 12 potential
    poor = value_matrix(
        pd.DataFrame({"current_value": [10, 10, 1, 1], "potential_value": [95, 1, 5, 1]}),
        current_cut=5,
        potential_cut=5,
    )  # iron holds 5 of 102
    assert "develop the 1 iron customers, who hold 42% of potential value" in findings.value_class_action(worth, "en")
    assert "hold only 5% of potential value" in findings.value_class_action(poor, "en")


def _run(tmp_path, kind: str, lang: str):
    from crmlab.reports import runner

    path = tmp_path / f"{kind}.csv"
    transactions(kind).to_csv(path, index=False)
    request = runner.plan(read_spec(NOTEBOOK), {"input_path": str(path)}, lang=lang)
    (result,) = runner.run_all([request], tmp_path / "reports", jobs=1)
    assert result.status == "ok", result.message
    nb = json.loads((result.folder / f"{NOTEBOOK.stem}.ipynb").read_text(encoding="utf-8"))
    actions = [
        out["data"][RECOMMEND_MIME]["action"]
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if RECOMMEND_MIME in out.get("data", {})
    ]
    return {f["name"]: f for f in result.figures}, actions


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "lang", "says", "low", "high"),
    [
        ("spread", "en", "spread evenly, not 80/20", 0.2, 0.3),
        ("concentrated", "en", "concentrated, as the 80/20 rule says", 0.8, 0.9),
        ("spread", "zh", "收入分布均匀，不符合二八定律", 0.2, 0.3),
    ],
)
def test_the_report_says_what_the_planted_file_shows(tmp_path, kind, lang, says, low, high):
    figures, actions = _run(tmp_path, kind, lang)
    top = figures["top20_share"]
    assert low < top["value"] < high and top["headline"]
    assert says in top["meaning"]
    headlines = [name for name, f in figures.items() if f.get("headline")]
    assert headlines == ["top20_share", "warn_either", "warn_revenue_share", "platinum_customers", "potential_value"]
    assert all(figures[name].get("meaning") for name in headlines)
    assert len(actions) == 3
    if kind == "spread" and lang == "en":
        assert "programmes for the many" in actions[0]
    elif kind == "concentrated":
        assert "most closely" in actions[0]


def test_the_rfm_caption_names_the_segment_with_most_revenue_and_the_largest():
    profile = pd.DataFrame(
        {
            "segment": ["champions", "hibernating"],
            "customers": [30, 70],
            "customer_share": [0.3, 0.7],
            "revenue_share": [0.72, 0.28],
        }
    )
    assert findings.segments_caption(profile, "en") == (
        "Champions (30% of customers) bring 72% of revenue; the largest segment, Hibernating, "
        "holds 70% of customers and 28% of revenue."
    )


def test_the_win_back_action_names_one_group_when_no_customer_is_flagged_by_both_rules():
    frame = pd.DataFrame(
        {
            "recency_days": [10, 10, 50],
            "median_gap_days": [20.0, 20.0, float("nan")],
            "p_alive": [0.2, 0.9, 0.3],
            "revenue": [10.0, 30.0, 60.0],
        }
    )  # customers 1 and 3: P(alive) only, nobody silent for too long
    text = findings.win_back_action(churn_warning(frame), "at_risk.csv", "en")
    said = "Win back the 2 customers flagged at risk: they brought 70.00, 70% of revenue. The list is at_risk.csv."
    assert text == said
    assert "0 位" not in findings.win_back_action(churn_warning(frame), "at_risk.csv", "zh")
