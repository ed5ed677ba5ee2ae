"""The one cleaner (crmlab.data.cleaning): every rule, both engines, basket lines, the one code list."""

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.data.cleaning import (
    BASKET_RULES,
    ENGINES,
    NON_PRODUCT_CODES,
    CleaningRules,
    clean,
    cleaning_report,
    report_table,
    rule_mask,
)


def dirty() -> pd.DataFrame:
    """One good line per customer plus every kind of bad line, some flagged by several rules."""
    return pd.DataFrame(
        {
            "invoice_id": ["1", "1", "C2", "3", "4", "5", "6", "7", "8", "c9"],
            "customer_id": ["a", "b", "a", None, "b", "a", "b", "  ", "a", None],
            "item_id": ["X", "Y", "X", "X", "POST", "bank charges", "X", "Y", "X", "M"],
            "quantity": [2, 1, -2, 1, 1, 1, 3, 1, -1, -1],
            "unit_price": [1.5, 4.0, 1.5, 2.0, 18.0, 15.0, 0.0, 2.0, -3.0, 5.0],
            "timestamp": pd.to_datetime(["2024-01-01"] * 10),
        }
    ).assign(amount=lambda d: d["quantity"] * d["unit_price"])


EXPECTED = {
    # rule: (removed, kept); a line flagged by several rules counts under the first
    "cancellation": (2, 8),  # C2, c9
    "missing_customer": (2, 6),  # None, "  "
    "non_product": (2, 4),  # POST, bank charges (case-insensitive)
    "non_positive_price": (2, 2),  # 0.0, -3.0
    "non_positive_quantity": (0, 2),
}


@pytest.mark.parametrize("engine", ENGINES)
def test_every_rule_counts_its_lines(engine):
    report = cleaning_report(dirty(), engine=engine).set_index("rule")
    assert {r: (row.removed, row.kept) for r, row in report.iterrows()} == EXPECTED
    assert report.loc["non_product", "removed_amount"] == pytest.approx(18.0 + 15.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_clean_keeps_only_good_lines_in_order(engine):
    tx = dirty()
    result = clean(tx, engine=engine)
    assert result.data["invoice_id"].tolist() == ["1", "1"]
    assert result.data["customer_id"].tolist() == ["a", "b"]
    assert len(tx) == 10  # input not mutated


def test_engines_agree_and_quantity_rule_applies():
    tx = dirty()
    tx.loc[0, "quantity"] = 0
    reports = [cleaning_report(tx, engine=e) for e in ENGINES]
    pd.testing.assert_frame_equal(*reports)
    assert reports[0].set_index("rule").loc["non_positive_quantity", "removed"] == 1
    pd.testing.assert_frame_equal(clean(tx, engine="duckdb").data, clean(tx, engine="pandas").data)


def test_rule_subset_codes_and_missing_columns(tmp_path):
    tx = dirty().drop(columns=["unit_price"])
    rules = CleaningRules(rules=("non_product", "cancellation"), non_product_codes=("X",))
    report = cleaning_report(tx, rules=rules).set_index("rule")
    assert report["removed"].to_dict() == {"non_product": 5, "cancellation": 1}
    path = tmp_path / "tx.parquet"
    dirty().to_parquet(path)
    pd.testing.assert_frame_equal(cleaning_report(path), cleaning_report(dirty(), engine="pandas"))


def test_bad_arguments(tmp_path):
    with pytest.raises(ParameterError, match="cancellation"):
        CleaningRules(rules=("cancelation",))
    with pytest.raises(ParameterError, match="cancellation"):
        CleaningRules().without("cancelation")
    with pytest.raises(ParameterError, match="engine"):
        cleaning_report(dirty(), engine="spark")
    with pytest.raises(InputError, match="does not exist"):
        cleaning_report(tmp_path / "missing.parquet")


def test_one_list_of_non_product_codes():
    """The union of the four codes the value cleaner knew and the eleven of the basket cleaner."""
    assert set(NON_PRODUCT_CODES) == {
        "POST",
        "DOT",
        "M",
        "BANK CHARGES",
        "D",
        "C2",
        "CRUK",
        "PADS",
        "AMAZONFEE",
        "S",
        "B",
    }
    assert CleaningRules().non_product_codes == NON_PRODUCT_CODES


@pytest.mark.parametrize("engine", ENGINES)
def test_without_amount_the_counts_stay_and_amounts_are_nan(engine):
    """Lines without an amount (e.g. basket files) are cleaned too; nothing can be summed."""
    report = cleaning_report(dirty().drop(columns="amount"), engine=engine).set_index("rule")
    assert {r: (row.removed, row.kept) for r, row in report.iterrows()} == EXPECTED
    assert report["removed_amount"].isna().all()


def basket_lines() -> pd.DataFrame:
    """Online Retail basket lines: no prices, one line without a customer (still a basket)."""
    return pd.DataFrame(
        {
            "invoice_id": ["536365", "536365", "C536379", "536380", "536380", "536381", "536382"],
            "item_id": ["85123A", "POST", "D", "71053", "BANK CHARGES", "22752", "AMAZONFEE"],
            "item": ["HEART", "POSTAGE", "Discount", "LANTERN", "Bank Charges", "SET", "Amazon fee"],
            "customer_id": ["17850", "17850", "17850", None, None, "13047", "13047"],
            "quantity": [6, 1, -1, 6, 1, -2, 1],
        }
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_basket_lines_keep_guest_baskets(engine):
    lines = basket_lines()
    result = clean(lines, rules=BASKET_RULES, engine=engine)
    assert result.data["item"].tolist() == ["HEART", "LANTERN"]  # the guest line of 536380 stays
    report = result.report.set_index("rule")
    assert report.index.tolist() == ["cancellation", "non_product", "non_positive_quantity"]
    assert report["removed"].tolist() == [1, 3, 1]
    assert result.rules == BASKET_RULES
    assert len(lines) == 7  # input not mutated


def test_basket_engines_agree_and_code_column_can_be_the_item():
    lines = basket_lines()
    pd.testing.assert_frame_equal(*(clean(lines, rules=BASKET_RULES, engine=e).data for e in ENGINES))
    pd.testing.assert_frame_equal(*(cleaning_report(lines, rules=BASKET_RULES, engine=e) for e in ENGINES))
    fimi = pd.DataFrame({"invoice_id": ["1", "1", "2"], "item": ["beer", " post", "wine"]})
    rules = CleaningRules(code_col="item").without("missing_customer")
    for engine in ENGINES:
        assert clean(fimi, rules=rules, engine=engine).data["item"].tolist() == ["beer", "wine"]


def test_rule_mask_is_the_rule_whatever_the_order():
    tx = dirty()
    assert rule_mask(tx, "cancellation").tolist() == [False, False, True] + [False] * 6 + [True]
    assert rule_mask(tx, "non_product").tolist() == [False] * 4 + [True, True] + [False] * 3 + [True]
    assert not rule_mask(tx.drop(columns="unit_price"), "non_positive_price").any()
    assert isinstance(rule_mask(tx, "missing_customer"), np.ndarray)


def test_report_table_names_the_codes_and_formats_numbers():
    report = cleaning_report(dirty())
    table = report_table(report, codes=("POST", "X"), lang="zh")
    assert table.data.columns.tolist() == ["清洗规则", "删除行数", "剩余行数", "删除金额"]
    assert table.data.iloc[2, 0] == "非商品编码（POST, X）"
    assert "33.00" in table.to_html()


def test_duckdb_keeps_the_right_lines_of_a_large_frame():
    """DuckDB scans a large frame in parallel; the kept lines must still be the right ones, in order."""
    n = 400_000
    rng = np.random.default_rng(0)
    invoice = np.where(rng.random(n) < 0.05, "C", "") + np.arange(n).astype(str)
    tx = pd.DataFrame(
        {
            "invoice_id": invoice,
            "customer_id": np.arange(n).astype(str),
            "item_id": "X",
            "quantity": 1,
            "unit_price": 1.0,
            "amount": 1.0,
        }
    )
    kept = clean(tx).data
    assert not kept["invoice_id"].str.startswith("C").any()
    pd.testing.assert_frame_equal(kept, clean(tx, engine="pandas").data)
