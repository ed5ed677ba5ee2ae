"""The nine factors: weights, the checked table, the composite score, the labels and their tables."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.exit_factors import make_exit_factors
from crmlab.exit import factors as ef

Tiny = Callable[..., pd.DataFrame]


def test_synthetic_is_seeded_and_has_periods(table: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(table, make_exit_factors(seed=0))
    assert not table.equals(make_exit_factors(seed=1))
    assert table.groupby("customer_id")["period"].nunique().eq(4).all()
    assert set(table["planted_pattern"]) == {"stable", "dip", "declining"}
    # the planted label rule: lowest 20% bad, top 30% good
    assert table["label"].value_counts(normalize=True).round(2).to_dict() == {"medium": 0.5, "good": 0.3, "bad": 0.2}
    assert "synthetic_exit_factors" in set(datasets.available()["name"])


def test_default_factor_weights_by_hand() -> None:
    weights = ef.factor_weights().global_weights
    assert list(weights.index) == list(ef.FACTORS)
    assert weights.sum() == pytest.approx(1.0)
    # value: current 2/3, potential 1/3; current: 3/7, 3/7, 1/7; potential: loyalty 2/3;
    # loyalty: price premium 1/3, repeat rate 2/3
    assert weights["unit_profit"] == pytest.approx(2 / 3 * 3 / 7)
    assert weights["service_cost"] == pytest.approx(2 / 3 * 1 / 7)
    assert weights["repeat_rate"] == pytest.approx(1 / 3 * 2 / 3 * 2 / 3)


def test_user_matrix_replaces_default_and_inconsistent_one_is_named() -> None:
    weights = ef.factor_weights({"value": [[1, "1/3"], [3, 1]]}).global_weights
    assert weights[["unit_profit", "purchase_volume", "service_cost"]].sum() == pytest.approx(0.25)
    with pytest.raises(ParameterError, match="'development' is too inconsistent"):
        ef.factor_weights({"development": [[1, 9, "1/9", 1], ["1/9", 1, 9, 1], [9, "1/9", 1, 1], [1, 1, 1, 1]]})
    with pytest.raises(ParameterError, match=r"matrices must be one of .*'loyalty_x'.*Did you mean 'loyalty'"):
        ef.factor_weights({"loyalty_x": [[1]]})


def test_score_reverses_the_cost_factor(tiny: Tiny) -> None:
    frame = tiny(3)
    frame[list(ef.FACTORS)] = 5.0
    frame["service_cost"] = [100.0, 200.0, 300.0]
    weights = pd.Series(0.0, index=list(ef.FACTORS))
    weights["service_cost"] = 1.0
    scored = ef.score_customers(ef.validate_factor_table(frame), weights)
    assert scored["ahp_score"].tolist() == [1.0, 0.5, 0.0]
    assert "ahp_score" not in frame.columns


def test_score_labels_follow_the_stated_quantiles(scored: pd.DataFrame) -> None:
    labelled = ef.assign_labels(scored, source="score", quantiles=[0.2, 0.7])
    shares = labelled["exit_label"].value_counts(normalize=True)
    assert shares["bad"] == pytest.approx(0.2, abs=0.001)
    assert shares["good"] == pytest.approx(0.3, abs=0.001)
    means = labelled.groupby("exit_label")["ahp_score"].mean()
    assert means["bad"] < means["medium"] < means["good"]
    assert labelled.loc[labelled["exit_label"] == "bad", "ahp_score"].max() < labelled["ahp_score"].median()
    with pytest.raises(ParameterError, match="score_quantiles"):
        ef.assign_labels(scored, source="score", quantiles=[0.7, 0.2])
    with pytest.raises(ParameterError, match="score_quantiles"):
        ef.assign_labels(scored, source="score", quantiles=[0.2])
    with pytest.raises(ParameterError, match=r"score_quantiles must be in \(0, 1\); got 1.2"):
        ef.assign_labels(scored, source="score", quantiles=[0.2, 1.2])
    with pytest.raises(ParameterError, match="label_source"):
        ef.assign_labels(scored, source="judgement")


def test_missing_factor_column_is_named(tiny: Tiny) -> None:
    with pytest.raises(InputError, match="factor table: the column 'repeat_rate' is missing"):
        ef.validate_factor_table(tiny().drop(columns="repeat_rate"))


def test_non_numeric_factor_is_named(tiny: Tiny) -> None:
    frame = tiny().astype({"innovation": object})
    frame.loc[2, "innovation"] = "high"
    with pytest.raises(InputError, match=r"'innovation' must hold numbers.*row 3: 'high'"):
        ef.validate_factor_table(frame)


def test_empty_factor_cell_and_repeated_customer_are_named(tiny: Tiny) -> None:
    frame = tiny()
    frame.loc[3, "word_of_mouth"] = np.nan
    with pytest.raises(InputError, match=r"'word_of_mouth' has 1 empty cells \(rows 4\)"):
        ef.validate_factor_table(frame)
    repeated = r"customer 'c0' appears more than once in period 1 \(1 repeated rows, e.g. rows 7\)"
    with pytest.raises(InputError, match=repeated):
        ef.validate_factor_table(pd.concat([tiny(), tiny().head(1)]))


def test_unknown_label_is_named(tiny: Tiny) -> None:
    frame = tiny().assign(label=["好", "中", "坏", "good", "excellent", "bad"])
    with pytest.raises(InputError, match=r"1 values .* row 5: 'excellent'"):
        ef.validate_factor_table(frame, label_col="label")
    assert ef.normalise_labels(pd.Series(["好", "中", "坏", "差", " GOOD ", "m"])).tolist() == [
        "good",
        "medium",
        "bad",
        "bad",
        "good",
        "medium",
    ]


def test_validation_leaves_the_input_alone(tiny: Tiny) -> None:
    frame = tiny().assign(label=["好", "中", "坏", "good", "medium", "bad"])
    before = frame.copy()
    checked = ef.validate_factor_table(frame, label_col="label")
    pd.testing.assert_frame_equal(frame, before)
    assert checked["period"].eq(1).all()
    assert checked["label"].tolist() == ["good", "medium", "bad", "good", "medium", "bad"]


def test_weights_table_in_chinese() -> None:
    shown = ef.weights_table(ef.factor_weights(), lang="zh")
    data = shown.data
    assert list(data.columns) == ["因素", "层次路径", "局部权重", "总权重"]
    assert data["因素"].tolist()[:3] == ["单位产品利润", "总购买量", "总服务成本"]
    assert data["层次路径"].iloc[0] == "客户关系价值 > 当前价值"
    html = shown.to_html()
    assert "0.286" in html  # global weight of unit profit, 2/3 x 3/7, to three decimals
    assert "row_heading" not in html  # no row numbers


def test_consistency_table_and_text() -> None:
    hierarchy = ef.factor_weights()
    shown = ef.consistency_table(hierarchy, lang="en")
    data = shown.data
    assert list(data.columns) == ["Matrix", "Order n", "λmax", "CI", "RI", "CR"]
    criteria = ["Relationship value", "Current value", "Potential value", "Loyalty", "Development potential"]
    assert data["Matrix"].tolist() == criteria
    assert data["Order n"].tolist() == [2, 3, 2, 2, 4]
    # the 3x3 current-value matrix is consistent (rows 1 and 2 equal, row 3 a third of them)
    assert data["CR"].iloc[1] == pytest.approx(0.0, abs=1e-12)
    largest = max(node.cr for node in hierarchy.nodes.values())
    assert f"largest CR = {largest:.3f}" in ef.consistency_text(hierarchy, lang="en")
    assert "全部 5 个判断矩阵" in ef.consistency_text(hierarchy, lang="zh")


def test_scores_table_shows_the_lowest_scores_with_factor_names(scored: pd.DataFrame) -> None:
    shown = ef.scores_table(scored, label_col="label", n_rows=3, lang="zh")
    data = shown.data
    assert list(data.columns[:4]) == ["客户", "时期", "AHP 综合得分", "历史判断"]
    assert "单位产品利润" in data.columns
    assert data["AHP 综合得分"].tolist() == sorted(scored["ahp_score"].nsmallest(3).tolist())
    assert set(data["历史判断"]) <= {"好", "中", "坏"}


def test_data_and_labels_text(scored: pd.DataFrame) -> None:
    assert ef.data_text(scored, lang="en") == "2,400 rows: 600 customers over 4 period(s)."
    counts = scored["exit_label"].value_counts()
    text = ef.labels_text(scored, source="column", label_col="label", lang="en")
    assert f"{counts['good']} good, {counts['medium']} medium, {counts['bad']} bad" in text
    by_score = ef.assign_labels(scored, source="score")["exit_label"]
    assert f"agree on {(by_score == scored['label']).mean():.0%}" in text
    without = ef.labels_text(scored.drop(columns="label"), source="score", lang="zh")
    assert "AHP 综合得分" in without and "一致" not in without
