"""One row per customer from transaction lines: purchase dates, orders, revenue, recency, gaps.

``transaction lines -> one row per customer`` (`customer_summary`), the base of the Pareto curve,
the value matrix, the CLV model and the churn warning (notebook 20), and of every later notebook that
needs the same reduction.

`customer_summary` (and `summarize`, which also returns the cleaning report from the same pass and
the analysis date) runs on DuckDB by default (a DataFrame or a Parquet file, read once, never
materialising the lines) or on pandas; both give identical results (money is rounded to 6 decimals
so that the order of floating-point summation cannot show).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from crmlab.core.checks import to_date
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.cleaning import (
    CleaningRules,
    Source,
    check_engine,
    clean,
    connect,
    grouped_rule_case_sql,
    line_flags_sql,
    report_from_counts,
    source_columns,
)
from crmlab.data.schemas import require_columns, require_not_future

#: Columns of `customer_summary`, in order.
SUMMARY_COLUMNS = [
    "customer_id",
    "first_purchase",
    "last_purchase",
    "orders",
    "purchase_days",
    "revenue",
    "first_day_revenue",
    "recency_days",
    "tenure_days",
    "median_gap_days",
]

MONEY_DECIMALS = 6


@dataclass(frozen=True)
class Summary:
    """One row per customer (``customers``, see `customer_summary`), the cleaning report and the analysis date.

    ``cleaning``: the `crmlab.data.cleaning.cleaning_report` of ``rules`` (no rows without rules);
    ``as_of``: the analysis date (midnight), the day recency and tenure are counted to.
    """

    customers: pd.DataFrame
    cleaning: pd.DataFrame
    as_of: pd.Timestamp
    rules: CleaningRules


_Run = tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp | None]


def grouped_sql(table: str, columns: Sequence[str], rules: CleaningRules) -> str:
    """SQL of the lines grouped by (rule, customer, invoice, day): ``rule`` (NULL: kept), ``lines``, ``amount``.

    One scan of the lines. Only the per-line rules (`line_flags_sql`: non-product code, price,
    quantity) are tested on each line; the rules on the customer and the invoice are tested once per
    group (`grouped_rule_case_sql`), which gives each line the same first rule as `rule_case_sql` would.
    """
    flags = line_flags_sql(rules, columns)
    flag_cols = "".join(f", {sql} AS flag_{rule}" for rule, sql in flags.items())
    invoice = "CAST(invoice_id AS VARCHAR)" if "invoice_id" in columns else "CAST(CAST(timestamp AS DATE) AS VARCHAR)"
    return f"""
    WITH scanned AS (
        SELECT CAST(customer_id AS VARCHAR) AS customer_id, {invoice} AS invoice_id,
               CAST(timestamp AS DATE) AS day{flag_cols}, count(*) AS lines, sum(CAST(amount AS DOUBLE)) AS amount
        FROM {table} GROUP BY ALL
    )
    SELECT {grouped_rule_case_sql(rules, columns)} AS rule, customer_id, invoice_id, day, lines, amount FROM scanned
    """


#: SQL of the per-rule counts from `grouped_sql` (as table ``grouped``), and the last day of each rule.
COUNTS_SQL = """
    SELECT rule, sum(lines) AS removed, coalesce(sum(amount), 0) AS removed_amount,
           max(day) FILTER (WHERE customer_id IS NOT NULL) AS last_day
    FROM grouped GROUP BY rule
"""


def customers_sql(as_of: pd.Timestamp | None) -> str:
    """SQL of one row per customer from `grouped_sql` (as table ``grouped``), up to ``as_of``."""
    as_of_sql = "NULL" if as_of is None else f"DATE '{as_of.date().isoformat()}'"
    return f"""
    WITH lines AS (
        SELECT customer_id, invoice_id, day, amount FROM grouped
        WHERE rule IS NULL AND customer_id IS NOT NULL AND day <= {as_of_sql}
    ),
    days AS (SELECT customer_id, day, sum(amount) AS amount FROM lines GROUP BY customer_id, day),
    gaps AS (
        SELECT *, date_diff('day', lag(day) OVER (PARTITION BY customer_id ORDER BY day), day) AS gap FROM days
    ),
    per_day AS (
        SELECT customer_id, min(day) AS first_purchase, max(day) AS last_purchase,
               count(*) AS purchase_days, sum(amount) AS revenue,
               arg_min(amount, day) AS first_day_revenue, median(gap) AS median_gap_days
        FROM gaps GROUP BY customer_id
    ),
    orders AS (SELECT customer_id, count(DISTINCT invoice_id) AS orders FROM lines GROUP BY customer_id)
    SELECT p.*, o.orders FROM per_day p JOIN orders o USING (customer_id)
    """


def analysis_date(counts: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.Timestamp | None:
    """``as_of``, or the last day with a kept line in `COUNTS_SQL`'s ``counts`` (None: no line is kept)."""
    if as_of is not None:
        return as_of
    last = counts.loc[counts["rule"].isna(), "last_day"]
    return pd.Timestamp(last.iloc[0]) if len(last) and not pd.isna(last.iloc[0]) else None


def summary_result(
    counts: pd.DataFrame, customers: pd.DataFrame, as_of: pd.Timestamp | None, rules: CleaningRules
) -> _Run:
    """The customer table and the cleaning report from the results of `COUNTS_SQL` and `customers_sql`."""
    report = report_from_counts(counts.dropna(subset=["rule"]), int(counts["removed"].sum()), rules)
    return finish(customers, as_of), report, as_of


def _summary_duckdb(tx: Source, as_of: pd.Timestamp | None, rules: CleaningRules) -> _Run:
    """`grouped_sql` into a temporary table, then the small `COUNTS_SQL` and `customers_sql` on it."""
    con, table = connect(tx)
    with con:
        con.execute(f"CREATE TEMP TABLE grouped AS {grouped_sql(table, source_columns(tx), rules)}")
        counts = con.sql(COUNTS_SQL).df()
        as_of = analysis_date(counts, as_of)
        customers = con.sql(customers_sql(as_of)).df()
    return summary_result(counts, customers, as_of, rules)


def _summary_pandas(tx: Source, as_of: pd.Timestamp | None, rules: CleaningRules) -> _Run:
    cleaned = clean(tx, rules=rules, engine="pandas")
    df = cleaned.data
    df = df[df["customer_id"].notna()]
    day = pd.to_datetime(df["timestamp"]).dt.normalize()
    invoice = df["invoice_id"].astype(str) if "invoice_id" in df.columns else day.dt.strftime("%Y-%m-%d")
    lines = pd.DataFrame(
        {
            "customer_id": df["customer_id"].astype(str),
            "invoice_id": invoice,
            "day": day,
            "amount": df["amount"].astype(float),
        }
    )
    as_of_day = lines["day"].max() if as_of is None else as_of
    lines = lines[lines["day"] <= as_of_day]
    days = lines.groupby(["customer_id", "day"], as_index=False, sort=True)["amount"].sum()
    days["gap"] = days.groupby("customer_id")["day"].diff().dt.days
    out = days.groupby("customer_id", sort=True).agg(
        first_purchase=("day", "min"),
        last_purchase=("day", "max"),
        purchase_days=("day", "size"),
        revenue=("amount", "sum"),
        first_day_revenue=("amount", "first"),
        median_gap_days=("gap", "median"),
    )
    out["orders"] = lines.groupby("customer_id")["invoice_id"].nunique()
    stamp = None if pd.isna(as_of_day) else pd.Timestamp(as_of_day)
    return finish(out.reset_index(), stamp), cleaned.report, stamp


def finish(out: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Same dtypes, rounding and derived columns whichever engine produced ``out``."""
    out = out.copy()
    out["customer_id"] = out["customer_id"].astype(str)
    for col in ("first_purchase", "last_purchase"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ("orders", "purchase_days"):
        out[col] = out[col].astype("int64")
    for col in ("revenue", "first_day_revenue"):
        out[col] = out[col].astype("float64").round(MONEY_DECIMALS)
    out["median_gap_days"] = out["median_gap_days"].astype("float64")
    # An empty table (no purchase by as_of) is rejected by `summarize`, so its date does not matter.
    stamp = pd.Timestamp(as_of) if as_of is not None and not pd.isna(as_of) else pd.Timestamp(0)
    out["recency_days"] = (stamp - out["last_purchase"]).dt.days.astype("int64")
    out["tenure_days"] = (stamp - out["first_purchase"]).dt.days.astype("int64")
    return out.sort_values("customer_id", ignore_index=True)[SUMMARY_COLUMNS]


def customer_summary(
    tx: Source,
    *,
    as_of: str | pd.Timestamp | None = None,
    cleaning: CleaningRules | None = None,
    engine: str = "duckdb",
) -> pd.DataFrame:
    """One row per customer: purchase dates, orders, revenue, recency and purchase gaps.

    ``transaction lines -> customer_id, first_purchase, last_purchase, orders, purchase_days,
    revenue, first_day_revenue, recency_days, tenure_days, median_gap_days`` (sorted by customer).

    Parameters
    ----------
    tx : DataFrame or path of a Parquet file
        Transaction lines (``customer_id``, ``timestamp``, ``amount``; ``invoice_id`` if there is one,
        otherwise each purchase day counts as one order). Lines without a customer are ignored.
    as_of : date, optional
        The analysis date; lines after it are ignored. Default: the last purchase day in the data.
    cleaning : CleaningRules, optional
        Apply these cleaning rules first (see `crmlab.data.cleaning`); default: the lines are used as given.
    engine : {"duckdb", "pandas"}
        Which engine computes the summary (identical results).

    Notes
    -----
    A purchase day is a calendar day with at least one line. ``median_gap_days`` is the median of the
    gaps in days between a customer's consecutive purchase days (NaN with a single purchase day);
    ``first_day_revenue`` is the spend on the first purchase day (the CLV model leaves it out).
    `summarize` also returns the analysis date.
    """
    return summarize(tx, as_of=as_of, cleaning=cleaning, engine=engine).customers


def summarize(
    tx: Source,
    *,
    as_of: str | pd.Timestamp | None = None,
    cleaning: CleaningRules | None = None,
    engine: str = "duckdb",
) -> Summary:
    """`customer_summary`, the `crmlab.data.cleaning.cleaning_report` of ``cleaning`` and the analysis date.

    One pass: with DuckDB the lines are read once (a Parquet file is never loaded whole), so this is
    the call for large files. Without ``cleaning`` the report has no rows. Parameters as in
    `customer_summary`.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a"], "invoice_id": ["1", "2"], "amount": [5.0, 7.0],
    ...                    "timestamp": pd.to_datetime(["2024-01-01", "2024-01-11"])})
    >>> s = summarize(tx)
    >>> s.as_of.date().isoformat(), s.customers.loc[0, "orders"], s.customers.loc[0, "median_gap_days"]
    ('2024-01-11', np.int64(2), np.float64(10.0))
    """
    check_engine(engine)
    columns = source_columns(tx)
    require_columns(pd.DataFrame(columns=columns), ["customer_id", "timestamp", "amount"], context="customer summary")
    as_of_ts = None if as_of in (None, "") else to_date(as_of, "as_of").normalize()
    if as_of_ts is None and isinstance(tx, pd.DataFrame):  # the last date becomes the analysis date
        require_not_future(tx["timestamp"], column="timestamp", context=t("data.lines"))
    rules = cleaning or CleaningRules(rules=())
    run = _summary_duckdb if engine == "duckdb" else _summary_pandas
    customers, report, stamp = run(tx, as_of_ts, rules)
    if customers.empty or stamp is None:
        raise InputError(t("data.no_customers", as_of=as_of or "-"))
    return Summary(customers, report, stamp, rules)
