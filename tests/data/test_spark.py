"""crmlab.data.spark: Spark gives the embedded engine's cleaning counts and customer table, from the same SQL."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.data import load_input, read
from crmlab.data import spark as spark_data
from crmlab.data.cleaning import CleaningRules, clean
from crmlab.data.summary import summarize
from crmlab.reports.runner import plan
from crmlab.reports.specs import find_notebooks
from tests.conftest import NOTEBOOKS, zh_message
from tests.data.retail import N_CLEAN, PLANTED, retail_lines

MONEY = ["revenue", "first_day_revenue"]


def assert_same_customers(spark_table: pd.DataFrame, embedded: pd.DataFrame) -> None:
    """Exact for ids, counts and dates; money to the cent."""
    exact = [c for c in embedded.columns if c not in MONEY]
    pd.testing.assert_frame_equal(spark_table[exact], embedded[exact])
    for column in MONEY:
        assert (spark_table[column].round(2) == embedded[column].round(2)).all(), column


# --- without a JVM ----------------------------------------------------------------------------------


def test_missing_java_is_named_with_what_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert spark_data.missing("local[2]") == ["java"]
    assert spark_data.missing("sc://cluster:15002") == []  # Spark Connect: the JVM runs on the server
    with pytest.raises(ParameterError, match=r"java.*pip install 'crmlab\[spark\]'.*openjdk-17-jre-headless"):
        spark_data.check_available("local[2]")
    assert "java" in zh_message(lambda: spark_data.check_available("local[2]"), ParameterError)


def test_the_runner_stops_before_the_kernel_without_java(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    spec = next(s for s in find_notebooks(NOTEBOOKS) if s.name.startswith("20"))
    assert plan(spec, {}, lang="en").parameters["engine"] == "duckdb"  # the default needs no Java
    with pytest.raises(ParameterError, match="openjdk-17-jre-headless"):
        plan(spec, {"engine": "spark"}, lang="en")
    with pytest.raises(ParameterError, match="openjdk-17-jre-headless"):
        plan(spec, {"engine": "spark"}, lang="zh")


def test_spark_inputs_folders_and_uris(tmp_path):
    folder = tmp_path / "lines.parquet"
    folder.mkdir()
    retail_lines().head(20).to_parquet(folder / "part-0.parquet")
    params = {"engine": "spark", "spark_master": "local[2]", "lang": "en"}
    taken = spark_data.spark_inputs({**params, "input_path": str(folder)})
    assert taken["input_path"]["path"] == str(folder)
    assert taken == spark_data.spark_inputs({**params, "input_path": str(folder)})  # same files, same key
    (folder / "part-1.parquet").write_bytes(b"x")
    assert taken != spark_data.spark_inputs({**params, "input_path": str(folder)})  # a new file changes it
    remote = [spark_data.spark_inputs({**params, "input_path": "s3a://bucket/lines/"}) for _ in range(2)]
    assert remote[0]["input_path"]["path"] == "s3a://bucket/lines/"
    assert remote[0] != remote[1]  # a remote input is never fingerprinted, so never reused
    assert spark_data.spark_inputs({**params, "input_path": ""}) == {}  # a named data set
    assert spark_data.spark_inputs({"engine": "duckdb", "input_path": str(folder)}) == {}


def test_stage_progress_reports_the_last_stage(tmp_path):
    log = tmp_path / "kernel.log"
    log.write_text("starting\n")
    seen: list[str] = []
    with spark_data.stage_progress(log, seen.append, every=0.05):
        with log.open("a") as handle:
            handle.write("[Stage 0:>    (0 + 2) / 2]\r[Stage 4:=====>   (3 + 2) / 10]\r")
        time.sleep(0.3)
    assert seen == ["Spark stage 4: 3/10 tasks"]


def test_the_spark_sql_is_the_duckdb_sql_transpiled():
    sql = spark_data.spark_sql("SELECT date_diff('day', a, b), arg_min(x, d), starts_with(s, 'C') FROM t")
    assert sql == "SELECT DATEDIFF(DAY, a, b), MIN_BY(x, d), STARTSWITH(s, 'C') FROM t"


# --- on Spark local[2] ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("dataset", ["cdnow_master", "synthetic_transactions"])
def test_named_data_sets_give_the_same_cleaning_and_customers(spark, dataset):
    loaded = spark_data.load_input(spark, dataset=dataset)
    local = load_input(dataset=dataset).frame
    assert loaded.rows == len(local)
    embedded = summarize(local, cleaning=CleaningRules())
    on_spark = spark_data.summarize(loaded.frame, cleaning=CleaningRules())
    pd.testing.assert_frame_equal(on_spark.cleaning, embedded.cleaning)
    assert on_spark.as_of == embedded.as_of
    assert_same_customers(on_spark.customers, embedded.customers)
    pd.testing.assert_frame_equal(spark_data.clean(loaded.frame).report, clean(local).report)


@pytest.fixture(scope="module")
def retail_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("retail")
    lines = retail_lines()
    lines.to_csv(folder / "online_retail.csv", index=False)
    lines.to_parquet(folder / "online_retail.parquet")
    parts = folder / "online_retail_parts"  # a Parquet folder, as Spark writes data sets
    parts.mkdir()
    for i, rows in enumerate(np.array_split(np.arange(len(lines)), 3)):
        lines.iloc[rows].to_parquet(parts / f"part-{i}.parquet")
    return {"csv": folder / "online_retail.csv", "parquet": folder / "online_retail.parquet", "folder": parts}


@pytest.mark.slow
@pytest.mark.parametrize("form", ["csv", "parquet", "folder"])
def test_online_retail_like_files_give_the_planted_counts_on_both_engines(spark, retail_files, form):
    embedded_lines = read(retail_files["csv"], kind="transactions")
    loaded = spark_data.load_input(spark, str(retail_files[form]))
    assert loaded.mapping["InvoiceNo"] == "invoice_id" and loaded.mapping["CustomerID"] == "customer_id"
    assert loaded.rows == N_CLEAN + sum(PLANTED.values())
    on_spark = spark_data.summarize(loaded.frame, cleaning=CleaningRules(), as_of="2011-09-30")
    embedded = summarize(embedded_lines, cleaning=CleaningRules(), as_of="2011-09-30")
    assert on_spark.cleaning.set_index("rule")["removed"].to_dict() == PLANTED  # planted truth
    pd.testing.assert_frame_equal(on_spark.cleaning, embedded.cleaning)
    assert_same_customers(on_spark.customers, embedded.customers)
    assert on_spark.customers["customer_id"].str.fullmatch(r"\d+").all()  # 12346.0 -> "12346", as the reader does
    if form == "parquet":  # the notebook's way: clean, then summarise the kept lines
        cleaned = spark_data.clean(loaded.frame)
        assert cleaned.kept == N_CLEAN
        as_of = {"as_of": "2011-09-30"}
        assert_same_customers(spark_data.summarize(cleaned.data, **as_of).customers, embedded.customers)
    overview = spark_data.overview(loaded.frame)
    assert overview.customers == embedded_lines["customer_id"].nunique()
    assert overview.start == embedded_lines["timestamp"].min()


@pytest.mark.slow
def test_bad_cells_are_named_in_both_languages(spark, tmp_path):
    lines = retail_lines().head(50).astype({"InvoiceDate": str, "Quantity": str})
    lines.loc[[3, 7], "InvoiceDate"] = "31/12/2010 10:00"  # not ISO: Spark would have to guess the order
    lines.to_csv(tmp_path / "dates.csv", index=False)
    with pytest.raises(InputError, match=r"'timestamp'.* 2 row\(s\).*31/12/2010"):
        spark_data.load_input(spark, str(tmp_path / "dates.csv"))
    assert "31/12/2010" in zh_message(lambda: spark_data.load_input(spark, str(tmp_path / "dates.csv")))
    lines = retail_lines().head(50)
    lines.loc[5, "Quantity"] = None
    lines.to_parquet(tmp_path / "missing.parquet")
    with pytest.raises(InputError, match=r"'quantity' must not be empty, but 1 row"):
        spark_data.load_input(spark, str(tmp_path / "missing.parquet"))
    lines.to_excel(tmp_path / "lines.xlsx", index=False)
    with pytest.raises(InputError, match="Excel"):
        spark_data.load_input(spark, str(tmp_path / "lines.xlsx"))


@pytest.mark.slow
def test_cleaning_that_removes_every_line_stops_alike_on_both_engines(spark):
    tx = load_input(dataset="synthetic_transactions", kind="transactions").frame.head(40)
    tx = tx.assign(quantity=-tx["quantity"].abs() - 1)  # every line a return
    with pytest.raises(InputError) as embedded:
        clean(tx)
    with pytest.raises(InputError) as on_spark:
        spark_data.clean(spark.createDataFrame(tx))
    assert str(on_spark.value) == str(embedded.value)
    assert "Cleaning removed every one of the 40 lines" in str(embedded.value)
