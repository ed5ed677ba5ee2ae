"""The exit list: the k-of-n periods rule, the reasons, the CSV, the checklist and the shown table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from crmlab.core.errors import ParameterError
from crmlab.exit import exit_list as el
from crmlab.exit import factors as ef
from crmlab.exit.model import ExitModel

Tiny = Callable[..., pd.DataFrame]


def _predictions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a"] * 4 + ["b"] * 4 + ["c"] * 2,
            "period": [1, 2, 3, 4] * 2 + [3, 4],
            "predicted": ["bad", "bad", "good", "good"]  # a: bad long ago only
            + ["good", "medium", "good", "bad"]  # b: bad only in the last period
            + ["bad", "bad"],  # c: bad in both periods seen
        }
    )


def test_k_of_n_rule_by_hand() -> None:
    predictions = _predictions()
    flags = el.flag_exits(predictions, k_periods=2, n_periods=3)
    table = flags.table.set_index("customer_id")
    assert flags.periods == (2, 3, 4)
    assert table["bad_periods"].to_dict() == {"a": 1, "b": 1, "c": 2}
    assert table["flagged"].to_dict() == {"a": False, "b": False, "c": True}
    assert (flags.n_flagged, flags.n_point_in_time, flags.n_spared, flags.n_always) == (1, 2, 1, 1)
    assert flags.bad_share == pytest.approx(1 / 3)
    with pytest.raises(ParameterError, match="k_periods"):
        el.flag_exits(predictions, k_periods=4, n_periods=3)
    with pytest.raises(ParameterError, match="k_periods must be ≥ 1; got 0"):
        el.flag_exits(predictions, k_periods=0, n_periods=3)
    with pytest.raises(ParameterError, match="n_periods must be a whole number; got 2.5"):
        el.flag_exits(predictions, k_periods=1, n_periods=2.5)  # type: ignore[arg-type]


def test_single_period_falls_back_to_point_in_time() -> None:
    predictions = pd.DataFrame({"customer_id": ["a", "b"], "period": [1, 1], "predicted": ["bad", "good"]})
    flags = el.flag_exits(predictions, k_periods=2, n_periods=3)
    assert (flags.k_periods, flags.n_periods, flags.n_flagged) == (1, 1, 1)
    text = el.flags_text(flags, lang="en")
    assert text.startswith("Warning: the data has a single period")
    assert "1 of 2 customers are on the exit list (50.0%)" in text


def test_flags_text_over_several_periods() -> None:
    flags = el.flag_exits(_predictions(), k_periods=2, n_periods=3)
    text = el.flags_text(flags, lang="zh")
    assert text.startswith("规则：最近 3 期中至少 2 期被判为坏。")
    assert "若只看一个时点，会认定 2 位；其中 1 位" in text


def test_k_of_n_spares_one_period_dips(table: pd.DataFrame, model: ExitModel) -> None:
    flags = el.flag_exits(model.predictions, k_periods=2, n_periods=3)
    pattern = table.drop_duplicates("customer_id").set_index("customer_id")["planted_pattern"]
    by_pattern = flags.table.assign(pattern=flags.table["customer_id"].map(pattern)).groupby("pattern")
    flagged, latest = by_pattern["flagged"].mean(), by_pattern["bad_latest"].mean()
    # declining customers are caught; a dip in the last period does not get a customer exited
    assert flagged["declining"] > 2 * flagged["stable"]
    assert flags.n_spared > 0
    assert flagged["dip"] < latest["dip"]


def test_exit_list_reasons_name_the_weakest_factors(tiny: Tiny) -> None:
    frame = tiny(6)
    frame[list(ef.FACTORS)] = 5.0
    frame.loc[0, "repeat_rate"] = 0.0  # far below the others
    frame.loc[0, "service_cost"] = 50.0  # a cost far above the others
    frame.loc[1:, "repeat_rate"] = [4.0, 5.0, 6.0, 5.0, 5.0]
    frame.loc[1:, "service_cost"] = [4.0, 5.0, 6.0, 5.0, 5.0]
    checked = ef.score_customers(ef.validate_factor_table(frame), ef.factor_weights().global_weights)
    predictions = pd.DataFrame(
        {"customer_id": checked["customer_id"], "period": 1, "predicted": ["bad"] + ["good"] * 5}
    )
    flags = el.flag_exits(predictions, k_periods=1, n_periods=1)
    listed = el.exit_list(checked, flags, lang="en")
    assert listed["customer_id"].tolist() == ["c0"]
    assert listed.loc[0, "reasons"].startswith("Total service cost (")
    assert "Repeat-purchase rate" in listed.loc[0, "reasons"]
    assert listed.loc[0, "repeat_rate"] == 0.0
    zh = el.exit_list(checked, flags, lang="zh")
    assert zh.loc[0, "reasons"].startswith("总服务成本（")


def test_exit_list_csv_opens_in_excel_encoding(tmp_path: Path) -> None:
    listed = pd.DataFrame({"customer_id": ["c1"], "reasons": ["重复购买率（-2.0 个标准差）"]})
    path = el.write_exit_list(listed, tmp_path / "out")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(path, encoding="utf-8-sig")["reasons"][0] == "重复购买率（-2.0 个标准差）"
    assert el.written_text(path, listed, lang="en") == (
        "Exit list written to [exit_list.csv](exit_list.csv) (1 customers, with their factor profiles)."
    )


def test_checklist_carries_the_counts_in_both_languages() -> None:
    predictions = pd.DataFrame(
        {"customer_id": ["a", "a", "b", "b"], "period": [1, 2, 1, 2], "predicted": ["bad", "bad", "good", "bad"]}
    )
    flags = el.flag_exits(predictions, k_periods=2, n_periods=2)
    english, chinese = el.checklist(flags, lang="en"), el.checklist(flags, lang="zh")
    assert "1 of 2 customers" in english and "Keep the 1 customers" in english
    assert "Start with the 1 customers who were bad in every period" in english
    assert "2 位客户中有 1 位进入退出名单" in chinese and "准备" in chinese and "退出之后" in chinese


def test_customer_missing_from_the_last_period_keeps_their_latest_profile(tiny: Tiny) -> None:
    frame = pd.concat([tiny(4).assign(period=1), tiny(4).assign(period=2).iloc[1:]], ignore_index=True)
    frame.loc[0, "repeat_rate"] = 0.0  # c0, period 1: its only row
    checked = ef.score_customers(ef.validate_factor_table(frame), ef.factor_weights().global_weights)
    predictions = checked[["customer_id", "period"]].assign(predicted="good")
    predictions.loc[0, "predicted"] = "bad"
    flags = el.flag_exits(predictions, k_periods=1, n_periods=2)
    listed = el.exit_list(checked, flags, lang="en")
    assert listed["customer_id"].tolist() == ["c0"]
    assert listed.loc[0, "repeat_rate"] == 0.0


def test_exit_list_table_shows_few_columns_and_rows(scored: pd.DataFrame, model: ExitModel) -> None:
    flags = el.flag_exits(model.predictions, k_periods=2, n_periods=3)
    listed = el.exit_list(scored, flags, lang="zh")
    assert "unit_profit" in listed.columns  # the CSV keeps the factor profile
    shown = el.exit_list_table(listed, n_rows=10, lang="zh")
    data = shown.data
    assert list(data.columns) == ["客户", "为坏的期数", "AHP 综合得分", "原因（低于平均水平最多的因素）"]
    assert len(data) == min(10, len(listed))
    first = listed.iloc[0]
    assert data["为坏的期数"].iloc[0] == f"{first['periods_seen']}期中{first['bad_periods']}期"
    assert "…" not in "".join(data["原因（低于平均水平最多的因素）"])  # reasons in full
    assert data["客户"].tolist() == listed["customer_id"].head(10).tolist()


def test_review_advice_names_whom_to_review_first() -> None:
    predictions = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b", "b", "c", "c", "c", "d", "d", "d"],
            "period": [1, 2, 3] * 4,
            "predicted": ["bad", "bad", "bad", "good", "bad", "bad", "bad", "bad", "bad", "good", "good", "bad"],
        }
    )
    flags = el.flag_exits(predictions, k_periods=2, n_periods=3)
    ids, bad = ["b", "c", "a"], [2, 3, 3]
    table = pd.DataFrame({"customer_id": ids, "bad_periods": bad, "periods_seen": 3, "ahp_score": [0.1, 0.2, 0.3]})
    advice = el.review_advice(flags, table, Path("exit_list.csv"), lang="en")
    assert advice == (
        "Review the 3 customers of exit_list.csv with their account managers, starting with the 2 bad in every "
        "period, lowest AHP score first (c, a); keep 1 on the watch list."
    )
    nobody = el.flag_exits(predictions.assign(predicted="good"), k_periods=2, n_periods=3)
    assert el.review_advice(nobody, table.head(0), Path("exit_list.csv"), lang="en").startswith("No customer was bad")
