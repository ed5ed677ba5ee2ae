"""Notebook 50: its parameters follow the shared vocabulary, and it runs on a user's list of exits."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.reports.specs import read_spec
from tests.churn.test_causes import CHINESE_REASONS, IBM_REASONS
from tests.conftest import NOTEBOOKS

NOTEBOOK = NOTEBOOKS / "50-churn-causes.ipynb"


def test_parameters_follow_the_vocabulary() -> None:
    names = [p.name for p in read_spec(NOTEBOOK).parameters]
    assert not [n for n in names if n.endswith(("_column", "_columns"))]
    for name in ("input_path", "dataset", "columns", "sheet", "seed", "margin", "lang", "output_dir"):
        assert name in names, name
    expected_cols = ("customer_col", "churn_col", "churn_date_col", "segment_col", "start_col", "reason_col")
    assert set(expected_cols) | {"revenue_col", "margin_col"} <= set(names)


def test_no_provenance_cell_and_no_style_chains() -> None:
    text = NOTEBOOK.read_text(encoding="utf-8")
    assert "crmlab.provenance(" not in text
    assert ".style" not in text


@pytest.mark.slow
def test_notebook_runs_on_a_users_csv_of_churned_customers(tmp_path) -> None:
    from crmlab.reports import runner

    reasons = ["价格太贵", "搬家了", "Found a cheaper plan", "服务态度差", "个人原因", "see notes"]
    revenue = [1000, 2000, 3000, 500, 1500, None]
    path = tmp_path / "churned.csv"
    pd.DataFrame({"客户编号": [f"K{i}" for i in range(60)], "流失原因": reasons * 10, "年收入": revenue * 10}).to_csv(
        path, index=False, encoding="utf-8-sig"
    )
    spec = read_spec(NOTEBOOK)
    params = {
        "input_path": str(path),
        "churn_definition": "list",
        "total_customers": 1200,
        "customer_col": "客户编号",
        "reason_col": "流失原因",
        "revenue_col": "年收入",
        "margin": 0.2,
    }
    result = runner.execute(runner.plan(spec, params, lang="zh"), tmp_path / "reports")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["churn_rate"] == 0.05
    assert figures["top_cause"] == "价格"
    assert figures["top_cause_share"] == pytest.approx(2 / 6)
    assert figures["profit_lost"] == pytest.approx(10 * (8000 + 1000) * 0.2)  # one revenue missing -> 1,000
    assert figures["break_even_budget"] == pytest.approx(figures["profit_lost"])
    ranking = pd.read_csv(result.folder / "winback_ranking.csv")
    assert len(ranking) == 60


@pytest.mark.slow
@pytest.mark.parametrize(
    ("reasons", "lang", "top"),
    [(IBM_REASONS, "en", "Service"), (CHINESE_REASONS, "zh", "价格")],
    ids=["ibm_english", "chinese"],
)
def test_notebook_understands_typical_real_reasons(tmp_path, reasons, lang, top) -> None:
    from crmlab.reports import runner

    texts = [text for text, (count, _) in reasons.items() for _ in range(count)] + [""] * 5
    path = tmp_path / "exits.csv"
    pd.DataFrame({"customer_id": [f"K{i}" for i in range(len(texts))], "reason": texts}).to_csv(
        path, index=False, encoding="utf-8-sig"
    )
    params = {"input_path": str(path), "churn_definition": "list", "total_customers": 10 * len(texts)}
    result = runner.execute(runner.plan(read_spec(NOTEBOOK), params, lang=lang), tmp_path / "reports")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["top_cause"] == top
    unknown = sum(count for count, kind in reasons.values() if kind == "unknown") + 5
    assert figures["unmapped_share"] * len(texts) / (len(texts) - unknown) <= 0.10
    executed = (result.folder / NOTEBOOK.name).read_text(encoding="utf-8")
    unmapped = [text for text, (_, kind) in reasons.items() if kind == "unmapped"]
    assert ('cause_mapping = {\\"' in executed) == bool(unmapped)  # a mapping to paste, as JSON text
    page = (result.folder / "reader.html").read_text(encoding="utf-8")
    assert all(f">{text}</td>" in page for text in unmapped)  # each listed with its count


@pytest.mark.slow
def test_an_ibm_telco_style_export_runs_with_only_its_path(tmp_path) -> None:
    from crmlab.reports import runner

    texts = [text for text, (count, _) in IBM_REASONS.items() for _ in range(count)]
    n = 4 * len(texts)
    frame = pd.DataFrame(
        {
            "Customer ID": [f"K{i}" for i in range(n)],
            "Churn Label": ["Yes"] * len(texts) + ["No"] * (n - len(texts)),
            "Churn Reason": texts + [""] * (n - len(texts)),
        }
    )
    path = tmp_path / "telco.csv"
    frame.to_csv(path, index=False)
    result = runner.execute(runner.plan(read_spec(NOTEBOOK), {"input_path": str(path)}, lang="en"), tmp_path / "r")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["churn_rate"] == pytest.approx(0.25) and figures["top_cause"] == "Service"
    page = (result.folder / "reader.html").read_text(encoding="utf-8")
    assert "`Churn Label` → `churned`" in page or "<code>Churn Label</code> → <code>churned</code>" in page


def _reader_text(folder) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", (folder / "reader.html").read_text(encoding="utf-8")))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("planted", "lang", "cause", "said", "action"),
    [
        (
            "price",
            "en",
            "Price",
            "Price is the reason of 60.0% of the 40 lost customers",
            "Start with price: 60% of exits (24 customers)",
        ),
        (
            "service",
            "en",
            "Service",
            "Service is the reason of 60.0% of the 40 lost customers",
            "Start with service: 60% of exits (24 customers)",
        ),
        ("service", "zh", "服务", "“服务”是 40 位流失客户中 60.0% 的流失原因", "从服务入手：60% 的流失客户（24 位）"),
    ],
)
def test_the_findings_flip_with_the_planted_top_cause(tmp_path, planted, lang, cause, said, action) -> None:
    """200 customers, 40 churned: 24 for the planted cause, 10 and 6 for two others (2 types make 80%)."""
    from crmlab.reports import runner

    other = "too expensive" if planted != "price" else "poor service"
    reasons = {"price": "too expensive", "service": "poor service"}[planted]
    churned = [reasons] * 24 + [other] * 10 + ["moved away"] * 6
    path = tmp_path / "customers.csv"
    pd.DataFrame(
        {
            "customer_id": [f"K{i:03d}" for i in range(200)],
            "churned": [1] * 40 + [0] * 160,
            "reason": churned + [""] * 160,
            "revenue": 1000.0,
            "margin": 0.1,
        }
    ).to_csv(path, index=False, encoding="utf-8-sig")
    result = runner.execute(
        runner.plan(read_spec(NOTEBOOK), {"input_path": str(path)}, lang=lang), tmp_path / "reports"
    )
    assert result.status == "ok", result.message
    figures = {f["name"]: f for f in result.figures}
    assert figures["top_cause"]["value"] == cause
    assert figures["top_cause"]["meaning"].startswith(said)
    assert figures["n_causes_80"]["value"] == 2
    assert figures["profit_lost"]["value"] == pytest.approx(40 * 100.0)
    assert figures["likely_budget"]["value"] == pytest.approx(0.35 * 4000.0)
    assert [f["name"] for f in result.figures if f.get("headline")] == [
        "churn_rate",
        "top_cause",
        "profit_lost",
        "likely_budget",
        "winback_value",
    ]
    page = _reader_text(result.folder)
    assert said in page and action in page
    wrong = "Start with price" if planted != "price" else "Start with service"
    assert wrong not in page and "从价格入手" not in page
