"""Notebook 60's parameters follow the project's vocabulary, and it runs on a user's own files."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pytest

from crmlab.core.i18n import t
from crmlab.data.synthetic.retention import make_defection, make_response
from crmlab.reports.runner import execute, plan
from crmlab.reports.specs import read_spec
from tests.conftest import NOTEBOOKS

SPEC = read_spec(NOTEBOOKS / "60-retention-targeting.ipynb")


def test_parameters_follow_the_vocabulary() -> None:
    names = {p.name for p in SPEC.parameters}
    expected = {"input_path", "dataset", "columns", "sheet", "target", "positive", "margin", "seed", "folds"}
    expected |= {"response_path", "response_dataset", "response_target", "response_positive"}
    assert expected <= names
    old = {"defection_input_path", "defection_target", "defection_positive", "response_input_path", "margin_rate"}
    old |= {"pilot_margins"}  # a margin is a profit margin; the pilot's ± is its precision
    assert not old & names
    assert not [n for n in names if n.endswith(("_column", "_columns")) and n != "response_columns"]
    assert SPEC.parameter("dataset").default == "wa_churn"
    assert SPEC.parameter("response_dataset").default == "charles_book_club"
    assert SPEC.parameter("target").default == SPEC.parameter("response_target").default == ""


@pytest.mark.slow
def test_runs_on_users_files(tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    make_defection(1500, seed=2).rename(columns={"defected": "是否流失"}).to_csv(customers, index=False)
    mailing = tmp_path / "mailing.csv"
    make_response(6000, seed=2).to_csv(mailing, index=False)
    given = {
        "input_path": str(customers),
        "columns": {"是否流失": "defected"},
        "target": "defected",
        "products_count_col": "products_held",
        "value_col": "annual_margin",
        "periods_per_year": 1.0,
        "value_threshold": 0.0,
        "models": ["logistic", "tree"],
        "folds": 3,
        "response_path": str(mailing),
        "response_target": "responded",
    }
    result = execute(plan(SPEC, given, lang="en"), tmp_path / "reports")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["roc_auc"] > 0.7 and figures["response_lift_logistic"] > 2
    assert set(figures) >= {"defection_lift_tree", "campaign_value", "one_product_defector_share"}


@pytest.mark.slow
def test_runs_on_a_churn_file_without_product_or_value_columns(tmp_path: Path) -> None:
    customers = tmp_path / "churn.csv"
    make_defection(1500, seed=3).drop(columns=["products_held", "annual_margin"]).to_csv(customers, index=False)
    result = execute(plan(SPEC, {"input_path": str(customers), "target": "defected"}, lang="en"), tmp_path / "reports")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["roc_auc"] > 0.7
    assert not {"campaign_value", "one_product_defector_share"} & set(figures)  # the skipped steps record nothing
    headline = [f["name"] for f in result.figures if f.get("headline")]
    assert headline == ["roc_auc", "response_lift_logistic", "defection_lift_logistic"]  # still a summary of three
    page = html.unescape((result.folder / "reader.html").read_text(encoding="utf-8"))
    products = t("common.list_sep", "en").join(SPEC.parameter("product_cols").default)
    assert t("retention.skip.products", "en", columns=products) in page
    assert t("retention.skip.campaign", "en", column="monthly_charges") in page
    assert not (result.folder / "retention_targets.csv").exists()


def _one_product_churn(path: Path) -> float:
    """A churn file whose defectors mostly hold one product; returns that share, counted by hand."""
    frame = make_defection(900, seed=4)
    rng = np.random.default_rng(4)
    defected = (frame["defected"] == "yes").to_numpy()
    one = rng.random(len(frame)) < np.where(defected, 0.8, 0.2)
    frame["products_held"] = np.where(one, 1, rng.integers(2, 6, len(frame)))
    frame.to_csv(path, index=False)
    return float((frame.loc[defected, "products_held"] == 1).mean())


@pytest.mark.slow
def test_the_one_product_finding_flips_with_the_data(tmp_path: Path) -> None:
    """Where most defectors hold one product the page says the article's claim holds; on the default data, not."""
    customers, mailing = tmp_path / "churn.csv", tmp_path / "mailing.csv"
    share = _one_product_churn(customers)
    make_response(2000, seed=2).to_csv(mailing, index=False)
    given = {
        "input_path": str(customers),
        "target": "defected",
        "products_count_col": "products_held",
        "value_col": "annual_margin",
        "periods_per_year": 1.0,
        "models": ["logistic"],
        "folds": 3,
        "response_path": str(mailing),
        "response_target": "responded",
    }
    planted = execute(plan(SPEC, given, lang="en"), tmp_path / "reports")
    default = execute(plan(SPEC, {}, lang="en"), tmp_path / "reports")
    assert planted.status == default.status == "ok", (planted.message, default.message)
    pages = [html.unescape((r.folder / "reader.html").read_text(encoding="utf-8")) for r in (planted, default)]
    holds = f"{share:.1%} of defectors held exactly one product: the article's claim that nearly 75% of defectors use"
    assert share > 0.6 and holds in pages[0] and "does not hold here" not in pages[0]
    assert "does not hold here" in pages[1] and "of defectors use one product holds here" not in pages[1]
    for page in pages:  # no claim written for the default data, no instructions for researchers
        assert "most defectors hold two to six services" not in page and "set `input_path`" not in page
        assert "short tenure and a month-to-month contract" not in page
    assert "contract type" not in pages[0] and "contract type (a category)" in pages[1]
