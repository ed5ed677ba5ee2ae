"""Notebook 40's parameters follow the project's vocabulary, and it runs on a user's own Excel file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from crmlab.data.synthetic.fraud import make_insurance
from crmlab.reports.runner import execute, plan
from crmlab.reports.specs import read_spec
from tests.conftest import NOTEBOOKS

SPEC = read_spec(NOTEBOOKS / "40-fraud-propensity.ipynb")


def test_parameters_follow_the_vocabulary() -> None:
    names = {p.name for p in SPEC.parameters}
    assert {"input_path", "dataset", "columns", "sheet", "target", "positive", "test_share", "folds", "seed"} <= names
    assert "test_size" not in names and not [n for n in names if n.endswith(("_column", "_columns"))]
    assert SPEC.parameter("dataset").default == ""  # the variant's synthetic data set
    assert SPEC.parameter("columns").type == "dict" and SPEC.parameter("sheet").type == "str"


@pytest.mark.slow
def test_runs_on_a_users_excel_file(tmp_path: Path) -> None:
    # Chinese target heading mapped with columns, the claims on the second sheet
    claims = make_insurance(2000, seed=3).rename(columns={"fraud": "是否欺诈"})
    path = tmp_path / "claims.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["read me"]}).to_excel(writer, sheet_name="readme", index=False)
        claims.to_excel(writer, sheet_name="claims", index=False)
    given = {"input_path": str(path), "sheet": "claims", "columns": {"是否欺诈": "fraud"}, "folds": 3}
    result = execute(plan(SPEC, given, lang="zh"), tmp_path / "reports")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["roc_auc"] > 0.7 and figures["top_decile_lift"] > 3
