"""Relationship growth on Spark: cleaned lines reduced to what `crmlab.growth.prepare_purchases` reads.

``cleaned Spark lines (crmlab.data.spark.clean) -> one row per customer, order, day and product line
with its amount (pandas, on the driver) -> prepare_purchases -> flows, cohorts, depth, loyalty``

`prepare_purchases` reads each line's customer, order, day, product line and amount, and the first
name of each item; summing the amounts of the lines that share all of these, and carrying each item's
first name, changes none of its tables. So the growth analysis runs unchanged on the driver from this
much smaller table and gives the embedded engine's orders, periods, product lines and names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from crmlab.data.schemas import require_columns
from crmlab.growth.purchases import LINE_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame as SparkFrame

__all__ = ["purchase_lines"]


def purchase_lines(lines: SparkFrame, *, category_col: str = "category") -> pd.DataFrame:
    """Cleaned lines on Spark as one row per customer, order, day and product line, for `prepare_purchases`.

    Columns: ``customer_id``, ``invoice_id``, ``timestamp`` (the day), the product line (``category_col``
    when the lines have it, else ``item_id``) and ``amount`` (the lines' sum). With a category column the
    items are not needed: ``item_id`` then holds the category. Without one, ``item_name`` (when present)
    is each item's first non-empty name in reading order (the file's order for one file; a named data
    set's row order), as the embedded path names it.
    """
    from pyspark.sql import functions as F

    require_columns(pd.DataFrame(columns=lines.columns), LINE_COLUMNS, context="growth")
    line_col = category_col if category_col and category_col in lines.columns else "item_id"
    keys = list(dict.fromkeys(["customer_id", "invoice_id", line_col]))
    day = F.date_trunc("day", F.col("timestamp")).alias("timestamp")
    reduced = lines.groupBy(*keys, day).agg(F.sum("amount").alias("amount")).toPandas()
    if line_col != "item_id":
        return reduced.assign(item_id=reduced[line_col])
    if "item_name" in lines.columns:
        named = lines.withColumn("row", F.monotonically_increasing_id()).where(F.col("item_name").isNotNull())
        first = named.groupBy("item_id").agg(F.min_by("item_name", "row").alias("item_name")).toPandas()
        reduced["item_name"] = reduced["item_id"].map(first.set_index("item_id")["item_name"])
    return reduced
