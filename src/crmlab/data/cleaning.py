"""Transaction cleaning with a per-rule count of removed and kept lines.

``transaction lines -> kept lines + report (rule, removed, kept, removed_amount)``.

Rules are applied in order; a line that several rules flag is counted under the first one. A rule
whose column is absent from the data is skipped (its row in the report says 0 removed).

Two engines give identical results: ``"duckdb"`` (the default; reads Parquet files directly, keeps
memory low and spills to disk, so the same call scales to tens of millions of lines) and
``"pandas"`` (straightforward, for comparison).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

ENGINES = ("duckdb", "pandas")

#: Stock codes that are not products (postage, manual adjustment, bank charges, dotcom postage).
NON_PRODUCT_CODES: tuple[str, ...] = ("POST", "M", "BANK CHARGES", "DOT")

#: The rules in their default order: rule -> column it needs.
RULE_COLUMNS: dict[str, str] = {
    "cancellation": "invoice_id",
    "missing_customer": "customer_id",
    "non_product": "item_id",
    "non_positive_price": "unit_price",
    "non_positive_quantity": "quantity",
}

#: The SQL condition that flags a line for removal, per rule (``{codes}``: the non-product codes).
RULE_SQL: dict[str, str] = {
    "cancellation": "starts_with(CAST(invoice_id AS VARCHAR), 'C') OR starts_with(CAST(invoice_id AS VARCHAR), 'c')",
    "missing_customer": "customer_id IS NULL OR trim(CAST(customer_id AS VARCHAR)) = ''",
    "non_product": "upper(trim(CAST(item_id AS VARCHAR))) IN ({codes})",
    "non_positive_price": "unit_price <= 0",
    "non_positive_quantity": "quantity <= 0",
}


def _text(values: pd.Series, *, strip: bool = True) -> pd.Series:
    """Upper-case text; ``strip`` removes spaces at both ends (spaces only, like SQL ``trim``)."""
    text = values.astype("string")
    return (text.str.strip(" ") if strip else text).str.upper()


#: The same conditions in pandas (NA never flags a line, as in SQL).
RULE_PANDAS: dict[str, Callable[[pd.DataFrame, tuple[str, ...]], pd.Series]] = {
    "cancellation": lambda df, codes: _text(df["invoice_id"], strip=False).str.startswith("C"),
    "missing_customer": lambda df, codes: df["customer_id"].isna() | (_text(df["customer_id"]) == ""),
    "non_product": lambda df, codes: _text(df["item_id"]).isin(codes),
    "non_positive_price": lambda df, codes: df["unit_price"] <= 0,
    "non_positive_quantity": lambda df, codes: df["quantity"] <= 0,
}


@dataclass(frozen=True)
class CleaningRules:
    """Which rules to apply, in which order, and the stock codes that are not products."""

    rules: tuple[str, ...] = tuple(RULE_COLUMNS)
    non_product_codes: tuple[str, ...] = field(default=NON_PRODUCT_CODES)

    def __post_init__(self) -> None:
        for rule in self.rules:
            if rule not in RULE_COLUMNS:
                raise ParameterError(f"Unknown cleaning rule {rule!r}.{did_you_mean(rule, RULE_COLUMNS)}")


@dataclass(frozen=True)
class CleaningResult:
    """Kept lines and the per-rule report (``rule``, ``removed``, ``kept``, ``removed_amount``)."""

    data: pd.DataFrame
    report: pd.DataFrame


Source = pd.DataFrame | str | Path


def source_columns(tx: Source) -> list[str]:
    """Column names of a DataFrame or a Parquet file."""
    if isinstance(tx, pd.DataFrame):
        return [str(c) for c in tx.columns]
    return list(pq.read_schema(tx).names)


def check_engine(engine: str) -> str:
    """Return ``engine`` if known, else raise ParameterError."""
    if engine not in ENGINES:
        raise ParameterError(
            f"engine must be one of {', '.join(ENGINES)}, got {engine!r}.{did_you_mean(engine, ENGINES)}"
        )
    return engine


def connect(tx: Source) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A DuckDB connection and the SQL table expression that reads ``tx`` (DataFrame or Parquet).

    Each call opens its own in-memory database (~20 ms), so its memory is returned when it is closed.
    """
    if isinstance(tx, pd.DataFrame):
        con = duckdb.connect()
        con.register("tx_frame", tx)
        return con, "tx_frame"
    path = Path(tx)
    if not path.exists():
        raise InputError(f"File {str(path)!r} does not exist; check input_path.")
    return duckdb.connect(), "read_parquet('" + str(path).replace("'", "''") + "')"


def read_source(tx: Source) -> pd.DataFrame:
    """``tx`` as a DataFrame (Parquet files are read whole)."""
    return tx if isinstance(tx, pd.DataFrame) else pd.read_parquet(tx)


def applicable(rules: CleaningRules, columns: Sequence[str]) -> list[str]:
    """The rules whose column is present."""
    return [r for r in rules.rules if RULE_COLUMNS[r] in columns]


def _codes_sql(rules: CleaningRules) -> str:
    """The upper-cased non-product codes as a SQL list (``NULL`` when there are none)."""
    return ", ".join("'" + c.upper().replace("'", "''") + "'" for c in rules.non_product_codes) or "NULL"


def rule_case_sql(rules: CleaningRules, columns: Sequence[str]) -> str:
    """SQL ``CASE`` giving the first rule that flags a line, or NULL for a kept line."""
    names = applicable(rules, columns)
    if not names:
        return "CAST(NULL AS VARCHAR)"
    codes = _codes_sql(rules)
    whens = " ".join(f"WHEN {RULE_SQL[r].format(codes=codes)} THEN '{r}'" for r in names)
    return f"CASE {whens} END"


#: Rules whose condition depends only on a column that `crmlab.value.rfm` groups by (so it is tested once
#: per group instead of once per line); the others are tested per line as boolean group keys.
GROUP_KEY_RULES = ("cancellation", "missing_customer")


def line_flags_sql(rules: CleaningRules, columns: Sequence[str]) -> dict[str, str]:
    """The applicable per-line rules (not in `GROUP_KEY_RULES`) -> SQL booleans, never NULL.

    Each is true exactly when the rule's `RULE_SQL` condition is (NULL counts as false).
    """
    codes = _codes_sql(rules)
    flags = {
        r: f"coalesce({RULE_SQL[r].format(codes=codes)}, false)"
        for r in applicable(rules, columns)
        if r not in GROUP_KEY_RULES
    }
    if "non_product" in flags and all(c.strip(" ")[:1] not in "0123456789" for c in rules.non_product_codes):
        # No code starts with a digit, and trim (spaces only) and upper keep a leading digit, so a
        # line whose item_id starts with one is a product: most stock codes are, and the cheap
        # comparison spares them the string functions (the result is the same).
        flags["non_product"] = (
            "CASE WHEN CAST(item_id AS VARCHAR) >= '0' AND CAST(item_id AS VARCHAR) < ':' "
            f"THEN false ELSE {flags['non_product']} END"
        )
    return flags


def grouped_rule_case_sql(rules: CleaningRules, columns: Sequence[str]) -> str:
    """`rule_case_sql` for lines grouped by ``invoice_id`` and ``customer_id`` (as VARCHAR) and by flags.

    The flags are boolean columns ``flag_<rule>`` from `line_flags_sql`; the rules of `GROUP_KEY_RULES`
    are tested on the group's columns. Each line gets the same first rule, in the same order.
    """
    names = applicable(rules, columns)
    if not names:
        return "CAST(NULL AS VARCHAR)"
    codes = _codes_sql(rules)
    conditions = {r: RULE_SQL[r].format(codes=codes) if r in GROUP_KEY_RULES else f"flag_{r}" for r in names}
    return "CASE " + " ".join(f"WHEN {conditions[r]} THEN '{r}'" for r in names) + " END"


def _pandas_flags(df: pd.DataFrame, rules: CleaningRules) -> pd.Series:
    """The first rule flagging each line (NA for kept lines)."""
    codes = tuple(c.upper() for c in rules.non_product_codes)
    flag = pd.Series(pd.NA, index=df.index, dtype="string")
    for rule in reversed(applicable(rules, list(df.columns))):
        hit = RULE_PANDAS[rule](df, codes).fillna(False).to_numpy(dtype=bool)
        flag = flag.mask(hit, rule)
    return flag


def report_from_counts(counts: pd.DataFrame, n_total: int, rules: CleaningRules) -> pd.DataFrame:
    """The report in rule order from ``rule``, ``removed``, ``removed_amount`` counts of flagged lines."""
    counts = counts.set_index("rule")
    removed = [int(counts["removed"].get(r, 0)) for r in rules.rules]
    amounts = [float(counts["removed_amount"].get(r, 0.0)) for r in rules.rules]
    out = pd.DataFrame(
        {
            "rule": list(rules.rules),
            "removed": removed,
            "kept": n_total - np.cumsum(removed, dtype=np.int64),
            "removed_amount": np.round(amounts, 2),  # cents: the order of summation cannot show
        }
    ).astype({"removed": "int64", "kept": "int64", "removed_amount": "float64"})
    out.attrs["non_product_codes"] = tuple(rules.non_product_codes)
    return out


def _pandas_report(df: pd.DataFrame, flags: pd.Series, rules: CleaningRules) -> pd.DataFrame:
    counts = (
        pd.DataFrame({"rule": flags, "amount": df["amount"]})
        .dropna(subset=["rule"])
        .groupby("rule")["amount"]
        .agg(removed="size", removed_amount="sum")
        .reset_index()
    )
    return report_from_counts(counts, len(df), rules)


def cleaning_report(tx: Source, *, rules: CleaningRules | None = None, engine: str = "duckdb") -> pd.DataFrame:
    """How many lines each rule removes and how many remain after it.

    Parameters
    ----------
    tx : DataFrame or path of a Parquet file
        Transaction lines in canonical columns.
    rules : CleaningRules, optional
        Rules and non-product codes (default: all rules, `NON_PRODUCT_CODES`).
    engine : {"duckdb", "pandas"}
        Which engine computes the counts (identical results).

    Returns
    -------
    DataFrame
        One row per rule, in order: ``rule``, ``removed`` (lines this rule removed that no earlier
        rule did), ``kept`` (lines left after it), ``removed_amount`` (their total ``amount``).
        ``attrs["non_product_codes"]`` holds the codes used.
    """
    rules = rules or CleaningRules()
    check_engine(engine)
    columns = source_columns(tx)
    require_columns(pd.DataFrame(columns=columns), ["amount"], context="cleaning")
    if engine == "pandas":
        df = read_source(tx)
        return _pandas_report(df, _pandas_flags(df, rules), rules)
    con, table = connect(tx)
    with con:
        counts = con.sql(
            f"SELECT rule, count(*) AS removed, coalesce(sum(amount), 0) AS removed_amount "
            f"FROM (SELECT {rule_case_sql(rules, columns)} AS rule, amount FROM {table}) GROUP BY rule"
        ).df()
    return report_from_counts(counts.dropna(subset=["rule"]), int(counts["removed"].sum()), rules)


def clean(tx: Source, *, rules: CleaningRules | None = None, engine: str = "duckdb") -> CleaningResult:
    """Remove cancellations, lines without a customer, non-product codes and non-positive prices.

    Returns the kept lines (in their original order, index reset) and `cleaning_report`.

    Examples
    --------
    >>> tx = pd.DataFrame({"invoice_id": ["1", "C2"], "customer_id": ["a", "a"], "item_id": ["x", "x"],
    ...                    "quantity": [1, -1], "unit_price": [2.0, 2.0], "amount": [2.0, -2.0]})
    >>> clean(tx).report[["rule", "removed", "kept"]].head(2).to_dict("list")
    {'rule': ['cancellation', 'missing_customer'], 'removed': [1, 0], 'kept': [1, 1]}
    """
    rules = rules or CleaningRules()
    check_engine(engine)
    df = read_source(tx)
    if engine == "pandas":
        flags = _pandas_flags(df, rules)
        kept = df[flags.isna().to_numpy()].reset_index(drop=True)
        return CleaningResult(kept, _pandas_report(df, flags, rules))
    report = cleaning_report(df, rules=rules, engine=engine)
    con, table = connect(df)
    with con:  # a plain projection keeps the input order (DuckDB's preserve_insertion_order)
        flags = con.sql(f"SELECT {rule_case_sql(rules, list(df.columns))} AS rule FROM {table}").df()["rule"]
    return CleaningResult(df[flags.isna().to_numpy()].reset_index(drop=True), report)


def report_table(report: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """`cleaning_report` with translated rule descriptions and headers, for the report."""
    codes = ", ".join(report.attrs.get("non_product_codes", NON_PRODUCT_CODES))
    return pd.DataFrame(
        {
            t("value.col.rule", lang): [t(f"value.rule.{r}", lang, codes=codes) for r in report["rule"]],
            t("value.col.removed", lang): report["removed"].to_numpy(),
            t("value.col.kept", lang): report["kept"].to_numpy(),
            t("value.col.removed_amount", lang): report["removed_amount"].round(2).to_numpy(),
        }
    )
