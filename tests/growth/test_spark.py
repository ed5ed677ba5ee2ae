"""crmlab.growth.spark: the Spark reduction gives the embedded path's purchases, flows and cohorts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import growth
from crmlab.data import load_input, read
from crmlab.data import spark as spark_data
from crmlab.data.cleaning import clean
from crmlab.growth import spark as spark_growth
from crmlab.growth.purchases import Purchases
from tests.data.retail import N_CLEAN, retail_lines

pytestmark = pytest.mark.slow


def assert_same_purchases(on_spark: Purchases, embedded: Purchases) -> None:
    """Orders, product lines, names and periods exact; order amounts to the cent; same flows and cohorts."""
    exact = ["customer_id", "invoice_id", "day", "period"]
    pd.testing.assert_frame_equal(on_spark.orders[exact], embedded.orders[exact])
    assert (on_spark.orders["amount"].round(2) == embedded.orders["amount"].round(2)).all()
    pd.testing.assert_frame_equal(on_spark.lines, embedded.lines)
    pd.testing.assert_series_equal(on_spark.names, embedded.names)
    fields = ["line_col", "period", "start", "as_of", "first_period", "last_period"]
    assert [getattr(on_spark, f) for f in fields] == [getattr(embedded, f) for f in fields]
    flows = growth.relationship_flows(on_spark), growth.relationship_flows(embedded)
    pd.testing.assert_frame_equal(flows[0].table, flows[1].table)
    pd.testing.assert_frame_equal(flows[0].events, flows[1].events)
    cohorts = growth.cohort_retention(on_spark), growth.cohort_retention(embedded)
    pd.testing.assert_frame_equal(cohorts[0].active, cohorts[1].active)
    pd.testing.assert_frame_equal(cohorts[0].retention, cohorts[1].retention)
    assert cohorts[0].first_size == cohorts[1].first_size


def spark_purchases(spark, path: str = "", *, dataset: str = "", category_col: str = "category", **kwargs) -> Purchases:
    """The notebook's Spark path: read, clean and reduce on Spark, prepare on the driver."""
    loaded = spark_data.load_input(spark, path, dataset=dataset)
    lines = spark_growth.purchase_lines(spark_data.clean(loaded.frame).data, category_col=category_col)
    return growth.prepare_purchases(lines, category_col=category_col, **kwargs)


@pytest.mark.parametrize("dataset", ["cdnow_master", "synthetic_transactions"])
def test_named_data_sets_give_the_same_purchases_flows_and_cohorts(spark, dataset):
    embedded = growth.prepare_purchases(clean(load_input(dataset=dataset).frame).data)
    on_spark = spark_purchases(spark, dataset=dataset)
    assert_same_purchases(on_spark, embedded)
    assert len(on_spark.orders) == len(embedded.orders) > 1000


def renamed_retail(seed: int = 0) -> pd.DataFrame:
    """Online-Retail-like lines whose items change their description over the file, and a category column.

    Each line's description is one of three spellings of its item, drawn at random, so an item's name
    is the spelling of its first line in the file: what the embedded path reports.
    """
    lines = retail_lines(seed)
    spelling = np.random.default_rng(seed).integers(0, 3, size=len(lines))
    lines["Description"] = [f"ITEM {code} v{k}" for code, k in zip(lines["StockCode"], spelling, strict=True)]
    lines["category"] = "C" + lines["StockCode"].str[:3]
    return lines


@pytest.fixture(scope="module")
def retail_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("growth_retail")
    lines = renamed_retail()
    lines.to_csv(folder / "online_retail.csv", index=False)
    lines.to_parquet(folder / "online_retail.parquet", row_group_size=300)  # several row groups to split
    return {"csv": folder / "online_retail.csv", "parquet": folder / "online_retail.parquet"}


@pytest.fixture
def small_splits(spark):
    """Spark reads a file in chunks of about 16 kB (several partitions), as it reads a large file."""
    before = {k: spark.conf.get(k) for k in ("spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes")}
    spark.conf.set("spark.sql.files.maxPartitionBytes", "16k")
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    yield
    for key, value in before.items():
        spark.conf.set(key, value)


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_items_keep_the_name_of_their_first_line_in_the_file(spark, retail_files, small_splits, form):
    assert spark_data.load_input(spark, str(retail_files[form])).frame.rdd.getNumPartitions() > 2
    embedded_lines = clean(read(retail_files["csv"], kind="transactions")).data
    assert len(embedded_lines) == N_CLEAN
    embedded = growth.prepare_purchases(embedded_lines, category_col="")
    on_spark = spark_purchases(spark, str(retail_files[form]), category_col="")
    assert_same_purchases(on_spark, embedded)
    assert on_spark.line_col == "item_id"
    first = embedded_lines.drop_duplicates("item_id").set_index("item_id")["item_name"]  # the file's first kept line
    assert on_spark.names.to_dict() == first.to_dict()
    assert first.str.endswith("v0").any() and not first.str.endswith("v0").all()  # the spellings do differ
    assert len(on_spark.orders) == embedded_lines["invoice_id"].nunique()


@pytest.mark.parametrize("period", ["month", "quarter", "week"])
def test_categories_periods_and_an_analysis_date_give_the_same_purchases(spark, retail_files, period):
    embedded_lines = clean(read(retail_files["parquet"], kind="transactions")).data
    as_of = {"period": period, "as_of": "2011-09-30"}
    embedded = growth.prepare_purchases(embedded_lines, **as_of)
    on_spark = spark_purchases(spark, str(retail_files["parquet"]), **as_of)
    assert on_spark.line_col == "category"
    assert_same_purchases(on_spark, embedded)
    assert on_spark.orders["day"].max() <= pd.Timestamp("2011-09-30")
    cleaned = spark_data.clean(spark_data.load_input(spark, str(retail_files["csv"])).frame)
    reduced = spark_growth.purchase_lines(cleaned.data)
    assert cleaned.kept == N_CLEAN and len(reduced) < N_CLEAN  # one row per customer, order, day and category
    assert reduced["amount"].sum() == pytest.approx(embedded_lines["amount"].sum())
