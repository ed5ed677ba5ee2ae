"""Who churned: churn flags, churn dates and churn by inactivity (step 1 of notebook 50).

Three definitions (`DEFINITIONS`, chosen with `mark_churn`):

- ``"flag"``: customer data with a churn flag (1/0, yes/no, 是/否, ...) or a churn date
  (`churn_status`);
- ``"inactive"``: transactions, where a customer who has not bought for ``inactive_days`` has churned
  (`churn_status_from_transactions`);
- ``"list"``: every row is a churned customer (a list of exits).

Each returns the customers with ``churned`` (bool) and ``churn_date`` (datetime, NaT when unknown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.churn.keywords import keyword_tables, normalise
from crmlab.core.checks import check_choice, check_range, did_you_mean, row_examples, to_date
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_nonempty, require_not_future, require_numeric, to_dates

__all__ = [
    "DEFINITIONS",
    "churn_status",
    "churn_status_from_transactions",
    "churned_rows",
    "default_dataset",
    "mark_churn",
    "parse_dates",
]

#: The churn definitions `mark_churn` understands, and the named data set each uses by default.
DEFINITIONS = ("flag", "inactive", "list")
_DATASETS = {"flag": "synthetic_churn", "inactive": "synthetic_churn_transactions", "list": "synthetic_churn"}


def default_dataset(definition: str = "flag") -> str:
    """The named data set to use when a notebook has no input file and no ``dataset``.

    >>> default_dataset("inactive")
    'synthetic_churn_transactions'
    """
    return _DATASETS[check_choice(definition, "churn_definition", DEFINITIONS)]


def _flag(values: pd.Series, column: str) -> pd.Series:
    """A churn flag (0/1, yes/no, true/false, 是/否, ...) as booleans; anything else raises InputError."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    tables = keyword_tables()
    text = values.map(normalise)
    is_true = text.isin(tables.flag_churned)
    bad = np.flatnonzero(~(is_true | text.isin(tables.flag_active)).to_numpy())
    if len(bad):
        examples = row_examples(bad, values)
        raise InputError(t("churn.error.bad_flag", column=column, n=len(bad), examples=examples))
    return is_true


def parse_dates(values: pd.Series, column: str) -> pd.Series:
    """Dates of ``column`` (blank cells are missing); text that is not a date raises InputError naming the rows."""
    return to_dates(values, column, context=t("churn.context"))


def churned_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The churned rows of ``df`` (all rows when there is no ``churned`` column).

    Raises
    ------
    InputError
        ``df`` is empty or nobody churned.
    """
    require_nonempty(df, context=t("churn.context"))
    out = df[df["churned"].astype(bool)] if "churned" in df.columns else df
    if len(out) == 0:
        raise InputError(t("churn.error.no_churners", n=len(df)))
    return out


def churn_status(
    df: pd.DataFrame,
    *,
    churn_col: str | None = "churned",
    churn_date_col: str | None = "churn_date",
    as_of: str | pd.Timestamp | None = None,
    every_row_churned: bool = False,
) -> pd.DataFrame:
    """Mark churned customers from a churn flag or a churn date (customer data).

    Parameters
    ----------
    df
        One row per customer (or per churned customer, with ``every_row_churned=True``).
    churn_col
        A flag column: 1/0, yes/no, true/false, 是/否, churned/active. Takes precedence over the date.
    churn_date_col
        A date column; a customer with a date (on or before ``as_of``, when given) has churned.
        Used for rates by period when present.
    as_of
        Only churn dates up to this date count (flag-less data only).
    every_row_churned
        The file lists churned customers only; no flag or date column is needed.

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``churned`` (bool) and ``churn_date`` (datetime, NaT when unknown).

    Raises
    ------
    InputError
        No rows, neither column present, or values that are not flags or dates.

    Examples
    --------
    >>> churn_status(pd.DataFrame({"churned": ["yes", "否", 1]}), churn_date_col=None)["churned"].tolist()
    [True, False, True]
    """
    require_nonempty(df, context=t("churn.context"))
    has_flag = churn_col is not None and churn_col in df.columns
    has_date = churn_date_col is not None and churn_date_col in df.columns
    if not (has_flag or has_date or every_row_churned):
        raise InputError(
            t(
                "churn.error.no_churn_column",
                flag=churn_col,
                date=churn_date_col,
                present=", ".join(map(str, df.columns)),
            )
            + did_you_mean(str(churn_col), map(str, df.columns))
        )
    out = df.copy()
    dates = parse_dates(df[churn_date_col], str(churn_date_col)) if has_date else pd.Series(pd.NaT, index=df.index)
    if as_of is not None:
        dates = dates.where(dates <= to_date(as_of, "as_of"))
    elif has_date:  # without as_of a churn date after today would be charted as a real exit
        require_not_future(dates, column=str(churn_date_col), context=t("churn.context"))
    if every_row_churned:
        churned = pd.Series(True, index=df.index)
    elif has_flag:
        churned = _flag(df[churn_col], str(churn_col))
    else:
        churned = dates.notna()
    out["churned"] = churned.to_numpy(dtype=bool)
    out["churn_date"] = dates.where(out["churned"])
    return out


def churn_status_from_transactions(
    tx: pd.DataFrame,
    *,
    inactive_days: int = 180,
    as_of: str | pd.Timestamp | None = None,
    customer_col: str = "customer_id",
    timestamp_col: str = "timestamp",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Churn from transactions: no purchase within ``inactive_days`` before ``as_of``.

    ``customer_col, timestamp_col, amount_col`` (one row per line) -> one row per customer:
    ``customer_id, first_purchase, last_purchase, revenue, churned, churn_date``.

    Parameters
    ----------
    tx
        Transactions. Lines without a customer id (guests) and lines after ``as_of`` are ignored.
    inactive_days
        A customer whose last purchase is more than this many days before ``as_of`` has churned;
        the churn date is the last purchase plus ``inactive_days``.
    as_of
        The date the status is taken on (default: the last timestamp in the data).
    customer_col, timestamp_col, amount_col
        Column names of the customer id, the purchase time and the line amount.

    Returns
    -------
    DataFrame
        ``revenue`` is the customer's spend in the 365 days up to their last purchase (a yearly
        revenue for the exit economics).
    """
    check_range(inactive_days, "inactive_days", low=0, low_open=True)
    require_nonempty(tx, context=t("churn.context"))
    require_columns(tx, [customer_col, timestamp_col, amount_col], context=t("churn.context"))
    data = require_numeric(tx[[customer_col, timestamp_col, amount_col]], [amount_col], context=t("churn.context"))
    data[timestamp_col] = parse_dates(data[timestamp_col], timestamp_col)
    if as_of is None:  # the last date becomes the as-of date
        require_not_future(data[timestamp_col], column=timestamp_col, context=t("churn.context"))
    cutoff = data[timestamp_col].max() if as_of is None else to_date(as_of, "as_of")
    data = data[data[customer_col].notna() & (data[timestamp_col] <= cutoff)]
    if len(data) == 0:
        raise InputError(t("churn.error.no_customers", column=customer_col))
    grouped = data.groupby(customer_col)[timestamp_col]
    out = pd.DataFrame({"first_purchase": grouped.min(), "last_purchase": grouped.max()})
    last = data[customer_col].map(out["last_purchase"])
    recent = data[data[timestamp_col] > last - pd.Timedelta(days=365)]
    out["revenue"] = recent.groupby(customer_col)[amount_col].sum()
    churn_date = out["last_purchase"] + pd.Timedelta(days=inactive_days)
    out["churned"] = churn_date < cutoff
    out["churn_date"] = churn_date.where(out["churned"])
    out.index.name = "customer_id"
    return out.reset_index()


def mark_churn(
    df: pd.DataFrame,
    *,
    definition: str = "flag",
    churn_col: str | None = "churned",
    churn_date_col: str | None = "churn_date",
    inactive_days: int = 180,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Mark churned customers by one of the `DEFINITIONS`.

    - ``"flag"``: customer data with a churn flag or churn date column (`churn_status`);
    - ``"inactive"``: transactions; no purchase within ``inactive_days`` of ``as_of``
      (`churn_status_from_transactions`);
    - ``"list"``: every row is a churned customer (a list of exits).

    ``as_of`` may be an empty string (no as-of date); empty column names mean no column.
    """
    check_choice(definition, "churn_definition", DEFINITIONS)
    as_of = as_of or None
    if definition == "inactive":
        return churn_status_from_transactions(df, inactive_days=inactive_days, as_of=as_of)
    return churn_status(
        df,
        churn_col=churn_col or None,
        churn_date_col=churn_date_col or None,
        as_of=as_of,
        every_row_churned=definition == "list",
    )
