"""Tests of crmlab.propensity.preparation: reading labelled data, coding the target, features, split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab import propensity as P
from crmlab.core.errors import InputError, ParameterError
from tests.conftest import zh_message

# ---------------------------------------------------------------- load_labelled


def test_load_labelled_takes_the_data_sets_own_target() -> None:
    labelled = P.load_labelled(dataset="wa_churn")
    assert labelled.target == datasets.info("wa_churn").target == "churn"
    assert labelled.source == "wa_churn" and "churn" in labelled.frame.columns
    assert P.load_labelled(dataset="retention_defection", target="defected").target == "defected"
    assert P.load_labelled(dataset="retention_defection", default_target="defected").target == "defected"


def test_load_labelled_reads_a_mapped_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    pd.DataFrame({"年龄": [30, 41, 25], "是否流失": ["是", "否", "否"]}).to_csv(path, index=False, encoding="gbk")
    labelled = P.load_labelled(input_path=str(path), dataset="wa_churn", columns={"年龄": "age"}, target="是否流失")
    assert labelled.source == "cases.csv" and labelled.target == "是否流失"
    assert list(labelled.frame.columns) == ["age", "是否流失"]
    with pytest.raises(InputError, match="'churn' is missing"):
        P.load_labelled(input_path=str(path), dataset="wa_churn", target="churn")
    with pytest.raises(InputError, match="no target column given"):
        P.load_labelled(input_path=str(path))
    with pytest.raises(ParameterError, match="Neither input_path nor dataset"):
        P.load_labelled(target="churn")


# ---------------------------------------------------------------- prepare


def test_prepare_detects_types_and_drops_with_reasons(data: pd.DataFrame, prepared: P.Prepared) -> None:
    assert prepared.numeric == ("age", "income")
    assert prepared.categorical == ("kind",)
    assert prepared.dropped == {
        "cid": "id_like",
        "row_no": "id_like",
        "constant": "constant",
        "empty": "all_missing",
        "signup_date": "date",
    }
    assert prepared.positive_label == "yes"
    assert prepared.y.tolist() == (data["bought"] == "yes").astype(int).tolist()
    assert list(prepared.ids.columns) == ["cid", "row_no"]
    assert prepared.dates is not None and prepared.dates.dtype.kind == "M"


def test_prepare_does_not_mutate(data: pd.DataFrame) -> None:
    before = data.copy()
    P.prepare(data, target="bought")
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize(
    ("values", "positive", "expected"),
    [
        ([0, 1, 0, 0], None, 1),
        ([1.0, 0.0, 1.0, 1.0], None, 1.0),  # 0/1 floats: 1 is positive even when it is the majority
        ([True, False, False, False], None, True),
        (["否", "是", "否", "否"], None, "是"),
        (["stay", "stay", "stay", "left"], None, "left"),  # no yes-word: the rarer value
        (["stay", "left", "left", "left"], "stay", "stay"),
    ],
)
def test_positive_label(values: list, positive: object, expected: object) -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "t": values})
    p = P.prepare(df, target="t", positive=positive)
    assert p.positive_label == expected
    assert p.y.tolist() == [int(v == expected) for v in values]


def test_prepare_features_subset_and_missing_target_rows() -> None:
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": ["x", "y", "x", "y"], "t": [1, 0, None, 0]})
    p = P.prepare(df, target="t", features=["b"])
    assert p.features == ("b",)
    assert len(p.y) == 3


def test_prepare_errors() -> None:
    df = pd.DataFrame({"amount": [1.0, 2.0, 3.0], "fraud": [0, 1, 0]})
    with pytest.raises(InputError, match="'fruad'.*Did you mean 'fraud'"):
        P.prepare(df, target="fruad")
    with pytest.raises(InputError, match="single class"):
        P.prepare(df.assign(fraud=0), target="fraud")
    with pytest.raises(InputError, match="not binary: it has 3 distinct"):
        P.prepare(df.assign(fraud=[0, 1, 2]), target="fraud")
    with pytest.raises(InputError, match="No usable feature.*'customer_id' \\(id_like\\)"):
        P.prepare(pd.DataFrame({"customer_id": ["a", "b", "c"], "fraud": [0, 1, 0]}), target="fraud")
    with pytest.raises(InputError, match="'amout' is missing"):
        P.prepare(df, target="fraud", features=["amout"])
    with pytest.raises(InputError, match="positive='maybe'"):
        P.prepare(df, target="fraud", positive="maybe")


def test_feature_frame_rejects_text_in_numbers() -> None:
    df = pd.DataFrame({"age": ["31", "x", "40"], "kind": ["a", None, "b"]})
    with pytest.raises(InputError, match="column 'age' must hold numbers.*row 2: 'x'"):
        P.feature_frame(df, numeric=["age"], categorical=["kind"])
    out = P.feature_frame(df.assign(age=["31", "", "40"]).replace("", None), numeric=["age"], categorical=["kind"])
    assert out["age"].tolist()[0] == 31.0 and np.isnan(out["age"].iloc[1])
    assert out["kind"].iloc[1] is None or pd.isna(out["kind"].iloc[1])
    with pytest.raises(InputError, match="'size' is missing"):
        P.feature_frame(df, numeric=["size"], categorical=[])


# ---------------------------------------------------------------- split


def test_time_split_puts_latest_cases_in_test(prepared: P.Prepared) -> None:
    parts = P.split(prepared, test_share=0.25)
    assert parts.method == "time"
    assert parts.train.dates.max() < parts.test.dates.min() == parts.cutoff
    assert len(parts.test.y) == 500


def test_stratified_split_keeps_rate(prepared: P.Prepared) -> None:
    parts = P.split(prepared, test_share=0.3, seed=1, by_time=False)
    assert parts.method == "stratified"
    assert abs(parts.train.base_rate - parts.test.base_rate) < 0.005
    assert set(parts.train.X.index).isdisjoint(parts.test.X.index)
    with pytest.raises(ParameterError):
        P.split(prepared, test_share=1.5)


# ---------------------------------------------------------------- every error in Chinese

_DF = pd.DataFrame({"amount": [1.0, 2.0, 3.0], "fraud": [0, 1, 0]})
_TWO = P.prepare(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "t": [0, 0, 0, 1]}), target="t")


@pytest.mark.parametrize(
    ("error", "call"),
    [
        (ParameterError, lambda: P.load_labelled(input_path="")),
        (ParameterError, lambda: P.load_labelled(input_path="", dataset="", target="churn")),
        (InputError, lambda: P.load_labelled(dataset="wa_churn", target="churned")),
        (InputError, lambda: P.prepare(_DF.iloc[0:0], target="fraud")),
        (InputError, lambda: P.prepare(_DF, target="fruad")),
        (InputError, lambda: P.prepare(_DF.assign(fraud=0), target="fraud")),
        (InputError, lambda: P.prepare(_DF.assign(fraud=np.nan), target="fraud")),
        (InputError, lambda: P.prepare(_DF.assign(fraud=[0, 1, 2]), target="fraud")),
        (InputError, lambda: P.prepare(_DF, target="fraud", positive="maybe")),
        (InputError, lambda: P.prepare(_DF, target="fraud", features=["amout"])),
        (InputError, lambda: P.prepare(pd.DataFrame({"customer_id": ["a", "b"], "fraud": [0, 1]}), target="fraud")),
        (InputError, lambda: P.feature_frame(pd.DataFrame({"age": ["x"]}), numeric=["age"], categorical=[])),
        (ParameterError, lambda: P.split(_TWO, test_share=0)),
        (InputError, lambda: P.split(_TWO, by_time=False)),
    ],
)
def test_errors_read_in_chinese(error: type, call) -> None:
    zh_message(call, error)
