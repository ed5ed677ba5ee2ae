"""Notebook 70 on a user's Chinese export with categories and a customer table: every mark is measured."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.reports.specs import read_spec
from tests.conftest import NOTEBOOKS
from tests.growth.test_depth import planted_cross_sell

NOTEBOOK = NOTEBOOKS / "70-relationship-growth.ipynb"


@pytest.mark.slow
def test_notebook_runs_on_a_chinese_export_with_a_customer_table(tmp_path) -> None:
    from crmlab.reports import runner

    tx = planted_cross_sell()
    export = pd.DataFrame(
        {
            "订单号": "N" + tx["invoice_id"],  # an id starting with C would be a cancellation
            "客户编号": tx["customer_id"],
            "商品名称": tx["item_id"],
            "类别": tx["category"],
            "数量": 1,
            "单价": tx["amount"],
            "日期": (tx["timestamp"] - pd.Timedelta(days=9)).dt.strftime("%Y-%m-%d"),  # from 1 January
        }
    )
    export.to_csv(tmp_path / "订单.csv", index=False, encoding="gbk")
    people = pd.DataFrame(
        {
            "会员号": [f"c{i:03d}" for i in range(300)],
            "推荐人数": [1 if i % 4 == 0 else 0 for i in range(300)],
            "declined_offers": 0,
            "complaint_date": "2024-02-01",
        }
    )
    people.to_csv(tmp_path / "客户.csv", index=False)
    params = {
        "input_path": str(tmp_path / "订单.csv"),
        "category_col": "类别",
        "customers_path": str(tmp_path / "客户.csv"),
        "customers_columns": {"推荐人数": "referrals"},
        "min_customers": 20,
    }
    (result,) = runner.run_all([runner.plan(read_spec(NOTEBOOK), params, lang="zh")], tmp_path / "reports", jobs=1)
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["first_cohort_size"] == 300
    assert figures["cross_sell_uptake"] == pytest.approx(1 / 3, abs=1e-4)  # planted: 50 of the 150 who came back
    # marks: regular none (two purchase days); lines: the 50 cups buyers who added two categories; recommends:
    # every 4th customer (75); immune: none; tolerant: the 150 who came back in March after the February
    # complaint. Two or more: the 50 cups returners and the 50 tea returners whose number is a multiple of 4.
    assert figures["loyal_share"] == pytest.approx(100 / 300, abs=1e-4)
    assert "更多" in figures["finding"]
