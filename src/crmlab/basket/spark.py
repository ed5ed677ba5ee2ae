"""Basket analysis on Spark: basket lines, their cleaning and frequent itemsets with MLlib ``FPGrowth``.

``URI or named data set -> Spark lines (invoice_id, item[, item_id, customer_id, quantity], line_no) ->
cleaned lines -> Itemsets`` (the same `crmlab.basket.rules.Itemsets` the embedded miner gives).

The embedded miner (`crmlab.basket.miner`) stays the default; this is the opt-in path for basket
data on a cluster. `mine` returns the same itemsets with the same counts and supports, in the same
order, so `crmlab.basket.rules.association_rules` (run on the driver on the itemsets, which are small)
gives the same rules in the same order:

- the threshold is the embedded one: the smallest count ``c`` with ``c / n >= min_support``
  (`crmlab.basket.miner.min_count`); Spark keeps itemsets with ``count >= ceil(minSupport x n)``,
  so it is given ``minSupport = (c - 0.5) / n``;
- items are ranked as the embedded miner ranks them (by count, ties by first appearance: baskets in
  the order of their first line, items in the order of their first line within the basket), which
  needs each line's position ``line_no``: the row position of a named data set, the file order for
  a file (``monotonically_increasing_id``, in file order for one file);
- FPGrowth has no length limit, so longer itemsets are dropped after mining.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmlab.basket.io import BASKET_ROLES, _known, basket_rules, load_basket_lines
from crmlab.basket.miner import check_min_support, min_count
from crmlab.basket.rules import Itemsets
from crmlab.core.checks import check_whole
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.spark import SparkCleaning, SparkLoaded, clean, read_table

if TYPE_CHECKING:
    from pyspark.sql import Column, SparkSession
    from pyspark.sql import DataFrame as SparkFrame

__all__ = ["clean_lines", "driver_lines", "load_lines", "mine"]


def _canonical(frame: SparkFrame) -> SparkFrame:
    """Lines as `crmlab.basket.io.read_basket_lines` makes them: text ids trimmed, ``item`` the name, else the code."""
    from pyspark.sql import functions as F

    def text(name: str) -> Column:
        return F.trim(F.col(name).cast("string"))

    name = next(c for c in ("item", "item_name", "item_id") if c in frame.columns)
    item = F.coalesce(text(name), text("item_id")) if "item_id" in frame.columns else text(name)
    columns = [text("invoice_id").alias("invoice_id"), item.alias("item")]
    if "item_id" in frame.columns:
        columns.append(text("item_id").alias("item_id"))
    if "customer_id" in frame.columns:
        value = F.col("customer_id")
        whole = F.when(value.cast("double") == F.floor(value.cast("double")), value.cast("double").cast("bigint"))
        columns.append(F.coalesce(whole.cast("string"), text("customer_id")).alias("customer_id"))
    if "quantity" in frame.columns:
        columns.append(F.expr("try_cast(quantity AS DOUBLE)").alias("quantity"))
    columns.append(F.col("line_no"))
    present = "invoice_id IS NOT NULL AND invoice_id != '' AND item IS NOT NULL AND item != ''"
    return frame.select(*columns).where(present)


def _check(frame: SparkFrame, *, context: str) -> SparkFrame:
    """``frame`` if it holds baskets of at least two items, else InputError (as the embedded reader says)."""
    from pyspark.sql import functions as F

    row = frame.agg(F.count(F.lit(1)), F.countDistinct("item"), F.min("item")).collect()[0]
    if not row[0]:
        raise InputError(t("basket.err.no_baskets", context=context))
    if row[1] < 2:
        raise InputError(t("basket.err.one_item", context=context, item=row[2]))
    return frame


def load_lines(
    spark: SparkSession,
    input_path: str = "",
    *,
    dataset: str = "synthetic_baskets",
    input_format: str = "auto",
    columns: Mapping[str, str] | None = None,
) -> SparkLoaded:
    """Basket lines of ``input_path`` (Parquet file or folder, CSV, any URI Spark reads), else the named ``dataset``.

    On Spark a file has one row per basket line (``input_format`` ``"auto"`` or ``"lines"``); a file
    with one basket per line is read by the embedded engine only. Each line keeps its position (``line_no``).
    """
    from pyspark.sql import functions as F

    if not input_path:
        local = load_basket_lines(dataset=dataset)
        frame = spark.createDataFrame(local.frame.assign(line_no=np.arange(len(local.frame), dtype=np.int64)))
        return SparkLoaded(frame, local.mapping, local.source, len(local.frame), dataset=True, kind=local.kind)
    if input_format == "baskets":
        raise InputError(t("basket.err.spark_baskets", path=input_path))
    raw, mapping = read_table(spark, input_path, wanted=BASKET_ROLES, columns=columns)
    roles = set(mapping.values())
    for role, found in (
        ("invoice_id", "invoice_id" in roles),
        ("item", bool({"item", "item_name", "item_id"} & roles)),
    ):
        if not found:
            names, present = _known(role), ", ".join(raw.columns)
            raise InputError(t("basket.err.no_column", context=input_path, role=role, names=names, present=present))
    lines = _check(_canonical(raw.withColumn("line_no", F.monotonically_increasing_id())), context=input_path)
    return SparkLoaded(lines, mapping, input_path.rstrip("/").rsplit("/", 1)[-1], lines.count())


def clean_lines(
    lines: SparkFrame, *, non_product_codes: Iterable[str] | None = None, drop_cancellations: bool = True
) -> SparkCleaning:
    """`crmlab.basket.io.clean_basket_lines` on Spark: the same rules (`basket_rules`), report and checks."""
    rules = basket_rules(lines.columns, non_product_codes=non_product_codes, drop_cancellations=drop_cancellations)
    cleaned = clean(lines, rules=rules)
    _check(cleaned.data, context=t("basket.context.lines"))
    return cleaned


def driver_lines(lines: SparkFrame) -> pd.DataFrame:
    """The distinct (basket, item[, customer]) lines on the driver, in the order of their first line.

    What the steps after mining need (attribute rules, purchase types, the preview): the same pairs
    as the embedded lines, without quantities and repeated lines.
    """
    from pyspark.sql import functions as F

    keys = [c for c in ("invoice_id", "item", "customer_id") if c in lines.columns]
    first = lines.groupBy(*keys).agg(F.min("line_no").alias("line_no"))
    return first.orderBy("line_no").drop("line_no").toPandas()


def mine(lines: SparkFrame, *, min_support: float = 0.01, max_len: int | None = None) -> Itemsets:
    """`crmlab.basket.rules.mine` on Spark with MLlib ``FPGrowth``: the same itemsets, counts and order.

    ``lines``: basket lines with ``invoice_id``, ``item`` and ``line_no`` (see `load_lines`).
    """
    from pyspark.ml.fpm import FPGrowth
    from pyspark.sql import functions as F

    check_min_support(min_support)
    if max_len is not None:
        check_whole(max_len, "max_len", low=1)
    lines = lines.where(F.col("item").isNotNull() & F.col("invoice_id").isNotNull())
    firsts = lines.groupBy("invoice_id", "item").agg(F.min("line_no").alias("item_line"))
    baskets = (
        firsts.groupBy("invoice_id")
        .agg(F.collect_list("item").alias("items"), F.min("item_line").alias("basket_line"))
        .cache()
    )
    try:
        n, n_items = baskets.count(), firsts.select("item").distinct().count()
        if n == 0:
            raise InputError(t("basket.err.no_baskets", context=t("basket.context.lines")))
        threshold = min_count(min_support, n)
        model = FPGrowth(itemsCol="items", minSupport=(threshold - 0.5) / n).fit(baskets)
        found = model.freqItemsets
        if max_len is not None:
            found = found.where(F.size("items") <= max_len)
        table = found.toPandas()
        position = (
            firsts.join(baskets.select("invoice_id", "basket_line"), "invoice_id")
            .groupBy("item")
            .agg(F.min(F.struct("basket_line", "item_line")).alias("first"))
            .select("item", "first.basket_line", "first.item_line")
            .toPandas()
        )
    finally:
        baskets.unpersist()
    return Itemsets(table=_ordered(table, position, n), n_baskets=n, n_items=n_items, min_support=float(min_support))


def _ordered(found: pd.DataFrame, position: pd.DataFrame, n_baskets: int) -> pd.DataFrame:
    """FPGrowth's ``items``/``freq`` as the embedded miner's table: by length, then by the items' ranks."""
    sizes = found["items"].map(len)
    singles = found[sizes == 1].assign(item=lambda d: d["items"].str[0]).merge(position, on="item")
    singles = singles.sort_values(["freq", "basket_line", "item_line"], kind="stable")
    rank = dict(zip(singles["item"], range(len(singles)), strict=True))
    keys = [tuple(sorted(rank[i] for i in items)) for items in found["items"]]
    order = sorted(range(len(found)), key=lambda i: (len(keys[i]), keys[i]))
    counts = found["freq"].to_numpy(dtype=np.int64)[order]
    return pd.DataFrame(
        {
            "support": counts / float(n_baskets),
            "itemsets": [frozenset(found["items"].iloc[i]) for i in order],
            "count": counts,
        }
    )
