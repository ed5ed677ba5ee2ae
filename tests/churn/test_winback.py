"""Tests of crmlab.churn.winback: the five kinds of lost customer and the win-back ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import churn
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.churn import REASON_TEMPLATES


def _lost(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(len(rows))],
            "reason": [r for r, _, _ in rows],
            "cause": [c for _, c, _ in rows],
            "revenue": [v for _, _, v in rows],
            "margin": 0.1,
        }
    )


def test_winback_ranking_follows_value_and_type_rules() -> None:
    lost = _lost(
        [
            ("Too expensive", "price", 100_000),  # price seeker: not recommended, however valuable
            ("Competitor made a better offer", "price", 1_000),  # competitor offer: 0.30 x 300 = 90
            ("Poor service", "product", 5_000),  # left although retained: 0.15 x 1,500 = 225
            ("Moved away", "product", 50_000),  # lost the condition to buy
            ("Account closed by us for non-payment", "other", 9_000),  # dropped by the firm
            ("The app is outdated", "technology", 3_000),  # competitor offer: 0.30 x 900 = 270
        ]
    )
    result = churn.win_back(lost, second_life_years=3)
    ranking = result.ranking
    assert ranking["customer_id"].tolist()[:3] == ["c5", "c2", "c1"]
    assert ranking["recommend"].tolist() == [True, True, True, False, False, False]
    assert ranking["expected_value"].iloc[:3].tolist() == pytest.approx([270, 225, 90])
    rejected = ranking[~ranking["recommend"]]
    assert set(rejected["winback_type"]) == {"price_seeker", "lost_condition", "dropped_by_firm"}
    assert rejected["expected_value"].is_monotonic_decreasing
    summary = result.summary.set_index("winback_type")
    assert summary.loc["competitor_offer", "recommended"] == 2
    assert summary.loc["price_seeker", "recommended_value"] == 0

    changed = churn.win_back(lost, table={"低价寻求者": {"win_back": True}}, min_value=200)
    assert changed.ranking["customer_id"].tolist()[:3] == ["c0", "c5", "c2"]  # c1 (90) is below 200
    assert changed.ranking["recommend"].sum() == 3


def test_winback_types_recovered_on_synthetic_data(causes: churn.CauseDistribution) -> None:
    truth = {}
    for _, kind, en, zh in REASON_TEMPLATES:
        truth[en] = truth[zh] = kind
    classified = churn.classify_winback(causes.assigned)
    planted = classified["reason"].map(truth).fillna("left_despite_retention")
    assert (planted == classified["winback_type"]).all()


def test_winback_type_column_and_bad_table() -> None:
    lost = _lost([("x", "other", 100.0)]).assign(kind=["低价寻求者"])
    assert churn.classify_winback(lost, type_col="kind")["winback_type"].tolist() == ["price_seeker"]
    with pytest.raises(ParameterError, match="success"):
        churn.win_back(lost, table={"price_seeker": {"succes_rate": 0.5}})
    with pytest.raises(ParameterError, match="success_rate"):
        churn.win_back(lost, table={"price_seeker": {"success_rate": 5}})


def test_recommendation_totals_and_table() -> None:
    lost = _lost([("Competitor made a better offer", "price", 1_000), ("Too expensive", "price", 2_000)])
    result = churn.win_back(lost, second_life_years=3)
    assert result.n_recommended == 1
    assert result.recommended_value == pytest.approx(0.30 * 1_000 * 0.1 * 3)
    table = churn.winback_table()
    assert table.index.tolist() == list(churn.WINBACK_TYPES)
    assert table["win_back"].tolist() == [False, True, True, False, False]


def test_rules_by_cause_and_unknown_causes() -> None:
    lost = _lost([("?", "price", 100.0), ("?", "mystery", 100.0)])
    with pytest.raises(InputError, match="mystery"):
        churn.classify_winback(lost)
    ruled = churn.classify_winback(lost, by_cause={"mystery": "被竞争对手吸引"})
    assert ruled["winback_type"].tolist() == ["price_seeker", "competitor_offer"]
    assert ruled["winback_basis"].tolist() == ["cause", "cause"]
    with pytest.raises(ParameterError, match="competitor"):
        churn.classify_winback(lost, by_cause={"mystery": "competitors"})
