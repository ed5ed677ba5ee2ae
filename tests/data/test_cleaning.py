import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.data.cleaning import ENGINES, CleaningRules, clean, cleaning_report


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


def test_bad_arguments():
    with pytest.raises(ParameterError, match="cancellation"):
        CleaningRules(rules=("cancelation",))
    with pytest.raises(ParameterError, match="engine"):
        cleaning_report(dirty(), engine="spark")
    with pytest.raises(InputError, match="amount"):
        cleaning_report(dirty().drop(columns="amount"))
