"""The profile's generated findings flip with the data: a clean file against one with every problem."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab.core.i18n import t
from crmlab.data import schemas
from crmlab.profile import findings
from crmlab.profile import profiling as profile

COLS = ["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"]


def _profile(rows: list[tuple]) -> profile.DataProfile:
    return profile.profile(schemas.validate(pd.DataFrame(rows, columns=COLS), "transactions"), "transactions")


@pytest.fixture
def clean() -> profile.DataProfile:
    """Five customers, one two-line invoice each, one per month: nothing to fix, no outliers."""
    rows = []
    for i, c in enumerate("abcde"):
        rows += [(c, str(i), "X", 1, 10.0, f"2024-0{i + 1}-05"), (c, str(i), "Y", 2, 10.0, f"2024-0{i + 1}-05")]
    return _profile(rows)


@pytest.fixture
def dirty() -> profile.DataProfile:
    """A duplicate line, two anonymous lines, a cancellation, a return, a free line, no row in March."""
    rows = [
        ("a", "1", "X", 2, 5.0, "2024-01-05"),
        ("a", "1", "Y", 1, 10.0, "2024-01-05"),
        ("a", "1", "Y", 1, 10.0, "2024-01-05"),
        ("b", "2", "X", 3, 5.0, "2024-02-10"),
        ("b", "C2", "X", -3, 5.0, "2024-02-11"),
        (None, "3", "Z", 1, 100.0, "2024-04-01"),
        (None, "3", "X", 1, 5.0, "2024-04-01"),
        ("c", "4", "Z", -1, 100.0, "2024-04-02"),
        ("c", "4", "Y", 1, 0.0, "2024-04-02"),
    ]
    return _profile(rows)


def test_a_clean_file_needs_no_cleaning(clean: profile.DataProfile) -> None:
    assert findings.fixes(clean, "en") == [t("profile.fix.none", "en")]
    meanings = {f["name"]: f["meaning"] for f in findings.headlines(clean, "en")}
    assert meanings["missing_cells"] == "No cell is empty: no column needs filling in."
    assert meanings["duplicate_rows"] == "No row repeats an earlier row exactly."
    assert meanings["lines_without_customer"].startswith("Every line has a customer id")
    assert meanings["rows"] == "10 rows in 7 columns, dated 2024-01-05 to 2024-05-05 (5 calendar months)."


def test_a_dirty_file_lists_each_problem_with_its_counts(dirty: profile.DataProfile) -> None:
    fixes = findings.fixes(dirty, "en")
    assert fixes[0] == t("profile.fix.duplicates", "en", n=1)
    assert t("profile.fix.guests", "en", n=2) in fixes
    assert t("profile.fix.cancellations", "en", cancel=1, returns=1, prices=1) in fixes
    assert t("profile.fix.gaps", "en", n=1, months="2024-03") in fixes
    assert t("profile.fix.none", "en") not in fixes
    figures = {f["name"]: f for f in findings.headlines(dirty, "zh")}
    assert figures["duplicate_rows"]["value"] == 1
    assert figures["duplicate_rows"]["meaning"] == "1 行（11.1%）与前面某行完全相同：重复导出会夸大所有计数和合计。"
    assert figures["lines_without_customer"]["meaning"].startswith("2 行（22.2%）没有客户编号")
    assert "有 1 个月份没有任何行" in findings.monthly_caption(dirty, "zh")


def test_empty_cells_name_the_emptiest_column_in_the_report_language(clean: profile.DataProfile) -> None:
    frame = pd.DataFrame({"customer_id": ["a", None, None, "b"], "note": ["x", None, "y", "z"]})
    p = profile.profile(frame, None)
    assert findings.fixes(p, "zh")[0] == t("profile.fix.missing", "zh", column="客户编号", missing=2, n=2)
    assert (
        findings.missing_caption(p, "en")
        == "2 of 2 columns have empty cells; Customer id is the emptiest (50.0% of the rows)."
    )
    assert findings.missing_caption(clean, "en") == "No cell is empty: no column needs filling in."


def test_single_line_invoices_advise_against_basket_analysis(clean: profile.DataProfile) -> None:
    rows = [(c, str(i), "X", 1, 10.0, "2024-01-05") for i, c in enumerate("abcde")]
    single = _profile(rows)
    assert t("profile.fix.single_lines", "en") in findings.fixes(single, "en")
    assert findings.basket_caption(single, "en") == t("profile.sum_basket_single", "en")
    assert findings.basket_caption(clean, "en") == "A basket (invoice) has a median of 2 lines; 90% have at most 2."


@pytest.mark.parametrize(
    ("revenues", "word"),
    [([100, 100, 1, 1, 1, 1, 1, 1, 1, 1], "as concentrated as the 80/20 rule"), ([10] * 10, "spread over many")],
)
def test_the_revenue_sentence_follows_the_concentration(revenues: list[int], word: str) -> None:
    rows = [(f"c{i}", str(i), "X", 1, float(r), "2024-01-05") for i, r in enumerate(revenues)]
    p = _profile(rows)
    share = sum(sorted(revenues)[-2:]) / sum(revenues)
    assert p.transactions.top20_share == pytest.approx(share)
    assert word in findings.revenue_caption(p, "en")
    assert f"{share:.1%}" in findings.revenue_caption(p, "en")


def test_columns_table_names_columns_and_types_in_chinese(dirty: profile.DataProfile) -> None:
    data = profile.columns_table(dirty, "zh").data
    assert list(data["列"]) == ["客户编号", "发票编号", "商品编号", "数量", "单价", "金额", "日期"]
    assert list(data["类型"]) == ["文本", "文本", "文本", "整数", "小数", "小数", "日期"]


@pytest.mark.parametrize(("yes", "key"), [(1, "profile.say.target_rare"), (4, "profile.say.target_balanced")])
def test_the_target_sentence_flips_with_its_balance(yes: int, key: str) -> None:
    frame = pd.DataFrame({"churn": ["yes"] * yes + ["no"] * (20 - yes), "x": range(20)})
    p = profile.profile(frame, "labelled", target="churn")
    shares = f"否：{(20 - yes) / 20:.1%}、是：{yes / 20:.1%}"
    assert findings.target_caption(p, "zh") == t(key, "zh", target="churn", shares=shares, rare=yes / 20)
