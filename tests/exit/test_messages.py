"""Every exit message exists in both languages, and every error a user can cause reads in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import CrmlabError
from crmlab.core.i18n import catalogue
from crmlab.exit import ahp
from crmlab.exit import exit_list as el
from crmlab.exit import factors as ef
from crmlab.exit import model as em
from tests.conftest import english_runs
from tests.exit.frames import few_rows_per_class, one_customer_holds_every_bad_row, scored_tiny, tiny


def test_every_exit_message_has_both_languages() -> None:
    keys = [k for k in catalogue() if k.startswith("exit.")]
    assert len(keys) > 50
    assert all(set(catalogue()[k]) == {"en", "zh"} for k in keys)
    assert {f"exit.factor.{f}" for f in ef.FACTORS} <= set(keys)
    assert all(english_runs(catalogue()[k]["zh"]) == [] for k in keys if k.startswith(("exit.ahp.", "exit.col.")))


def _with_empty_cell() -> pd.DataFrame:
    frame = tiny()
    frame.loc[3, "word_of_mouth"] = np.nan
    return frame


def _with_text_cell() -> pd.DataFrame:
    frame = tiny().astype({"innovation": object})
    frame.loc[2, "innovation"] = "high"
    return frame


PREDICTIONS = pd.DataFrame({"customer_id": ["a", "b"], "period": [1, 1], "predicted": ["bad", "good"]})
CYCLE = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]
TREE = {"goal": ["a", "b"], "b": ["b1", "b2", "b3"]}

#: Every error path of the exit family, by name.
ERRORS: dict[str, Callable[[], object]] = {
    "ahp.not_a_number": lambda: ahp.parse_matrix([[1, "x"], [1, 1]]),
    "ahp.not_square": lambda: ahp.parse_matrix([[1, 2], [0.5]]),
    "ahp.not_positive": lambda: ahp.parse_matrix([[1, -2], [-0.5, 1]]),
    "ahp.diagonal": lambda: ahp.parse_matrix([[2, 2], [0.5, 1]]),
    "ahp.not_reciprocal": lambda: ahp.parse_matrix([[1, 3], [3, 1]]),
    "ahp.too_large": lambda: ahp.ahp_weights(np.ones((11, 11)).tolist()),
    "ahp.label_count": lambda: ahp.ahp_weights([[1, 3], ["1/3", 1]], labels=["a"]),
    "ahp.inconsistent": lambda: ahp.ahp_weights(CYCLE, name="loyalty"),
    "ahp.no_matrix": lambda: ahp.hierarchy_weights({"goal": [[1, 1], [1, 1]]}, TREE, root="goal"),
    "ahp.wrong_size": lambda: ahp.hierarchy_weights(
        {"goal": [[1, 1], [1, 1]], "b": [[1, 1], [1, 1]]}, TREE, root="goal"
    ),
    "unknown_criterion": lambda: ef.factor_weights({"loyalty_x": [[1]]}),
    "empty_table": lambda: ef.validate_factor_table(tiny().head(0)),
    "missing_column": lambda: ef.validate_factor_table(tiny().drop(columns="repeat_rate")),
    "not_numeric": lambda: ef.validate_factor_table(_with_text_cell()),
    "empty_factor": lambda: ef.validate_factor_table(_with_empty_cell()),
    "repeated_customer": lambda: ef.validate_factor_table(pd.concat([tiny(), tiny().head(1)])),
    "unknown_label": lambda: ef.validate_factor_table(tiny().assign(label="excellent"), label_col="label"),
    "label_source": lambda: ef.assign_labels(scored_tiny(6), source="judgement"),
    "quantiles_order": lambda: ef.assign_labels(scored_tiny(6), source="score", quantiles=[0.7, 0.2]),
    "quantiles_pair": lambda: ef.assign_labels(scored_tiny(6), source="score", quantiles=[0.2]),
    "quantiles_range": lambda: ef.assign_labels(scored_tiny(6), source="score", quantiles=[0.2, 1.5]),
    "hidden_layers_empty": lambda: em.fit_exit_model(few_rows_per_class(), hidden_layers=[]),
    "hidden_layers_zero": lambda: em.fit_exit_model(few_rows_per_class(), hidden_layers=[0]),
    "test_share": lambda: em.fit_exit_model(few_rows_per_class(), test_share=0.0),
    "model_missing_column": lambda: em.fit_exit_model(scored_tiny(12)),
    "single_class": lambda: em.fit_exit_model(scored_tiny(40).assign(exit_label="good")),
    "too_few_rows": lambda: em.fit_exit_model(few_rows_per_class()),
    "split_missing": lambda: em.fit_exit_model(one_customer_holds_every_bad_row()),
    "k_above_n": lambda: el.flag_exits(PREDICTIONS, k_periods=4, n_periods=3),
    "k_zero": lambda: el.flag_exits(PREDICTIONS, k_periods=0, n_periods=3),
    "n_not_whole": lambda: el.flag_exits(PREDICTIONS, k_periods=1, n_periods=2.5),  # type: ignore[arg-type]
    "predictions_missing_column": lambda: el.flag_exits(PREDICTIONS.drop(columns="predicted")),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_every_error_reads_in_chinese(name: str, zh: None) -> None:
    with pytest.raises(CrmlabError) as raised:
        ERRORS[name]()
    message = str(raised.value)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert english_runs(message) == [], message
