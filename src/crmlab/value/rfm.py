"""Per-customer summary of transactions, RFM scores and RFM segments.

``transaction lines -> one row per customer`` (`customer_summary`), the base of the Pareto curve,
the value matrix, the CLV model and the churn warning; then ``-> r/f/m scores and a segment``
(`rfm_scores`) and ``-> one row per segment`` (`segment_profile`).

`customer_summary` (and `summarize`, which also returns the cleaning report from the same pass)
runs on DuckDB by default (a DataFrame or a Parquet file, read once, never materialising the lines)
or on pandas; both give identical results (money is rounded to 6 decimals so that the
order of floating-point summation cannot show).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.errors import InputError, ParameterError
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
from crmlab.data.schemas import require_columns

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

#: RFM segments: name -> ((lowest R, highest R), (lowest F, highest F)); the first match wins.
SEGMENTS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "champions": ((4, 5), (4, 5)),
    "loyal": ((3, 5), (3, 5)),
    "new": ((4, 5), (1, 1)),
    "promising": ((3, 5), (1, 2)),
    "at_risk": ((1, 2), (3, 5)),
    "hibernating": ((1, 2), (1, 2)),
}

MONEY_DECIMALS = 6


@dataclass(frozen=True)
class Summary:
    """One row per customer (``customers``, see `customer_summary`) and the cleaning report."""

    customers: pd.DataFrame
    cleaning: pd.DataFrame


def _summary_duckdb(tx: Source, as_of: pd.Timestamp | None, rules: CleaningRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One scan of the lines, grouped by (customer, invoice, day, per-line rule flags); the rest is small.

    Only the per-line rules (`line_flags_sql`: non-product code, price, quantity) are tested on each
    line; the rules on the customer and the invoice are tested once per group (`grouped_rule_case_sql`),
    which gives each line the same first rule as `rule_case_sql` would.
    """
    columns = source_columns(tx)
    flags = line_flags_sql(rules, columns)
    flag_cols = "".join(f", {sql} AS flag_{rule}" for rule, sql in flags.items())
    case = grouped_rule_case_sql(rules, columns)
    invoice = "CAST(invoice_id AS VARCHAR)" if "invoice_id" in columns else "CAST(CAST(timestamp AS DATE) AS VARCHAR)"
    con, table = connect(tx)
    with con:
        con.execute(f"""
        CREATE TEMP TABLE grouped AS
        WITH scanned AS (
            SELECT CAST(customer_id AS VARCHAR) AS customer_id, {invoice} AS invoice_id,
                   CAST(timestamp AS DATE) AS day{flag_cols}, count(*) AS lines, sum(CAST(amount AS DOUBLE)) AS amount
            FROM {table} GROUP BY ALL
        )
        SELECT {case} AS rule, customer_id, invoice_id, day, lines, amount FROM scanned
        """)
        counts = con.sql("""
        SELECT rule, sum(lines) AS removed, coalesce(sum(amount), 0) AS removed_amount,
               max(day) FILTER (WHERE customer_id IS NOT NULL) AS last_day
        FROM grouped GROUP BY rule
        """).df()
        if as_of is None:  # the last day with a kept line (none: no line is kept, the summary is empty)
            last = counts.loc[counts["rule"].isna(), "last_day"]
            as_of = pd.Timestamp(last.iloc[0]) if len(last) and not pd.isna(last.iloc[0]) else None
        as_of_sql = "NULL" if as_of is None else f"DATE '{as_of.date().isoformat()}'"
        out = con.sql(f"""
        WITH lines AS (
            SELECT customer_id, invoice_id, day, amount FROM grouped
            WHERE rule IS NULL AND customer_id IS NOT NULL AND day <= {as_of_sql}
        ),
        days AS (SELECT customer_id, day, sum(amount) AS amount FROM lines GROUP BY customer_id, day),
        gaps AS (SELECT *, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap FROM days),
        per_day AS (
            SELECT customer_id, min(day) AS first_purchase, max(day) AS last_purchase,
                   count(*) AS purchase_days, sum(amount) AS revenue,
                   arg_min(amount, day) AS first_day_revenue, median(gap) AS median_gap_days
            FROM gaps GROUP BY customer_id
        ),
        orders AS (SELECT customer_id, count(DISTINCT invoice_id) AS orders FROM lines GROUP BY customer_id)
        SELECT p.*, o.orders FROM per_day p JOIN orders o USING (customer_id)
        """).df()
    report = report_from_counts(counts.dropna(subset=["rule"]), int(counts["removed"].sum()), rules)
    return _finish(out, as_of), report


def _summary_pandas(tx: Source, as_of: pd.Timestamp | None, rules: CleaningRules) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    return _finish(out.reset_index(), as_of_day), cleaned.report


def _finish(out: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
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
    out = out.sort_values("customer_id", ignore_index=True)[SUMMARY_COLUMNS]
    out.attrs["as_of"] = stamp.date().isoformat()
    return out


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
    ``attrs["as_of"]`` holds the analysis date as ``"YYYY-MM-DD"`` (so the frame can be saved to Parquet).
    """
    return summarize(tx, as_of=as_of, cleaning=cleaning, engine=engine).customers


def summarize(
    tx: Source,
    *,
    as_of: str | pd.Timestamp | None = None,
    cleaning: CleaningRules | None = None,
    engine: str = "duckdb",
) -> Summary:
    """`customer_summary` and the `crmlab.data.cleaning.cleaning_report` of ``cleaning``, from one pass.

    With DuckDB the lines are read once (a Parquet file is never loaded whole), so this is the call
    for large files. Without ``cleaning`` the report has no rows. Parameters as in `customer_summary`.
    """
    check_engine(engine)
    columns = source_columns(tx)
    require_columns(pd.DataFrame(columns=columns), ["customer_id", "timestamp", "amount"], context="customer summary")
    as_of_ts = None if as_of in (None, "") else pd.Timestamp(as_of).normalize()
    rules = cleaning or CleaningRules(rules=())
    run = _summary_duckdb if engine == "duckdb" else _summary_pandas
    customers, report = run(tx, as_of_ts, rules)
    if customers.empty:
        raise InputError("No customer has a purchase on or before the analysis date; check as_of and customer_id.")
    return Summary(customers, report)


def _score(values: pd.Series, bins: int) -> pd.Series:
    """Scores 1..bins by rank; ties share the lowest score of their rank range."""
    rank = values.rank(method="min").to_numpy()
    return pd.Series(np.floor(bins * (rank - 1) / len(values)).astype("int64") + 1, index=values.index)


def rfm_scores(
    summary: pd.DataFrame,
    *,
    bins: int = 5,
    segments: dict[str, tuple[tuple[int, int], tuple[int, int]]] | None = None,
) -> pd.DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score`` (1..``bins``, higher is better), ``rfm`` and ``segment``.

    R ranks ``recency_days`` (more recent scores higher), F ranks ``orders``, M ranks ``revenue``.
    ``segment`` is the first entry of ``segments`` (default `SEGMENTS`, defined for 5 bins) whose
    R and F ranges contain the customer's scores; customers matching none get ``"other"``.

    Examples
    --------
    >>> s = pd.DataFrame({"recency_days": [1, 50, 200, 300, 5], "orders": [9, 3, 1, 1, 2],
    ...                   "revenue": [900.0, 60.0, 10.0, 5.0, 40.0]})
    >>> rfm_scores(s)[["r_score", "f_score", "m_score", "segment"]].values.tolist()
    [[5, 5, 5, 'champions'], [3, 4, 4, 'loyal'], [2, 1, 2, 'hibernating'], [1, 1, 1, 'hibernating'], [4, 3, 3, 'loyal']]
    """
    require_columns(summary, ["recency_days", "orders", "revenue"], context="RFM scores")
    if bins < 2:
        raise ParameterError(f"bins must be >= 2, got {bins!r}.")
    if summary.empty:
        raise InputError("The customer summary has no rows; RFM needs at least one customer.")
    rules = SEGMENTS if segments is None else segments
    out = summary.copy()
    out["r_score"] = _score(-summary["recency_days"], bins)
    out["f_score"] = _score(summary["orders"], bins)
    out["m_score"] = _score(summary["revenue"], bins)
    out["rfm"] = out["r_score"].astype(str) + out["f_score"].astype(str) + out["m_score"].astype(str)
    segment = pd.Series("other", index=out.index, dtype=object)
    for name, ((r_lo, r_hi), (f_lo, f_hi)) in reversed(list(rules.items())):
        hit = out["r_score"].between(r_lo, r_hi) & out["f_score"].between(f_lo, f_hi)
        segment = segment.mask(hit, name)
    out["segment"] = segment
    return out


def segment_profile(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per segment: customers, share, mean recency/orders/revenue, revenue share.

    Segments come in the order of `SEGMENTS` (then ``other``); empty segments are left out.
    """
    require_columns(scored, ["segment", "recency_days", "orders", "revenue"], context="segment profile")
    grouped = scored.groupby("segment", sort=False)
    profile = grouped.agg(
        customers=("segment", "size"),
        recency_days=("recency_days", "mean"),
        orders=("orders", "mean"),
        revenue=("revenue", "mean"),
        total_revenue=("revenue", "sum"),
    )
    profile["customer_share"] = profile["customers"] / len(scored)
    profile["revenue_share"] = profile["total_revenue"] / scored["revenue"].sum()
    order = [s for s in [*SEGMENTS, *sorted(set(profile.index) - set(SEGMENTS))] if s in profile.index]
    return profile.loc[order].drop(columns="total_revenue").rename_axis("segment").reset_index()


def profile_table(profile: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """`segment_profile` with translated segment names and headers, for the report."""
    return pd.DataFrame(
        {
            t("value.col.segment", lang): [t(f"value.segment.{s}", lang) for s in profile["segment"]],
            t("value.col.customers", lang): profile["customers"].to_numpy(),
            t("value.col.customer_share", lang): profile["customer_share"].map("{:.1%}".format).to_numpy(),
            t("value.col.recency", lang): profile["recency_days"].round(0).to_numpy(),
            t("value.col.orders", lang): profile["orders"].round(1).to_numpy(),
            t("value.col.mean_revenue", lang): profile["revenue"].round(2).to_numpy(),
            t("value.col.revenue_share", lang): profile["revenue_share"].map("{:.1%}".format).to_numpy(),
        }
    )
