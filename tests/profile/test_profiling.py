"""The data profile on small hand-made frames, and its charts and sentences."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from crmlab.data import schemas
from crmlab.profile import charts
from crmlab.profile import profiling as profile


@pytest.fixture
def tx() -> pd.DataFrame:
    """Four invoices: one cancelled (C2), one with a return line, two guest lines, one duplicate line."""
    rows = [
        ("a", "1", "X", 2, 5.0, "2024-01-05"),
        ("a", "1", "Y", 1, 10.0, "2024-01-05"),
        ("a", "1", "Y", 1, 10.0, "2024-01-05"),  # exact duplicate of the line above
        ("b", "2", "X", 3, 5.0, "2024-02-10"),
        ("b", "C2", "X", -3, 5.0, "2024-02-11"),
        (None, "3", "Z", 1, 100.0, "2024-04-01"),
        (None, "3", "X", 1, 5.0, "2024-04-01"),
        ("c", "4", "Z", -1, 100.0, "2024-04-02"),  # a return on an ordinary invoice
        ("c", "4", "Y", 1, 0.0, "2024-04-02"),  # a free line
    ]
    cols = ["customer_id", "invoice_id", "item_id", "quantity", "unit_price", "timestamp"]
    return schemas.validate(pd.DataFrame(rows, columns=cols), "transactions")


def test_transaction_counts(tx: pd.DataFrame) -> None:
    p = profile.profile(tx, "transactions")
    tp = p.transactions
    assert (tp.lines, tp.invoices, tp.customers, tp.items) == (9, 5, 3, 3)
    assert tp.cancellation_lines == 1
    assert tp.cancelled_invoices == 1
    assert tp.lines_without_customer == 2
    assert tp.negative_lines == 2
    assert tp.return_lines == 1
    assert tp.nonpositive_price_lines == 1
    assert tp.revenue == pytest.approx(10 + 10 + 10 + 15 - 15 + 100 + 5 - 100 + 0)
    assert p.duplicate_rows == 1


def test_customer_revenue_and_baskets(tx: pd.DataFrame) -> None:
    p = profile.profile(tx, "transactions")
    assert p.customer_revenue.to_dict() == {"a": 30.0, "b": 0.0, "c": -100.0}
    # invoices 1 (3 lines), 2, 3 (2 lines), 4 (2 lines); the cancellation C2 is not a basket
    assert p.basket_sizes.sort_index().to_dict() == {"1": 3, "2": 1, "3": 2, "4": 2}
    assert math.isnan(p.transactions.top20_share)  # net revenue of identified customers is -70: no share
    assert profile.profile(tx[tx["customer_id"] != "c"], "transactions").transactions.top20_share == 1.0


def test_columns_and_dates(tx: pd.DataFrame) -> None:
    p = profile.profile(tx, "transactions")
    row = p.columns.set_index("column").loc["customer_id"]
    assert (row["missing"], row["unique"]) == (2, 3)
    assert (p.date_start, p.date_end) == (pd.Timestamp("2024-01-05"), pd.Timestamp("2024-04-02"))
    # January to April, March has no rows but is still shown
    assert p.monthly.tolist() == [3, 2, 0, 4]


def test_iqr_outliers() -> None:
    df = pd.DataFrame({"customer_id": list("abcdefghij"), "spend": [1, 2, 2, 3, 3, 3, 4, 4, 5, 100]})
    out = profile.outlier_summary(df).set_index("column").loc["spend"]
    # Q1 = 2.25, Q3 = 4, IQR = 1.75: fences -0.375 and 6.625
    assert (out["q1"], out["q3"]) == (2.25, 4.0)
    assert (out["below"], out["above"]) == (0, 1)


def test_flags_are_not_checked_for_outliers() -> None:
    df = pd.DataFrame({"flag": [0] * 9 + [1], "x": range(10)})
    assert profile.outlier_summary(df)["column"].tolist() == ["x"]


def test_labelled_target_counts() -> None:
    df = schemas.validate(
        pd.DataFrame({"x": [1, 2, 3, 4], "churn": ["Yes", "No", "No", "No"]}), "labelled", target="churn"
    )
    p = profile.profile(df, "labelled", target="churn")
    assert p.target == "churn"
    assert p.target_counts.to_dict() == {"No": 3, "Yes": 1}
    assert p.transactions is None
    assert "no: 75.0%" in profile.summary(p, "en")  # yes/no values in the report language
    assert "否：75.0%、是：25.0%" in profile.summary(p, "zh")


def test_summary_in_both_languages(tx: pd.DataFrame) -> None:
    p = profile.profile(tx, "transactions")
    en, zh = profile.summary(p, "en"), profile.summary(p, "zh")
    assert "1 lines belong to 1 cancellation invoices" in en
    assert "2 lines (22.2%) have no customer id" in en
    assert "1 行属于 1 张取消单" in zh
    assert "取消单" not in en and "cancellation" not in zh


def test_profile_does_not_mutate(tx: pd.DataFrame) -> None:
    before = tx.copy()
    profile.profile(tx, "transactions")
    pd.testing.assert_frame_equal(tx, before)


def test_charts_have_titles_in_the_report_language(tx: pd.DataFrame) -> None:
    p = profile.profile(tx, "transactions")
    for plot, title in [
        (charts.plot_missing, "各列缺失值占比"),
        (charts.plot_monthly, "每月行数"),
        (charts.plot_basket_sizes, "购物篮大小（每张发票的行数）"),
        (charts.plot_customer_revenue, "每位客户的净收入（仅含净收入为正的客户）"),
    ]:
        ax = plot(p, lang="zh")
        assert ax.get_title() == title
        matplotlib.pyplot.close(ax.figure)


def test_single_line_invoices_are_called_out() -> None:
    raw = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "invoice_id": ["1", "2"],
            "item_id": ["CD", "CD"],
            "quantity": [1, 2],
            "amount": [10.0, 20.0],
            "timestamp": ["2024-01-01", "2024-01-02"],
        }
    )
    p = profile.profile(schemas.validate(raw, "transactions"), "transactions")
    assert "does not suit basket analysis" in profile.summary(p, "en")


def test_cancellations_follow_the_cleaners_rule(tx: pd.DataFrame) -> None:
    """A lower-case 'c' invoice is a cancellation for the cleaner, so it is for the profile too."""
    lower = tx.assign(invoice_id=tx["invoice_id"].replace({"C2": "c2"}))
    tp = profile.profile(lower, "transactions").transactions
    assert (tp.cancellation_lines, tp.return_lines) == (1, 1)
    assert "c2" not in profile.basket_sizes(lower).index


def test_data_of_no_kind_gets_the_common_checks() -> None:
    df = pd.DataFrame({"x": [1, 2, 3, 4, 100], "when": pd.to_datetime(["2024-01-01"] * 4 + ["2024-03-01"])})
    p = profile.profile(df, None)
    assert (p.kind, p.transactions, p.date_column) == (None, None, "when")
    assert p.monthly.tolist() == [4, 0, 1]


def test_tables_are_translated_and_formatted(tx: pd.DataFrame) -> None:
    p = profile.profile(tx, "transactions")
    columns = profile.columns_table(p, lang="zh")
    assert columns.data.columns.tolist() == ["列", "类型", "非空单元格数", "空单元格数", "空值占比", "不同取值数"]
    assert "22.2%" in columns.to_html()
    outliers = profile.outliers_table(p, lang="en")
    assert outliers.data.columns[0] == "Column" and "Lower fence" in outliers.data.columns


def test_charts_need_their_kind() -> None:
    from crmlab.core.errors import ParameterError

    p = profile.profile(pd.DataFrame({"customer_id": ["a"], "x": [1]}), "customers")
    with pytest.raises(ParameterError, match="plot_target needs a profile of kind 'labelled'"):
        charts.plot_target(p)
