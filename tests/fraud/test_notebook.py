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


def _summary(result) -> tuple[dict[str, str], str]:
    """The headline meanings by figure name, and the reader page's text."""
    meanings = {f["name"]: f.get("meaning", "") for f in result.figures if f.get("headline")}
    return meanings, (result.folder / "reader.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_summary_flips_when_the_labels_carry_no_signal(tmp_path: Path) -> None:
    """Planted data: a strong model and a list to investigate; the same cases with shuffled labels: weak, said so."""
    from crmlab.data.synthetic.fraud import make_telecom

    planted = make_telecom(seed=5)
    shuffled = planted.assign(fraud=planted["fraud"].sample(frac=1, random_state=0).to_numpy())
    pages = {}
    for name, frame in (("planted", planted), ("shuffled", shuffled)):
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        result = execute(plan(SPEC, {"input_path": str(path), "folds": 3}, lang="en"), tmp_path / name)
        assert result.status == "ok", result.message
        pages[name] = _summary(result)
    meanings, page = pages["planted"]
    assert len(meanings) >= 3 and meanings["roc_auc"].startswith("The model ranks frauds")
    assert "Investigate the " in page and "synthetic" not in page.split("Business question")[0]
    meanings, page = pages["shuffled"]
    assert meanings["roc_auc"].startswith("The model is weak")
