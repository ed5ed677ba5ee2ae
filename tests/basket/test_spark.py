"""crmlab.basket.spark: FPGrowth on Spark gives the embedded miner's itemsets, supports, order and rules."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import basket
from crmlab.basket import spark as basket_spark
from crmlab.basket.rules import association_rules
from crmlab.core.errors import InputError
from tests.conftest import zh_message
from tests.data.retail import PLANTED, retail_lines

pytestmark = pytest.mark.slow


def lines_frame(spark, lines: pd.DataFrame):
    """Basket lines on Spark with their positions (as `basket_spark.load_lines` gives a named data set)."""
    return spark.createDataFrame(lines.assign(line_no=range(len(lines))))


def test_the_demo_data_gives_the_same_cleaning_itemsets_and_rules(spark):
    loaded = basket_spark.load_lines(spark, dataset="synthetic_baskets")
    local = basket.load_basket_lines(dataset="synthetic_baskets").frame
    assert loaded.rows == len(local)
    cleaned = basket_spark.clean_lines(loaded.frame)
    embedded = basket.clean_basket_lines(local)
    pd.testing.assert_frame_equal(cleaned.report, embedded.report)
    on_spark = basket_spark.mine(cleaned.data, min_support=0.01, max_len=4)
    itemsets = basket.mine(embedded.data, min_support=0.01, max_len=4)
    assert (on_spark.n_baskets, on_spark.n_items, on_spark.min_support) == (7594, 28, 0.01)
    pd.testing.assert_frame_equal(on_spark.table, itemsets.table)  # same sets, counts, supports and order
    pd.testing.assert_frame_equal(association_rules(on_spark).table, association_rules(itemsets).table)
    pairs = basket_spark.driver_lines(cleaned.data)
    expected = embedded.data[["invoice_id", "item", "customer_id"]].drop_duplicates(ignore_index=True)
    pd.testing.assert_frame_equal(pairs, expected, check_dtype=False)


def test_a_support_exactly_at_the_threshold_counts(spark):
    # 20 baskets: {a, b} in 3 (support 0.15 = min_support), {a, c} in 2 (0.10, below it).
    baskets = [["a", "b"]] * 3 + [["a", "c"]] * 2 + [["d"]] * 15
    lines = pd.DataFrame(
        [(str(i), item) for i, items in enumerate(baskets) for item in items], columns=["invoice_id", "item"]
    )
    on_spark = basket_spark.mine(lines_frame(spark, lines), min_support=0.15)
    counts = dict(zip(on_spark.table["itemsets"], on_spark.table["count"], strict=True))
    assert counts == {frozenset("b"): 3, frozenset("a"): 5, frozenset("d"): 15, frozenset("ab"): 3}
    pd.testing.assert_frame_equal(on_spark.table, basket.mine(lines, min_support=0.15).table)


@pytest.fixture(scope="module")
def retail_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("baskets") / "online_retail.parquet"
    retail_lines(seed=1).to_parquet(path)
    return path


def test_an_online_retail_like_file_gives_the_same_itemsets_and_rules(spark, retail_file):
    loaded = basket_spark.load_lines(spark, str(retail_file))
    assert loaded.mapping["StockCode"] == "item_id" and loaded.mapping["Description"] == "item_name"
    cleaned = basket_spark.clean_lines(loaded.frame)
    embedded = basket.clean_basket_lines(basket.read_basket_lines(retail_file))
    pd.testing.assert_frame_equal(cleaned.report, embedded.report)
    removed = cleaned.report.set_index("rule")["removed"].to_dict()  # planted truth (no price or customer rule)
    assert removed == {k: PLANTED[k] for k in ("cancellation", "non_product", "non_positive_quantity")}
    on_spark = basket_spark.mine(cleaned.data, min_support=0.02)
    itemsets = basket.mine(embedded.data, min_support=0.02)
    assert len(itemsets) > 50 and itemsets.table["itemsets"].map(len).max() >= 3
    pd.testing.assert_frame_equal(on_spark.table, itemsets.table)
    pd.testing.assert_frame_equal(association_rules(on_spark).table, association_rules(itemsets).table)


def test_rules_agree_with_spark_mllib(spark, retail_file):
    """Spark's own association rules (one-item consequents) as an oracle for confidence and lift."""
    from pyspark.ml.fpm import FPGrowth
    from pyspark.sql import functions as F

    lines = basket_spark.clean_lines(basket_spark.load_lines(spark, str(retail_file)).frame).data
    itemsets = basket_spark.mine(lines, min_support=0.02)
    ours = association_rules(itemsets, min_confidence=0.1, min_improvement=-1).table
    ours = ours[ours["consequents"].map(len) == 1]
    baskets = lines.groupBy("invoice_id").agg(F.collect_set("item").alias("items"))
    model = FPGrowth(itemsCol="items", minSupport=0.02 - 1e-9, minConfidence=0.1).fit(baskets)
    theirs = model.associationRules.toPandas()
    key = lambda a, c: (frozenset(a), frozenset(c))  # noqa: E731
    expected = {
        key(a, c): (conf, lift)
        for a, c, conf, lift in theirs[["antecedent", "consequent", "confidence", "lift"]].itertuples(index=False)
    }
    got = {
        key(a, c): (conf, lift)
        for a, c, conf, lift in ours[["antecedents", "consequents", "confidence", "lift"]].itertuples(index=False)
    }
    assert got.keys() == expected.keys() and len(got) > 20
    for rule, (conf, lift) in expected.items():
        assert got[rule] == pytest.approx((conf, lift), rel=1e-12)


def test_files_with_one_basket_per_line_are_refused_on_spark(spark, tmp_path):
    path = tmp_path / "retail.dat"
    path.write_text("1 2 3\n2 3\n")
    with pytest.raises(InputError, match="one basket per line"):
        basket_spark.load_lines(spark, str(path), input_format="baskets")
    assert "retail.dat" in zh_message(lambda: basket_spark.load_lines(spark, str(path), input_format="baskets"))
