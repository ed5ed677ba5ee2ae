"""The exit classifier: the network against its baselines, the split, importance and its tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.exit import factors as ef
from crmlab.exit import model as em
from crmlab.exit.model import ExitModel
from tests.exit import frames

Tiny = Callable[..., pd.DataFrame]

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


def test_network_beats_chance_and_ties_or_beats_logistic(model: em.ExitModel) -> None:
    # Seed 0 (600 customers x 4 periods, labels from the planted nonlinear profit rule):
    # network 0.836, logistic 0.829, AHP thresholds 0.813; chance is about 0.33.
    assert model.macro_f1 > 0.75
    assert model.macro_f1 >= model.baselines["logistic"] - 0.02
    assert model.macro_f1 >= model.baselines["ahp_thresholds"] - 0.02
    assert model.baseline_macro_f1 == model.baselines.max()
    assert model.best_baseline == model.baselines.idxmax()
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


def test_chinese_gbk_csv_through_the_column_mapping(tmp_path: Path, table: pd.DataFrame) -> None:
    reverse = {canonical: user for user, canonical in ZH_COLUMNS.items()}
    user = table.drop(columns="planted_pattern").head(400).rename(columns=reverse)
    user["历史评价"] = user["历史评价"].map({"good": "好", "medium": "中", "bad": "坏"})
    path = tmp_path / "客户因素.csv"
    user.to_csv(path, index=False, encoding="gbk")
    read = datasets.read(path, columns=ZH_COLUMNS)
    checked = ef.validate_factor_table(read, label_col="label")
    assert checked["label"].value_counts().to_dict() == table.head(400)["label"].value_counts().to_dict()
    scored = ef.assign_labels(ef.score_customers(checked, ef.factor_weights().global_weights))
    fitted = em.fit_exit_model(scored, hidden_layers=[8], n_repeats=1)
    assert fitted.macro_f1 > 0.5


def test_single_class_is_refused(tiny: Tiny) -> None:
    frame = ef.score_customers(tiny(40), ef.factor_weights().global_weights).assign(exit_label="good")
    with pytest.raises(InputError, match="at least two classes"):
        em.fit_exit_model(frame)


def test_too_few_rows_for_the_split() -> None:
    frame = frames.few_rows_per_class()
    with pytest.raises(InputError, match=r"Too few rows.*class 'good' has 4 rows, at least 17 are needed"):
        em.fit_exit_model(frame)


def test_a_split_without_a_class_is_refused() -> None:
    with pytest.raises(InputError, match=r"split has no rows labelled 'bad'"):
        em.fit_exit_model(frames.one_customer_holds_every_bad_row())


def test_bad_hidden_layers_and_test_share_are_refused(scored: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="hidden_layers must list one or more"):
        em.fit_exit_model(scored, hidden_layers=[])
    with pytest.raises(ParameterError, match="hidden_layers must be ≥ 1; got 0"):
        em.fit_exit_model(scored, hidden_layers=[16, 0])
    with pytest.raises(ParameterError, match=r"test_share must be in \(0, 1\); got 1.5"):
        em.fit_exit_model(scored, test_share=1.5)


def test_comparison_table_in_both_languages(model: em.ExitModel) -> None:
    english = em.comparison_table(model, lang="en").data
    assert list(english.columns) == ["Model", "Macro F1 (test)"]
    names = ["Neural network", "AHP-score thresholds", "Multinomial logistic regression"]
    assert english["Model"].tolist() == names
    assert english["Macro F1 (test)"].tolist() == [model.macro_f1, *model.baselines.tolist()]
    shown = em.comparison_table(model, lang="zh")
    assert shown.data["模型"].iloc[0] == "神经网络"
    assert f"{model.macro_f1:.3f}" in shown.to_html()


def test_class_report_in_chinese(model: em.ExitModel) -> None:
    shown = em.class_report(model, lang="zh")
    data = shown.data
    assert list(data.columns) == ["类别", "精确率", "召回率", "F1", "测试样本数"]
    assert data["类别"].tolist() == ["好", "中", "坏"]
    assert data["测试样本数"].sum() == model.confusion.to_numpy().sum()
    # recall of a class is its diagonal cell over its row of the confusion matrix
    recall_bad = model.confusion.loc["bad", "bad"] / model.confusion.loc["bad"].sum()
    assert data["召回率"].iloc[2] == pytest.approx(recall_bad)


def test_model_and_importance_text(model: em.ExitModel) -> None:
    text = em.model_text(model, label_source="column", lang="en")
    assert text.startswith("The network 9 → 16 → 3 reaches a test macro F1 of ")
    assert f"{model.macro_f1:.3f}" in text and f"{model.baseline_macro_f1:.3f}" in text
    assert "Note:" not in text
    assert "注意" in em.model_text(model, label_source="score", lang="zh")
    top = [f for f in model.importance["factor"].head(3)]
    names = {"unit_profit": "单位产品利润", "purchase_volume": "总购买量"}
    zh = em.importance_text(model, lang="zh")
    assert all(names[f] in zh for f in top if f in names)
    assert "、" in zh


@pytest.mark.parametrize(
    ("f1", "baselines", "key", "words"),
    [
        (0.90, {"ahp_thresholds": 0.80, "logistic": 0.82}, "clear", "clearly better than the best baseline"),
        (0.8358, {"ahp_thresholds": 0.8130, "logistic": 0.8294}, "barely", "only barely better"),
        (0.80, {"ahp_thresholds": 0.78, "logistic": 0.80}, "none", "adds nothing"),
        (0.79, {"ahp_thresholds": 0.70, "logistic": 0.82}, "none", "adds nothing"),
    ],
)
def test_the_verdict_follows_the_gap_to_the_best_baseline(
    model: ExitModel, f1: float, baselines: dict[str, float], key: str, words: str
) -> None:
    judged = dataclasses.replace(model, macro_f1=f1, baselines=pd.Series(baselines))
    assert em.verdict_key(judged) == key
    text = em.verdict(judged, lang="en")
    assert words in text and f"{f1:.3f}" in text and "Multinomial logistic regression" in text
    assert "weak" not in text
    advice = em.model_advice(judged, lang="zh")
    assert advice.startswith("下一期继续用神经网络") if key == "clear" else advice.startswith("多项逻辑回归")
    assert ("不逊于网络" in advice) == (key == "none")


def test_a_weak_network_is_called_weak(model: ExitModel) -> None:
    judged = dataclasses.replace(model, macro_f1=0.45, baselines=pd.Series({"ahp_thresholds": 0.40, "logistic": 0.41}))
    assert em.verdict_key(judged) == "clear"
    assert "is weak (below 0.60" in em.verdict(judged, lang="en")
    assert "分类能力较弱" in em.verdict(judged, lang="zh")


def test_confusion_text_counts_the_bad_found_and_the_false_alarms(model: ExitModel) -> None:
    confusion = pd.DataFrame([[5, 1, 0], [2, 20, 3], [0, 4, 6]], index=ef.LABELS, columns=ef.LABELS)
    judged = dataclasses.replace(model, confusion=confusion)
    assert em.confusion_text(judged, lang="en") == (
        "Of the 10 bad customer-periods of the test split the network finds 6 (60%); 3 it calls bad are medium or good."
    )
