"""Apache Spark as the scale-out engine: the session, inputs, cleaning and the customer summary on a cluster.

``input URI or named data set -> Spark DataFrame in canonical columns -> clean (per-rule counts) ->
one row per customer (pandas, on the driver)``

DuckDB stays the default engine (one machine reads tens of millions of lines in seconds); Spark is the
opt-in way up for data that lives in a lake or outgrows one machine. Only the data reduction runs on
Spark: reading, cleaning with the per-rule counts and the one-row-per-customer summary (here),
frequent itemsets (`crmlab.basket.spark`) and the purchases of relationship growth
(`crmlab.growth.spark`). Model fits run on the driver on the reduced tables.

One definition, two engines: the cleaning rules and the summary are the SQL texts of
`crmlab.data.cleaning` and `crmlab.data.summary`, written for DuckDB and transpiled to Spark SQL with
``sqlglot`` (`spark_sql`); the small pandas steps that finish them (`report_from_counts`,
`crmlab.data.summary.finish`) are shared too, so both engines give the same counts and tables.

pyspark and sqlglot come with ``pip install 'crmlab[spark]'``; a local or standalone master needs Java 17
(``make system-deps``), a Spark Connect URL (``sc://host:15002``) needs no local Java.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from crmlab.core.checks import check_choice
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.catalogue import info
from crmlab.data.cleaning import CleaningRules, refuse_nothing_kept, report_from_counts, report_sql, rule_case_sql
from crmlab.data.columns import resolve_columns
from crmlab.data.inputs import Loaded, describe_input
from crmlab.data.io import PARQUET_EXTENSIONS, TEXT_EXTENSIONS
from crmlab.data.schemas import SCHEMAS, require_columns
from crmlab.data.summary import COUNTS_SQL, Summary, analysis_date, customers_sql, grouped_sql, summary_result

if TYPE_CHECKING:
    from pyspark.sql import Column, SparkSession
    from pyspark.sql import DataFrame as SparkFrame

#: The default master: Spark on this machine, one worker thread per core.
LOCAL_MASTER = "local[*]"
#: Thread stack of the JVM's threads for MLlib FPGrowth on long baskets (see `session`; on a cluster set
#: ``spark.executor.extraJavaOptions=-Xss64m`` there).
FPGROWTH_STACK = "64m"
_SHOWN = 5  # bad values shown in a message


# --- availability: checked by the runner before any kernel starts -------------------------------------


def missing(master: str = LOCAL_MASTER) -> list[str]:
    """What this machine lacks to run Spark with ``master``: ``"pyspark"``, ``"sqlglot"``, ``"java"``."""
    lacking = [p for p in ("pyspark", "sqlglot") if importlib.util.find_spec(p) is None]
    local_jvm = not master.startswith("sc://")  # Spark Connect runs the JVM on the server
    java_home = os.environ.get("JAVA_HOME", "")
    if local_jvm and not (shutil.which("java") or (java_home and (Path(java_home) / "bin" / "java").exists())):
        lacking.append("java")
    return lacking


def check_available(master: str = LOCAL_MASTER, lang: str | None = None) -> None:
    """Raise ParameterError saying what to install when Spark cannot run with ``master`` here."""
    lacking = missing(master)
    if lacking:
        raise ParameterError(t("data.spark.missing", lang, what=", ".join(lacking), master=master))


def _is_uri(value: str) -> bool:
    """A URI with a scheme other than ``file`` (``hdfs://``, ``s3a://``, ``gs://``, ...)."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value) is not None and not value.startswith("file://")


def _folder_fingerprint(folder: Path) -> str:
    """A digest of the names, sizes and modification times of the files under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def spark_inputs(params: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The runner's hook: with ``engine="spark"``, check Spark is available and take ``input_path`` as Spark's.

    Returns ``{"input_path": {"path", "fingerprint"}}`` when Spark reads a folder (a Parquet data set,
    fingerprinted by its files) or a URI (never fingerprinted: the run is never reused), so the runner
    does not require a local file; empty otherwise (the runner checks and fingerprints files itself).
    """
    if params.get("engine") != "spark":
        return {}
    check_available(str(params.get("spark_master") or LOCAL_MASTER), params.get("lang"))
    value = str(params.get("input_path") or "")
    if _is_uri(value):
        return {"input_path": {"path": value, "fingerprint": f"remote, not fingerprinted: {uuid.uuid4().hex}"}}
    folder = Path(value.removeprefix("file://")).expanduser().resolve() if value else None
    if folder is not None and folder.is_dir():
        return {"input_path": {"path": str(folder), "fingerprint": _folder_fingerprint(folder)}}
    return {}


# --- the session and the SQL ---------------------------------------------------------------------------


def session(master: str = LOCAL_MASTER) -> SparkSession:
    """The Spark session for ``master`` (``local[*]``, ``spark://host:7077``, ``yarn`` or ``sc://host:15002``).

    Times are read and written in UTC (a day is the same calendar day as in pandas and DuckDB); the
    console progress bar is on so that `stage_progress` can show it in the runner's live line.
    """
    check_available(master)
    from pyspark.sql import SparkSession

    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    if master.startswith("sc://"):
        builder = SparkSession.builder.remote(master)
    else:
        builder = SparkSession.builder.master(master).config("spark.ui.showConsoleProgress", "true")
        if master.startswith("local"):  # one machine: few shuffle partitions, bound to the loopback
            builder = builder.config("spark.sql.shuffle.partitions", "16").config("spark.driver.host", "127.0.0.1")
            builder = builder.config("spark.driver.bindAddress", "127.0.0.1")
            # FPGrowth serialises its trees recursively (one level per item of the longest basket): a
            # larger thread stack than Java's default keeps long baskets from overflowing it.
            builder = builder.config("spark.driver.extraJavaOptions", f"-Xss{FPGROWTH_STACK}")
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    spark = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate()
    if not master.startswith("sc://"):
        spark.sparkContext.setLogLevel("ERROR")
    return spark


@cache
def spark_sql(sql: str) -> str:
    """The DuckDB SQL text ``sql`` in Spark's dialect (sqlglot).

    >>> spark_sql("SELECT arg_min(amount, day), CAST(x AS VARCHAR) FROM t")
    'SELECT MIN_BY(amount, day), CAST(x AS STRING) FROM t'
    """
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


def _view(frame: SparkFrame) -> str:
    """Register ``frame`` as a temporary view under a fresh name and return the name."""
    name = f"crmlab_{uuid.uuid4().hex[:12]}"
    frame.createOrReplaceTempView(name)
    return name


def run_sql(spark: SparkSession, sql: str, **tables: SparkFrame) -> SparkFrame:
    """Run the DuckDB SQL text ``sql`` on Spark with each ``{name}`` placeholder bound to a DataFrame."""
    return spark.sql(spark_sql(sql.format(**{name: _view(frame) for name, frame in tables.items()})))


#: What runs on Spark: ``summary`` (value analysis), ``itemsets`` (basket analysis), ``purchases`` (churn
#: by inactivity), ``growth`` (relationship growth, `crmlab.growth.spark`) or ``reading`` (the profile,
#: which needs every row on the driver).
STEPS = ("summary", "itemsets", "purchases", "growth", "reading")


def engine_text(master: str, version: str, steps: str, lang: str | None = None) -> str:
    """The report's sentence saying which ``steps`` ran on Spark (``master``, ``version``) and what on the driver."""
    check_choice(steps, "steps", STEPS)
    return t("data.spark.say.engine", lang, master=master, version=version, steps=t(f"data.spark.step.{steps}", lang))


# --- inputs ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SparkLoaded:
    """A Spark input: the DataFrame in canonical columns, the mapping used, where it came from, its rows."""

    frame: SparkFrame
    mapping: Mapping[str, str]
    source: str
    rows: int
    dataset: bool = False
    kind: str | None = None

    def describe(self, lang: str | None = None) -> str:
        """`crmlab.data.describe_input` of this input (its rows counted by Spark)."""
        size = pd.DataFrame(index=pd.RangeIndex(self.rows))  # a frame of ``rows`` rows that holds no data
        return describe_input(Loaded(size, self.mapping, self.source, self.dataset, self.kind), lang)


def _suffix(uri: str) -> str:
    return Path(uri.rstrip("/")).suffix.lower()


def read_table(spark: SparkSession, uri: str, *, wanted: Sequence[str], columns: Mapping[str, str] | None = None):
    """Read a Parquet file or folder or a CSV file with Spark and rename its columns through the alias table.

    Returns the DataFrame in canonical names and the mapping used (`crmlab.data.resolve_columns`).
    CSV is read as UTF-8 text with a header (the separator: tab for ``.tsv``, else comma); convert other
    encodings and Excel files to Parquet first.
    """
    name = Path(uri.rstrip("/")).name
    local = None if _is_uri(uri) else Path(uri.removeprefix("file://"))
    if local is not None and not local.exists():
        raise InputError(t("data.file_missing", path=uri, cwd=Path.cwd()))
    suffix = _suffix(uri)
    if suffix in TEXT_EXTENSIONS:
        sep = "\t" if suffix == ".tsv" else ","
        frame = spark.read.options(header=True, sep=sep, encoding="UTF-8").csv(uri)
    elif suffix in PARQUET_EXTENSIONS or (local is not None and local.is_dir()) or (local is None and not suffix):
        frame = spark.read.parquet(uri)
    else:
        raise InputError(t("data.spark.format", path=name, ext=suffix or "(none)"))
    mapping = resolve_columns(frame.columns, wanted=wanted, columns=columns, context=name)
    return frame.select(*[frame[c].alias(mapping.get(c, c)) for c in frame.columns]), mapping


def _id_checks(frame: SparkFrame, name: str) -> Column:
    """The number of values of id column ``name`` that keep their form as text (see `_id_text`).

    As `crmlab.data.schemas.validate` decides for the whole column: floats become whole-number text
    when every value is whole; text loses a ``.0`` ending when every value is ``-?digits.0``.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, FloatType

    value = F.col(name)
    if isinstance(frame.schema[name].dataType, FloatType | DoubleType):
        other = value.isNotNull() & (value != F.floor(value))
    else:
        other = value.isNotNull() & ~value.cast("string").rlike(r"^-?[0-9]+\.0$")
    return F.sum(other.cast("int"))


def _id_text(frame: SparkFrame, name: str, as_is: bool) -> Column:
    """Id column ``name`` as text: as it is (``as_is``), else without its ``.0`` (a whole number)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, FloatType

    value = F.col(name)
    if as_is:
        return value.cast("string")
    if isinstance(frame.schema[name].dataType, FloatType | DoubleType):
        return value.cast("bigint").cast("string")
    return F.regexp_replace(value.cast("string"), r"\.0$", "")


def canonical_transactions(frame: SparkFrame, *, context: str) -> SparkFrame:
    """Transactions in canonical types, checked as `crmlab.data.schemas.validate` checks them, in one pass.

    Identifiers become text (whole numbers stored as floats lose their ``.0``), numbers doubles, dates
    timestamps (text in ISO form, ``YYYY-MM-DD[ HH:MM[:SS]]``); ``item_id`` comes from ``item_name`` and
    ``amount`` from quantity x unit_price when absent. A cell that is empty where it must not be, or
    that is not a number or a date, raises InputError naming the column, the count and examples.
    """
    from pyspark.sql import functions as F

    if "item_id" not in frame.columns and "item_name" in frame.columns:
        frame = frame.withColumn("item_id", F.col("item_name"))
    required = [c.name for c in SCHEMAS["transactions"].columns if c.required]
    require_columns(pd.DataFrame(columns=frame.columns), [c for c in required if c != "amount"], context=context)
    types = dict(frame.dtypes)
    kinds = {c.name: c.dtype for c in SCHEMAS["transactions"].columns if c.name in frame.columns}
    converted, failed = {}, {}
    for name, kind in kinds.items():
        value, text_input = F.col(name), types[name] == "string"
        if kind == "text":
            converted[name] = value.cast("string")
        elif kind == "number":
            converted[name] = F.expr(f"try_cast(`{name}` AS DOUBLE)") if text_input else value.cast("double")
            failed[name] = "data.not_numeric"
        elif kind == "datetime":
            converted[name] = F.expr(f"try_to_timestamp(`{name}`)") if text_input else value.cast("timestamp")
            failed[name] = "data.not_datetime"
    present = {c: F.col(c).isNotNull() & (F.trim(F.col(c).cast("string")) != "") for c in failed}
    frame = frame.select(
        *[converted.get(c, F.col(c)).alias(c) for c in frame.columns],
        *[F.when(converted[c].isNull() & present[c], F.col(c).cast("string")).alias(f"_bad_{c}") for c in failed],
    )
    if "amount" not in frame.columns:
        if "unit_price" not in frame.columns:
            raise InputError(t("data.no_amount", context=context))
        frame = frame.withColumn("amount", F.col("quantity") * F.col("unit_price"))
    ids = [name for name, kind in kinds.items() if kind == "id"]
    not_null = [c.name for c in SCHEMAS["transactions"].columns if not c.nullable and c.name in frame.columns]
    counts = (
        frame.agg(
            *[F.count(f"_bad_{c}").alias(f"bad_{c}") for c in failed],
            *[F.sum(F.col(c).isNull().cast("int")).alias(f"null_{c}") for c in not_null],
            *[_id_checks(frame, c).alias(f"id_{c}") for c in ids],
        )
        .collect()[0]
        .asDict()
    )
    for name, key in failed.items():
        if counts[f"bad_{name}"]:
            shown = [repr(r[0]) for r in frame.where(f"_bad_{name} IS NOT NULL").select(f"_bad_{name}").take(_SHOWN)]
            n = counts[f"bad_{name}"]
            raise InputError(t(key, context=context, column=name, n=n, examples=", ".join(shown)))
    for name in not_null:
        if counts[f"null_{name}"]:
            raise InputError(t("data.spark.null_values", context=context, column=name, n=counts[f"null_{name}"]))
    texts = {c: _id_text(frame, c, as_is=bool(counts[f"id_{c}"])) for c in ids}
    return frame.select(*[texts.get(c, F.col(c)).alias(c) for c in frame.columns if not c.startswith("_bad_")])


def load_input(
    spark: SparkSession, input_path: str = "", *, dataset: str = "", columns: Mapping[str, str] | None = None
) -> SparkLoaded:
    """Transactions from ``input_path`` (a Parquet file or folder, a CSV file, any URI Spark reads), else ``dataset``.

    A named data set is loaded on the driver and handed to Spark.
    """
    if input_path:
        raw, mapping = read_table(spark, input_path, wanted=SCHEMAS["transactions"].names, columns=columns)
        name = Path(input_path.rstrip("/")).name
        frame = canonical_transactions(raw, context=name)
        return SparkLoaded(frame, mapping, name, frame.count(), kind="transactions")
    if not dataset:
        raise ParameterError(t("data.no_input"))
    entry = info(dataset)
    if entry.kind != "transactions":
        raise InputError(t("data.dataset_kind", name=dataset, kind=entry.kind, wanted="transactions"))
    local = entry.load()
    return SparkLoaded(spark.createDataFrame(local), {}, dataset, len(local), dataset=True, kind=entry.kind)


class Overview(NamedTuple):
    """Rows, distinct customers and the first and last timestamp of transaction lines."""

    rows: int
    customers: int
    start: pd.Timestamp
    end: pd.Timestamp


def overview(frame: SparkFrame) -> Overview:
    """`Overview` of transaction lines, in one Spark job."""
    from pyspark.sql import functions as F

    row = frame.agg(
        F.count(F.lit(1)), F.countDistinct("customer_id"), F.min("timestamp"), F.max("timestamp")
    ).collect()[0]
    return Overview(int(row[0]), int(row[1]), pd.Timestamp(row[2]), pd.Timestamp(row[3]))


# --- cleaning and the customer summary -------------------------------------------------------------


@dataclass(frozen=True)
class SparkCleaning:
    """Kept lines (a Spark DataFrame, not computed until used), the per-rule report and the rules used.

    ``kept``: the number of kept lines (from the report).
    """

    data: SparkFrame
    report: pd.DataFrame
    rules: CleaningRules

    @property
    def kept(self) -> int:
        """Lines kept after every rule."""
        return int(self.report["kept"].iloc[-1]) if len(self.report) else -1


def clean(frame: SparkFrame, *, rules: CleaningRules | None = None) -> SparkCleaning:
    """`crmlab.data.cleaning.clean` on Spark: the same rules (the same SQL) and the same report.

    The report is one Spark job; the kept lines stay a lazy DataFrame.
    """
    rules = rules or CleaningRules()
    spark = frame.sparkSession
    counts = run_sql(spark, report_sql(rules, frame.columns, "{tx}"), tx=frame).toPandas()
    report = report_from_counts(
        counts.dropna(subset=["rule"]), int(counts["removed"].sum()), rules, amounts="amount" in frame.columns
    )
    kept = run_sql(spark, f"SELECT * FROM {{tx}} WHERE ({rule_case_sql(rules, frame.columns)}) IS NULL", tx=frame)
    cleaned = SparkCleaning(kept, report, rules)
    if counts["removed"].sum() and not cleaned.kept:
        refuse_nothing_kept(report, rules)
    return cleaned


def summarize(
    frame: SparkFrame, *, as_of: str | pd.Timestamp | None = None, cleaning: CleaningRules | None = None
) -> Summary:
    """`crmlab.data.summary.summarize` on Spark: the same SQL, the same customer table and cleaning report.

    The lines are grouped once by (rule, customer, invoice, day) and cached; the counts and the
    customer table are computed from that much smaller table, then finished on the driver.
    """
    needed = ["customer_id", "timestamp", "amount"]
    require_columns(pd.DataFrame(columns=frame.columns), needed, context="customer summary")
    as_of_ts = None if as_of in (None, "") else pd.Timestamp(as_of).normalize()
    rules = cleaning or CleaningRules(rules=())
    spark = frame.sparkSession
    grouped = run_sql(spark, grouped_sql("{tx}", frame.columns, rules), tx=frame).cache()
    try:
        counts = run_sql(spark, COUNTS_SQL.replace("grouped", "{grouped}"), grouped=grouped).toPandas()
        stamp = analysis_date(counts, as_of_ts)
        sql = customers_sql(stamp).replace("FROM grouped", "FROM {grouped}")
        customers = run_sql(spark, sql, grouped=grouped).toPandas()
    finally:
        grouped.unpersist()
    table, report, stamp = summary_result(counts, customers, stamp, rules)
    if table.empty or stamp is None:
        raise InputError(t("data.no_customers", as_of=as_of or "-"))
    return Summary(table, report, stamp, rules)


def item_totals(frame: SparkFrame) -> pd.DataFrame:
    """Revenue per ``item_id`` (one row per item: ``item_id``, ``amount``), for the product view on the driver."""
    from pyspark.sql import functions as F

    return frame.groupBy("item_id").agg(F.sum("amount").alias("amount")).toPandas()


def purchase_times(frame: SparkFrame) -> pd.DataFrame:
    """One row per customer and purchase time with its amount (``customer_id``, ``timestamp``, ``amount``).

    The reduction that churn by inactivity needs (`crmlab.churn.status.churn_status_from_transactions`
    gives the same customers, dates and revenue from it as from the lines); lines without a customer
    are left out, as that function leaves them out.
    """
    from pyspark.sql import functions as F

    known = frame.where(F.col("customer_id").isNotNull())
    return known.groupBy("customer_id", "timestamp").agg(F.sum("amount").alias("amount")).toPandas()


def to_driver(loaded: SparkLoaded) -> Loaded:
    """The whole input on the driver, for a step that needs every row (the data profile)."""
    return Loaded(loaded.frame.toPandas(), loaded.mapping, loaded.source, loaded.dataset, loaded.kind)


# --- progress ---------------------------------------------------------------------------------------


#: Spark's console progress bar: ``[Stage 3:=====>        (5 + 2) / 8]``.
STAGE = re.compile(r"\[Stage (\d+):[^(\]]*\((\d+) \+ (\d+)\) / (\d+)\]")


def stage_text(log: str) -> str | None:
    r"""The last stage progress in Spark console output, e.g. ``"Spark stage 3: 5/8 tasks"``.

    >>> stage_text("[Stage 0:>   (0 + 2) / 2]\r[Stage 3:==>   (5 + 2) / 8]")
    'Spark stage 3: 5/8 tasks'
    """
    found = STAGE.findall(log)
    if not found:
        return None
    stage, done, _, total = found[-1]
    return f"Spark stage {stage}: {done}/{total} tasks"


@contextmanager
def stage_progress(log: Path, report: Callable[[str], None], *, every: float = 0.5) -> Iterator[None]:
    """While the block runs, pass the latest Spark stage found in the kernel's log file ``log`` to ``report``.

    The kernel's stderr (where the JVM's console progress bar goes) is written to ``log`` by the runner;
    a thread reads what is new every ``every`` seconds. Without Spark nothing is found and nothing reported.
    """
    stop = threading.Event()

    def watch() -> None:
        offset, last = 0, None
        while not stop.wait(every):
            try:
                with open(log, "rb") as handle:
                    handle.seek(offset)
                    chunk = handle.read()
            except OSError:
                continue
            offset += len(chunk)
            text = stage_text(chunk.decode("utf-8", "replace"))
            if text is not None and text != last:
                report(text)
                last = text

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
