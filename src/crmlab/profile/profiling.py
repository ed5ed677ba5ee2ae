"""Data profile: what is in a data set before any analysis.

For every kind (or none): row and column counts, types, missing values, duplicate rows, outliers
by the IQR rule and date coverage. For transactions also: cancellations and non-positive prices (by
the rules of `crmlab.data.cleaning`, the cleaner every notebook uses), returns (negative quantity),
the distribution of basket sizes and of customer revenue. For basket lines (a basket id and an item per
row, `crmlab.basket.io`): baskets, items and basket sizes. For labelled data: the balance of the target.

`profile(df, kind)` returns a frozen `DataProfile`; `summary(p, lang)` turns it into sentences,
`columns_table` and `outliers_table` into report tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.display import default_kind, display_table, heading
from crmlab.core.i18n import t
from crmlab.data.cleaning import rule_mask
from crmlab.data.schemas import KINDS, labelled_target, require_columns, require_nonempty, schema

#: Multiplier of the inter-quartile range in the outlier rule (Tukey's fences).
IQR_K = 1.5
#: The kinds a profile knows: the data layer's kinds and basket lines (a basket id and an item per row).
PROFILE_KINDS: tuple[str, ...] = (*KINDS, "basket_lines")
#: Where the names of canonical columns are found (``item_name`` and ``unit_price`` in the basket's).
FIELD_HEADINGS: tuple[str, ...] = ("profile.field", "basket.col")


@dataclass(frozen=True)
class TransactionProfile:
    """Counts of a transactions table.

    ``cancellation_lines``: lines the cleaner's ``cancellation`` rule flags (invoice id starting with
    ``"C"`` or ``"c"``). ``negative_lines``: lines with negative quantity (cancellations and returns).
    ``return_lines``: negative-quantity lines that are not on a cancellation invoice.
    ``nonpositive_price_lines``: lines the ``non_positive_price`` rule flags. Revenue is the sum of
    ``amount`` (net of cancellations).
    """

    lines: int
    invoices: int
    customers: int
    items: int
    lines_without_customer: int
    cancellation_lines: int
    cancelled_invoices: int
    negative_lines: int
    return_lines: int
    nonpositive_price_lines: int
    revenue: float
    top20_share: float


@dataclass(frozen=True)
class DataProfile:
    """Everything `profile` finds. Tables are DataFrames; see `profile` for their columns."""

    kind: str | None
    rows: int
    n_columns: int
    duplicate_rows: int
    columns: pd.DataFrame
    outliers: pd.DataFrame
    date_column: str | None
    date_start: pd.Timestamp | None
    date_end: pd.Timestamp | None
    monthly: pd.Series
    iqr_k: float = IQR_K
    transactions: TransactionProfile | None = None
    basket_sizes: pd.Series | None = None
    customer_revenue: pd.Series | None = None
    target: str | None = None
    target_counts: pd.Series | None = None
    basket_items: int | None = None


def column_summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per column: ``column``, ``dtype``, ``non_missing``, ``missing``, ``missing_share``, ``unique``."""
    missing = df.isna().sum()
    return pd.DataFrame(
        {
            "column": [str(c) for c in df.columns],
            "dtype": [str(d) for d in df.dtypes],
            "non_missing": (len(df) - missing).to_numpy(),
            "missing": missing.to_numpy(),
            "missing_share": (missing / max(len(df), 1)).to_numpy(),
            "unique": df.nunique().to_numpy(),
        }
    )


def outlier_summary(df: pd.DataFrame, *, k: float = IQR_K) -> pd.DataFrame:
    """Outliers of each numeric column by the IQR rule: outside [Q1 - k IQR, Q3 + k IQR].

    Columns: ``column``, ``q1``, ``q3``, ``low``, ``high``, ``below``, ``above``, ``share``.
    Non-numeric columns and columns with at most two distinct values (flags) are skipped.
    """
    rows = []
    for column in df.columns:
        values = df[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        values = values.dropna()
        if values.nunique() <= 2:
            continue
        q1, q3 = values.quantile([0.25, 0.75])
        low, high = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
        below, above = int((values < low).sum()), int((values > high).sum())
        rows.append([str(column), q1, q3, low, high, below, above, (below + above) / len(df)])
    return pd.DataFrame(rows, columns=["column", "q1", "q3", "low", "high", "below", "above", "share"])


def _date_column(df: pd.DataFrame, kind: str | None) -> str | None:
    """The kind's canonical date column if present, else the first datetime column."""
    for col in schema(kind).columns if kind in KINDS else ():
        if col.dtype == "datetime" and col.name in df.columns:
            return col.name
    found = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    return str(found[0]) if found else None


def monthly_counts(dates: pd.Series) -> pd.Series:
    """Rows per calendar month (index: month start), including months without rows."""
    months = dates.dropna().dt.to_period("M")
    if months.empty:
        return pd.Series(dtype="int64")
    counts = months.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    counts.index = counts.index.to_timestamp()
    return counts.rename("rows")


def basket_sizes(df: pd.DataFrame) -> pd.Series:
    """Lines per invoice, for invoices that are not cancellations (index: invoice_id)."""
    require_columns(df, ["invoice_id"], context="basket_sizes")
    kept = df.loc[~rule_mask(df, "cancellation"), "invoice_id"]
    return kept.value_counts().rename("lines")


def customer_revenue(df: pd.DataFrame) -> pd.Series:
    """Net revenue (sum of amount, cancellations included) of each identified customer, largest first."""
    require_columns(df, ["customer_id", "amount"], context="customer_revenue")
    known = df[df["customer_id"].notna()]
    return known.groupby("customer_id")["amount"].sum().sort_values(ascending=False).rename("revenue")


def _top_share(revenue: pd.Series, share: float = 0.2) -> float:
    """Share of total net revenue from the top ``share`` of customers (nan without revenue)."""
    total = revenue.sum()
    if len(revenue) == 0 or total <= 0:
        return float("nan")
    return float(revenue.iloc[: max(1, round(share * len(revenue)))].sum() / total)


def transaction_profile(df: pd.DataFrame, revenue: pd.Series | None = None) -> TransactionProfile:
    """Counts of a canonical transactions table (see `TransactionProfile`)."""
    require_columns(df, ["invoice_id", "quantity", "amount"], context="transaction_profile")
    revenue = customer_revenue(df) if revenue is None else revenue
    cancel = rule_mask(df, "cancellation")
    negative = (df["quantity"] < 0).to_numpy()
    return TransactionProfile(
        lines=len(df),
        invoices=int(df["invoice_id"].nunique()),
        customers=int(df["customer_id"].nunique()) if "customer_id" in df.columns else 0,
        items=int(df["item_id"].nunique()) if "item_id" in df.columns else 0,
        lines_without_customer=int(df["customer_id"].isna().sum()) if "customer_id" in df.columns else len(df),
        cancellation_lines=int(cancel.sum()),
        cancelled_invoices=int(df.loc[cancel, "invoice_id"].nunique()),
        negative_lines=int(negative.sum()),
        return_lines=int((negative & ~cancel).sum()),
        nonpositive_price_lines=int(rule_mask(df, "non_positive_price").sum()),
        revenue=float(df["amount"].sum()),
        top20_share=_top_share(revenue),
    )


def profile(df: pd.DataFrame, kind: str | None, *, target: str | None = None, k: float = IQR_K) -> DataProfile:
    """Profile a validated data set of ``kind`` (see `crmlab.data.schemas.validate`).

    Parameters
    ----------
    df
        Canonical columns (as returned by `crmlab.data.read` or `load`).
    kind
        ``"transactions"``, ``"customers"``, ``"labelled"``, ``"churn_events"``, ``"panel"``,
        ``"basket_lines"`` (``invoice_id`` and ``item``, as `crmlab.basket.io` reads them), or
        ``None`` for data of no particular kind (the checks common to every kind only).
    target
        For labelled data: the target column (default ``"target"``).
    k
        IQR multiplier of the outlier rule.

    Returns
    -------
    DataProfile
        ``columns`` (see `column_summary`), ``outliers`` (see `outlier_summary`), ``monthly`` rows
        per month; for transactions ``transactions``, ``basket_sizes`` and ``customer_revenue``;
        for basket lines ``basket_sizes`` and ``basket_items``; for labelled data ``target_counts``.
    """
    if kind is not None and kind not in PROFILE_KINDS:
        schema(kind)  # raises, with a suggestion
    require_nonempty(df, context="profile")
    date_column = _date_column(df, kind)
    dates = df[date_column] if date_column else pd.Series(dtype="datetime64[ns]")
    extra: dict = {}
    if kind == "transactions":
        revenue = customer_revenue(df)
        extra = {
            "transactions": transaction_profile(df, revenue),
            "basket_sizes": basket_sizes(df),
            "customer_revenue": revenue,
        }
    if kind == "basket_lines":
        require_columns(df, ["invoice_id", "item"], context="profile")
        extra = {"basket_sizes": basket_sizes(df), "basket_items": int(df["item"].nunique())}
    if kind == "labelled":
        target = labelled_target(df, target, context="profile")
        extra = {"target": target, "target_counts": df[target].value_counts(dropna=False)}
    return DataProfile(
        kind=kind,
        rows=len(df),
        n_columns=df.shape[1],
        duplicate_rows=int(df.duplicated().sum()),
        columns=column_summary(df),
        outliers=outlier_summary(df, k=k),
        date_column=date_column,
        date_start=dates.min() if len(dates.dropna()) else None,
        date_end=dates.max() if len(dates.dropna()) else None,
        monthly=monthly_counts(dates),
        iqr_k=k,
        **extra,
    )


def _basket_sentence(sizes: pd.Series, lang: str | None) -> str:
    if sizes.max() <= 1:
        return t("profile.sum_basket_single", lang)
    return t("profile.sum_basket", lang, median=float(sizes.median()), p90=float(sizes.quantile(0.9)))


def type_name(dtype: Any) -> str:
    """A column's dtype as a reader names it: the kind `crmlab.core.display.default_kind` gives it."""
    return default_kind(pd.Series(dtype=dtype))


def field(column: str, lang: str | None = None) -> str:
    """A canonical column's name in ``lang`` (``customer_id`` -> "Customer id"); other names as they are."""
    return heading(column, FIELD_HEADINGS, lang)


def value_name(value: object, lang: str | None = None) -> str:
    """A target value as a reader reads it: yes/no and true/false in ``lang``, others as they are."""
    key = {"yes": "yes", "true": "yes", "no": "no", "false": "no"}.get(str(value).strip().lower())
    return t(f"common.{key}", lang) if key else str(value)


def target_shares(p: DataProfile, lang: str | None = None) -> str:
    """The share of each target value, e.g. "no: 78.9%, yes: 21.1%" (empty without a target)."""
    if p.target_counts is None:
        return ""
    shares = p.target_counts / p.rows
    return t("common.list_sep", lang).join(
        f"{value_name(k, lang)}{t('profile.colon', lang)}{v:.1%}" for k, v in shares.items()
    )


def summary(p: DataProfile, lang: str | None = None) -> str:
    """A short report of ``p`` in ``lang``, as Markdown bullet points."""
    lines = [t("profile.sum_rows", lang, rows=p.rows, columns=p.n_columns, duplicates=p.duplicate_rows)]
    missing = p.columns[p.columns["missing"] > 0]
    if missing.empty:
        lines.append(t("profile.sum_no_missing", lang))
    else:
        worst = missing.sort_values("missing", ascending=False).iloc[0]
        lines.append(
            t(
                "profile.sum_missing",
                lang,
                n=len(missing),
                column=field(worst["column"], lang),
                missing=int(worst["missing"]),
            )
        )
    if p.date_start is not None and p.date_end is not None:
        lines.append(
            t("profile.sum_dates", lang, start=p.date_start.date(), end=p.date_end.date(), months=len(p.monthly))
        )
    flagged = p.outliers[p.outliers["below"] + p.outliers["above"] > 0]
    names = t("common.list_sep", lang).join(field(c, lang) for c in flagged["column"]) or "-"
    lines.append(t("profile.sum_outliers", lang, k=p.iqr_k, n=len(flagged), columns=names))
    tp = p.transactions
    if tp is not None:
        lines += [
            t("profile.sum_tx", lang, invoices=tp.invoices, customers=tp.customers, items=tp.items),
            t("profile.sum_guest", lang, n=tp.lines_without_customer, share=tp.lines_without_customer / tp.lines),
            t(
                "profile.sum_cancel",
                lang,
                n=tp.cancellation_lines,
                invoices=tp.cancelled_invoices,
                returns=tp.return_lines,
            ),
        ]
        if p.basket_sizes is not None:
            lines.append(_basket_sentence(p.basket_sizes, lang))
        lines.append(t("profile.sum_revenue", lang, revenue=tp.revenue, share=tp.top20_share))
    if p.basket_items is not None and p.basket_sizes is not None:
        lines += [
            t("profile.sum_baskets", lang, baskets=len(p.basket_sizes), items=p.basket_items),
            _basket_sentence(p.basket_sizes, lang),
        ]
    if p.target_counts is not None:
        lines.append(t("profile.sum_target", lang, target=p.target, shares=target_shares(p, lang)))
    return "\n".join(f"- {line}" for line in lines)


def columns_table(p: DataProfile, lang: str | None = None) -> Styler:
    """`DataProfile.columns` for the report: named columns and types, counts with separators, shares in percent."""
    kinds = {"non_missing": "count", "missing": "count", "missing_share": "percent", "unique": "count"}
    table = p.columns.assign(
        column=[field(c, lang) for c in p.columns["column"]], dtype=[type_name(d) for d in p.columns["dtype"]]
    )
    return display_table(table, headings="profile.col", kinds=kinds, values={"dtype": "profile.dtype"}, lang=lang)


def sample_table(df: pd.DataFrame, n: int = 5, lang: str | None = None) -> Styler:
    """The first ``n`` rows as read, the canonical columns named in ``lang``."""
    return display_table(df.head(n), headings=FIELD_HEADINGS, lang=lang)


def outliers_table(p: DataProfile, lang: str | None = None) -> Styler:
    """`DataProfile.outliers` for the report: quartiles and fences, counts, the flagged share in percent."""
    kinds = {"q1": "number", "q3": "number", "low": "number", "high": "number", "below": "count", "above": "count"}
    kinds |= {"share": "percent"}
    table = p.outliers.assign(column=[field(c, lang) for c in p.outliers["column"]])
    return display_table(table, headings="profile.col", kinds={**kinds, "column": "text"}, lang=lang)
