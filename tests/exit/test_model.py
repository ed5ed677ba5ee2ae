"""Exit classification: weights, scores, labels, the network against its baselines, the k-of-n rule."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import catalogue
from crmlab.data.synthetic.exit_factors import make_exit_factors
from crmlab.exit import model as em

matplotlib.use("Agg")

ZH_COLUMNS = {
    "客户编号": "customer_id",
    "期间": "period",
    "单位产品利润": "unit_profit",
    "总购买量": "purchase_volume",
    "总服务成本": "service_cost",
    "价格贴水率": "price_premium",
    "重复购买率": "repeat_rate",
    "收入增加率": "income_growth",
    "增值购买率": "value_added_rate",
    "口碑效应": "word_of_mouth",
    "创新弹性": "innovation",
    "历史评价": "label",
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_exit_factors(seed=0)


@pytest.fixture(scope="module")
def scored(table: pd.DataFrame) -> pd.DataFrame:
    checked = em.validate_factor_table(table, label_col="label")
    return em.assign_labels(em.score_customers(checked, em.factor_weights().global_weights))


@pytest.fixture(scope="module")
def model(scored: pd.DataFrame) -> em.ExitModel:
    return em.fit_exit_model(scored, hidden_layers=[16], seed=0, n_repeats=2)


def _tiny(n: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.uniform(1, 10, size=(n, len(em.FACTORS))), columns=list(em.FACTORS))
    frame.insert(0, "customer_id", [f"c{i}" for i in range(n)])
    return frame


def test_synthetic_is_seeded_and_has_periods(table: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(table, make_exit_factors(seed=0))
    assert not table.equals(make_exit_factors(seed=1))
    assert table.groupby("customer_id")["period"].nunique().eq(4).all()
    assert set(table["planted_pattern"]) == {"stable", "dip", "declining"}
    # the planted label rule: lowest 20% bad, top 30% good
    assert table["label"].value_counts(normalize=True).round(2).to_dict() == {"medium": 0.5, "good": 0.3, "bad": 0.2}
    assert "synthetic_exit_factors" in set(datasets.available()["name"])


def test_default_factor_weights_by_hand() -> None:
    weights = em.factor_weights().global_weights
    assert list(weights.index) == list(em.FACTORS)
    assert weights.sum() == pytest.approx(1.0)
    # value: current 2/3, potential 1/3; current: 3/7, 3/7, 1/7; potential: loyalty 2/3;
    # loyalty: price premium 1/3, repeat rate 2/3
    assert weights["unit_profit"] == pytest.approx(2 / 3 * 3 / 7)
    assert weights["service_cost"] == pytest.approx(2 / 3 * 1 / 7)
    assert weights["repeat_rate"] == pytest.approx(1 / 3 * 2 / 3 * 2 / 3)


def test_user_matrix_replaces_default_and_inconsistent_one_is_named() -> None:
    weights = em.factor_weights({"value": [[1, "1/3"], [3, 1]]}).global_weights
    assert weights[["unit_profit", "purchase_volume", "service_cost"]].sum() == pytest.approx(0.25)
    with pytest.raises(ParameterError, match="'development' is too inconsistent"):
        em.factor_weights({"development": [[1, 9, "1/9", 1], ["1/9", 1, 9, 1], [9, "1/9", 1, 1], [1, 1, 1, 1]]})
    with pytest.raises(ParameterError, match="Unknown AHP criteria"):
        em.factor_weights({"loyalty_x": [[1]]})


def test_score_reverses_the_cost_factor() -> None:
    frame = _tiny(3)
    frame[list(em.FACTORS)] = 5.0
    frame["service_cost"] = [100.0, 200.0, 300.0]
    weights = pd.Series(0.0, index=list(em.FACTORS))
    weights["service_cost"] = 1.0
    scored = em.score_customers(em.validate_factor_table(frame), weights)
    assert scored["ahp_score"].tolist() == [1.0, 0.5, 0.0]
    assert "ahp_score" not in frame.columns


def test_score_labels_follow_the_stated_quantiles(scored: pd.DataFrame) -> None:
    labelled = em.assign_labels(scored, source="score", quantiles=[0.2, 0.7])
    shares = labelled["exit_label"].value_counts(normalize=True)
    assert shares["bad"] == pytest.approx(0.2, abs=0.001)
    assert shares["good"] == pytest.approx(0.3, abs=0.001)
    means = labelled.groupby("exit_label")["ahp_score"].mean()
    assert means["bad"] < means["medium"] < means["good"]
    assert labelled.loc[labelled["exit_label"] == "bad", "ahp_score"].max() < labelled["ahp_score"].median()
    with pytest.raises(ParameterError, match="score_quantiles"):
        em.assign_labels(scored, source="score", quantiles=[0.7, 0.2])
    with pytest.raises(ParameterError, match="label_source"):
        em.assign_labels(scored, source="judgement")


def test_network_beats_chance_and_ties_or_beats_logistic(model: em.ExitModel) -> None:
    # Seed 0 (600 customers x 4 periods, labels from the planted nonlinear profit rule):
    # network 0.836, logistic 0.829, AHP thresholds 0.813; chance is about 0.33.
    assert model.macro_f1 > 0.75
    assert model.macro_f1 >= model.baselines["logistic"] - 0.02
    assert model.macro_f1 >= model.baselines["ahp_thresholds"] - 0.02
    assert model.baseline_macro_f1 == model.baselines.max()
    assert model.layer_sizes == (9, 16, 3)
    assert list(model.confusion.index) == ["good", "medium", "bad"]
    assert model.confusion.to_numpy().sum() == model.report["support"].sum()
    # good is never mistaken for bad often: the classes are ordered
    assert model.confusion.loc["good", "bad"] <= 2


def test_split_keeps_customers_together(model: em.ExitModel) -> None:
    sides = model.predictions.groupby("customer_id")["split"].nunique()
    assert sides.eq(1).all()
    test_share = model.predictions.drop_duplicates("customer_id")["split"].eq("test").mean()
    assert test_share == pytest.approx(0.3, abs=0.01)


def test_permutation_importance_finds_the_profit_factors(model: em.ExitModel) -> None:
    # the planted judgement is driven by unit profit x volume - service cost
    top = set(model.importance["factor"].head(3))
    assert {"unit_profit", "purchase_volume"} <= top


def test_same_seed_same_model(scored: pd.DataFrame, model: em.ExitModel) -> None:
    again = em.fit_exit_model(scored, hidden_layers=[16], seed=0, n_repeats=2)
    assert again.macro_f1 == model.macro_f1
    pd.testing.assert_frame_equal(again.confusion, model.confusion)


def test_k_of_n_rule_by_hand() -> None:
    predictions = pd.DataFrame(
        {
            "customer_id": ["a"] * 4 + ["b"] * 4 + ["c"] * 2,
            "period": [1, 2, 3, 4] * 2 + [3, 4],
            "predicted": ["bad", "bad", "good", "good"]  # a: bad long ago only
            + ["good", "medium", "good", "bad"]  # b: bad only in the last period
            + ["bad", "bad"],  # c: bad in both periods seen
        }
    )
    flags = em.flag_exits(predictions, k_periods=2, n_periods=3)
    table = flags.table.set_index("customer_id")
    assert flags.periods == (2, 3, 4)
    assert table["bad_periods"].to_dict() == {"a": 1, "b": 1, "c": 2}
    assert table["flagged"].to_dict() == {"a": False, "b": False, "c": True}
    assert (flags.n_flagged, flags.n_point_in_time, flags.n_spared) == (1, 2, 1)
    assert flags.bad_share == pytest.approx(1 / 3)
    with pytest.raises(ParameterError, match="k_periods"):
        em.flag_exits(predictions, k_periods=4, n_periods=3)


def test_single_period_falls_back_to_point_in_time() -> None:
    predictions = pd.DataFrame({"customer_id": ["a", "b"], "period": [1, 1], "predicted": ["bad", "good"]})
    flags = em.flag_exits(predictions, k_periods=2, n_periods=3)
    assert (flags.k_periods, flags.n_periods, flags.n_flagged) == (1, 1, 1)


def test_k_of_n_spares_one_period_dips(table: pd.DataFrame, model: em.ExitModel) -> None:
    flags = em.flag_exits(model.predictions, k_periods=2, n_periods=3)
    pattern = table.drop_duplicates("customer_id").set_index("customer_id")["planted_pattern"]
    by_pattern = flags.table.assign(pattern=flags.table["customer_id"].map(pattern)).groupby("pattern")
    flagged, latest = by_pattern["flagged"].mean(), by_pattern["bad_latest"].mean()
    # declining customers are caught; a dip in the last period does not get a customer exited
    assert flagged["declining"] > 2 * flagged["stable"]
    assert flags.n_spared > 0
    assert flagged["dip"] < latest["dip"]


def test_exit_list_reasons_name_the_weakest_factors() -> None:
    frame = _tiny(6)
    frame[list(em.FACTORS)] = 5.0
    frame.loc[0, "repeat_rate"] = 0.0  # far below the others
    frame.loc[0, "service_cost"] = 50.0  # a cost far above the others
    frame.loc[1:, "repeat_rate"] = [4.0, 5.0, 6.0, 5.0, 5.0]
    frame.loc[1:, "service_cost"] = [4.0, 5.0, 6.0, 5.0, 5.0]
    checked = em.score_customers(em.validate_factor_table(frame), em.factor_weights().global_weights)
    predictions = pd.DataFrame(
        {"customer_id": checked["customer_id"], "period": 1, "predicted": ["bad"] + ["good"] * 5}
    )
    flags = em.flag_exits(predictions, k_periods=1, n_periods=1)
    listed = em.exit_list(checked, flags, lang="en")
    assert listed["customer_id"].tolist() == ["c0"]
    assert listed.loc[0, "reasons"].startswith("Total service cost (")
    assert "Repeat-purchase rate" in listed.loc[0, "reasons"]
    assert listed.loc[0, "repeat_rate"] == 0.0
    zh = em.exit_list(checked, flags, lang="zh")
    assert zh.loc[0, "reasons"].startswith("总服务成本（")


def test_exit_list_csv_opens_in_excel_encoding(tmp_path: Path) -> None:
    listed = pd.DataFrame({"customer_id": ["c1"], "reasons": ["重复购买率（-2.0 个标准差）"]})
    path = em.write_exit_list(listed, tmp_path / "out")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(path, encoding="utf-8-sig")["reasons"][0] == "重复购买率（-2.0 个标准差）"


def test_checklist_carries_the_counts_in_both_languages() -> None:
    predictions = pd.DataFrame(
        {"customer_id": ["a", "a", "b", "b"], "period": [1, 2, 1, 2], "predicted": ["bad", "bad", "good", "bad"]}
    )
    flags = em.flag_exits(predictions, k_periods=2, n_periods=2)
    english, chinese = em.checklist(flags, lang="en"), em.checklist(flags, lang="zh")
    assert "1 of 2 customers" in english and "Keep the 1 customers" in english
    assert "2 位客户中有 1 位进入退出名单" in chinese and "准备" in chinese and "退出之后" in chinese


def test_chinese_gbk_csv_through_the_column_mapping(tmp_path: Path, table: pd.DataFrame) -> None:
    reverse = {canonical: user for user, canonical in ZH_COLUMNS.items()}
    user = table.drop(columns="planted_pattern").head(400).rename(columns=reverse)
    user["历史评价"] = user["历史评价"].map({"good": "好", "medium": "中", "bad": "坏"})
    path = tmp_path / "客户因素.csv"
    user.to_csv(path, index=False, encoding="gbk")
    read = datasets.read(path, columns=ZH_COLUMNS)
    checked = em.validate_factor_table(read, label_col="label")
    assert checked["label"].value_counts().to_dict() == table.head(400)["label"].value_counts().to_dict()
    scored = em.assign_labels(em.score_customers(checked, em.factor_weights().global_weights))
    fitted = em.fit_exit_model(scored, hidden_layers=[8], n_repeats=1)
    assert fitted.macro_f1 > 0.5


def test_missing_factor_column_is_named() -> None:
    with pytest.raises(InputError, match="repeat_rate"):
        em.validate_factor_table(_tiny().drop(columns="repeat_rate"))


def test_non_numeric_factor_is_named() -> None:
    frame = _tiny().astype({"innovation": object})
    frame.loc[2, "innovation"] = "high"
    with pytest.raises(InputError, match="innovation"):
        em.validate_factor_table(frame)


def test_empty_factor_cell_and_repeated_customer_are_named() -> None:
    frame = _tiny()
    frame.loc[3, "word_of_mouth"] = np.nan
    with pytest.raises(InputError, match=r"'word_of_mouth' has 1 empty cells \(rows 4\)"):
        em.validate_factor_table(frame)
    with pytest.raises(InputError, match="customer 'c0' appears more than once"):
        em.validate_factor_table(pd.concat([_tiny(), _tiny().head(1)]))


def test_unknown_label_is_named() -> None:
    frame = _tiny().assign(label=["好", "中", "坏", "good", "excellent", "bad"])
    with pytest.raises(InputError, match=r"row 5: 'excellent'"):
        em.validate_factor_table(frame, label_col="label")


def test_single_class_is_refused() -> None:
    frame = em.score_customers(_tiny(40), em.factor_weights().global_weights).assign(exit_label="good")
    with pytest.raises(InputError, match="at least two classes"):
        em.fit_exit_model(frame)


def test_too_few_rows_for_the_split() -> None:
    frame = em.score_customers(_tiny(12), em.factor_weights().global_weights)
    frame["exit_label"] = ["good", "medium", "bad"] * 4
    with pytest.raises(InputError, match="Too few rows"):
        em.fit_exit_model(frame)


def test_bad_hidden_layers_are_refused(scored: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="hidden_layers"):
        em.fit_exit_model(scored, hidden_layers=[])


def test_every_exit_message_has_both_languages() -> None:
    keys = [k for k in catalogue() if k.startswith("exit.")]
    assert len(keys) > 50
    assert all(set(catalogue()[k]) == {"en", "zh"} for k in keys)
    assert {f"exit.factor.{f}" for f in em.FACTORS} <= set(keys)


def test_charts_draw(scored: pd.DataFrame, model: em.ExitModel) -> None:
    from crmlab.exit import charts

    axes = [
        charts.plot_weights(em.factor_weights(), lang="zh"),
        charts.plot_score_by_class(scored, lang="en"),
        charts.plot_confusion(model, lang="zh"),
        charts.plot_importance(model, lang="en"),
        charts.plot_network(model, lang="zh"),
    ]
    assert all(ax.get_title() for ax in axes)
    assert axes[0].get_title() == "九个因素的 AHP 总权重"
    assert axes[4].get_title() == "网络结构：9 → 16 → 3"
    assert "单位产品利润" in [text.get_text() for text in axes[4].texts]
    matplotlib.pyplot.close("all")


def test_customer_missing_from_the_last_period_keeps_their_latest_profile() -> None:
    frame = pd.concat([_tiny(4).assign(period=1), _tiny(4).assign(period=2).iloc[1:]], ignore_index=True)
    frame.loc[0, "repeat_rate"] = 0.0  # c0, period 1: its only row
    checked = em.score_customers(em.validate_factor_table(frame), em.factor_weights().global_weights)
    predictions = checked[["customer_id", "period"]].assign(predicted="good")
    predictions.loc[0, "predicted"] = "bad"
    flags = em.flag_exits(predictions, k_periods=1, n_periods=2)
    listed = em.exit_list(checked, flags, lang="en")
    assert listed["customer_id"].tolist() == ["c0"]
    assert listed.loc[0, "repeat_rate"] == 0.0
