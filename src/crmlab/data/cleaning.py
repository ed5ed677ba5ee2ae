"""Cleaning of transaction and basket lines, with a per-rule count of removed and kept lines.

``lines -> kept lines + report (rule, removed, kept, removed_amount)``.

One cleaner with one list of non-product codes (`NON_PRODUCT_CODES`) serves every notebook: the value
analysis cleans invoice lines with all rules (`CleaningRules()`), the basket analysis cleans basket
lines with `BASKET_RULES` (lines without a customer are still baskets). Rules are applied in order; a
line that several rules flag is counted under the first one. A rule whose column is absent from the
data is skipped (its row in the report says 0 removed), so basket files without prices or customers
need no special case. Without an ``amount`` column, ``removed_amount`` is NaN.

Two engines give identical results: ``"duckdb"`` (the default; reads Parquet files directly, keeps
memory low and spills to disk, so the same call scales to tens of millions of lines) and
``"pandas"`` (straightforward, for comparison). `crmlab.data.spark.clean` runs the same SQL on Spark.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_choice
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import t

ENGINES = ("duckdb", "pandas")

#: Item codes that are not products, the one list every notebook uses (Online Retail: postage, dotcom
#: postage, manual adjustment, bank charges, discount, carriage, CRUK commission, pads, Amazon fee,
#: samples, bad-debt adjustment). Compared after trimming spaces, case-insensitively.
NON_PRODUCT_CODES: tuple[str, ...] = (
    "POST",
    "DOT",
    "M",
    "BANK CHARGES",
    "D",
    "C2",
    "CRUK",
    "PADS",
    "AMAZONFEE",
    "S",
    "B",
)

#: The rules in their default order: rule -> the column it needs (``non_product``: `CleaningRules.code_col`).
RULE_COLUMNS: dict[str, str] = {
    "cancellation": "invoice_id",
    "missing_customer": "customer_id",
    "non_product": "item_id",
    "non_positive_price": "unit_price",
    "non_positive_quantity": "quantity",
}
RULES: tuple[str, ...] = tuple(RULE_COLUMNS)

#: The SQL condition that flags a line for removal, per rule (``{col}``: the rule's column, quoted;
#: ``{codes}``: the non-product codes).
RULE_SQL: dict[str, str] = {
    "cancellation": "starts_with(CAST({col} AS VARCHAR), 'C') OR starts_with(CAST({col} AS VARCHAR), 'c')",
    "missing_customer": "{col} IS NULL OR trim(CAST({col} AS VARCHAR)) = ''",
    "non_product": "upper(trim(CAST({col} AS VARCHAR))) IN ({codes})",
    "non_positive_price": "{col} <= 0",
    "non_positive_quantity": "{col} <= 0",
}


def _text(values: pd.Series, *, strip: bool = True) -> pd.Series:
    """Upper-case text; ``strip`` removes spaces at both ends (spaces only, like SQL ``trim``)."""
    text = values.astype("string")
    return (text.str.strip(" ") if strip else text).str.upper()


#: The same conditions in pandas, on the rule's column (NA never flags a line, as in SQL).
RULE_PANDAS: dict[str, Callable[[pd.Series, tuple[str, ...]], pd.Series]] = {
    "cancellation": lambda values, codes: _text(values, strip=False).str.startswith("C"),
    "missing_customer": lambda values, codes: values.isna() | (_text(values) == ""),
    "non_product": lambda values, codes: _text(values).isin(codes),
    "non_positive_price": lambda values, codes: values <= 0,
    "non_positive_quantity": lambda values, codes: values <= 0,
}


@dataclass(frozen=True)
class CleaningRules:
    """Which rules to apply, in which order, and the item codes that are not products.

    ``code_col`` is the column the ``non_product`` rule tests (``item_id``; a basket file with item
    codes but no ``item_id`` can name its item column). Switch rules off with `without`:
    ``CleaningRules().without("missing_customer")``.
    """

    rules: tuple[str, ...] = RULES
    non_product_codes: tuple[str, ...] = field(default=NON_PRODUCT_CODES)
    code_col: str = "item_id"

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "non_product_codes", tuple(str(c) for c in self.non_product_codes))
        for rule in self.rules:
            check_choice(rule, "rules", RULES)

    def without(self, *rules: str) -> CleaningRules:
        """These rules with ``rules`` switched off (the order of the others kept)."""
        for rule in rules:
            check_choice(rule, "rules", RULES)
        return replace(self, rules=tuple(r for r in self.rules if r not in rules))

    def column(self, rule: str) -> str:
        """The column ``rule`` tests."""
        return self.code_col if rule == "non_product" else RULE_COLUMNS[rule]


#: Rules for basket lines (notebook 30): a basket file has no prices, and lines without a customer
#: are still baskets; cancellations, returns (quantity <= 0) and non-product codes are removed.
BASKET_RULES = CleaningRules().without("missing_customer", "non_positive_price")


@dataclass(frozen=True)
class CleaningResult:
    """Kept lines, the per-rule report (``rule``, ``removed``, ``kept``, ``removed_amount``), the rules used."""

    data: pd.DataFrame
    report: pd.DataFrame
    rules: CleaningRules


Source = pd.DataFrame | str | Path


def _existing(path: str | Path) -> Path:
    """``path`` if the file exists, else raise InputError."""
    if not Path(path).exists():
        raise InputError(t("data.file_missing", path=path, cwd=Path.cwd()))
    return Path(path)


def source_columns(tx: Source) -> list[str]:
    """Column names of a DataFrame or a Parquet file."""
    if isinstance(tx, pd.DataFrame):
        return [str(c) for c in tx.columns]
    return list(pq.read_schema(_existing(tx)).names)


#: The line-number column `clean` adds to the lines it hands to DuckDB.
_ROW = "crmlab_row_number"


def check_engine(engine: str) -> str:
    """Return ``engine`` if known, else raise ParameterError."""
    return check_choice(engine, "engine", ENGINES)


def connect(tx: Source) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A DuckDB connection and the SQL table expression that reads ``tx`` (DataFrame or Parquet).

    Each call opens its own in-memory database (~20 ms), so its memory is returned when it is closed.
    """
    if isinstance(tx, pd.DataFrame):
        con = duckdb.connect()
        con.register("tx_frame", tx)
        return con, "tx_frame"
    return duckdb.connect(), "read_parquet('" + str(_existing(tx)).replace("'", "''") + "')"


def read_source(tx: Source) -> pd.DataFrame:
    """``tx`` as a DataFrame (Parquet files are read whole)."""
    return tx if isinstance(tx, pd.DataFrame) else pd.read_parquet(_existing(tx))


def applicable(rules: CleaningRules, columns: Sequence[str]) -> list[str]:
    """The rules whose column is present."""
    return [r for r in rules.rules if rules.column(r) in columns]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rule_sql(rules: CleaningRules, rule: str) -> str:
    """The SQL condition of ``rule`` with its column and the upper-cased non-product codes filled in."""
    codes = ", ".join("'" + c.upper().replace("'", "''") + "'" for c in rules.non_product_codes) or "NULL"
    return RULE_SQL[rule].format(col=_quote(rules.column(rule)), codes=codes)


def rule_case_sql(rules: CleaningRules, columns: Sequence[str]) -> str:
    """SQL ``CASE`` giving the first rule that flags a line, or NULL for a kept line."""
    names = applicable(rules, columns)
    if not names:
        return "CAST(NULL AS VARCHAR)"
    return "CASE " + " ".join(f"WHEN {rule_sql(rules, r)} THEN '{r}'" for r in names) + " END"


def report_sql(rules: CleaningRules, columns: Sequence[str], table: str) -> str:
    """SQL counting the lines and amount each first rule flags in ``table`` (rule NULL: the kept lines).

    Run by DuckDB here and, transpiled, by Spark (`crmlab.data.spark`); `report_from_counts` finishes it.
    """
    amount = "amount" if "amount" in columns else "0.0"
    return (
        f"SELECT rule, count(*) AS removed, coalesce(sum(amount), 0) AS removed_amount FROM "
        f"(SELECT {rule_case_sql(rules, columns)} AS rule, {amount} AS amount FROM {table}) AS flagged GROUP BY rule"
    )


#: Rules whose condition depends only on a column that `crmlab.data.summary` groups by (so it is tested
#: once per group instead of once per line); the others are tested per line as boolean group keys.
GROUP_KEY_RULES = ("cancellation", "missing_customer")


def line_flags_sql(rules: CleaningRules, columns: Sequence[str]) -> dict[str, str]:
    """The applicable per-line rules (not in `GROUP_KEY_RULES`) -> SQL booleans, never NULL.

    Each is true exactly when the rule's `RULE_SQL` condition is (NULL counts as false).
    """
    flags = {
        r: f"coalesce({rule_sql(rules, r)}, false)" for r in applicable(rules, columns) if r not in GROUP_KEY_RULES
    }
    if "non_product" in flags and all(c.strip(" ")[:1] not in "0123456789" for c in rules.non_product_codes):
        # No code starts with a digit, and trim (spaces only) and upper keep a leading digit, so a
        # line whose code starts with one is a product: most stock codes are, and the cheap
        # comparison spares them the string functions (the result is the same).
        code = f"CAST({_quote(rules.code_col)} AS VARCHAR)"
        flags["non_product"] = f"CASE WHEN {code} >= '0' AND {code} < ':' THEN false ELSE {flags['non_product']} END"
    return flags


def grouped_rule_case_sql(rules: CleaningRules, columns: Sequence[str]) -> str:
    """`rule_case_sql` for lines grouped by ``invoice_id`` and ``customer_id`` (as VARCHAR) and by flags.

    The flags are boolean columns ``flag_<rule>`` from `line_flags_sql`; the rules of `GROUP_KEY_RULES`
    are tested on the group's columns. Each line gets the same first rule, in the same order.
    """
    names = applicable(rules, columns)
    if not names:
        return "CAST(NULL AS VARCHAR)"
    conditions = {r: rule_sql(rules, r) if r in GROUP_KEY_RULES else f"flag_{r}" for r in names}
    return "CASE " + " ".join(f"WHEN {conditions[r]} THEN '{r}'" for r in names) + " END"


def rule_mask(df: pd.DataFrame, rule: str, *, rules: CleaningRules | None = None) -> np.ndarray:
    """The lines ``rule`` flags, whatever the other rules say (all False when its column is absent).

    >>> rule_mask(pd.DataFrame({"invoice_id": ["1", "C2", "c3", None]}), "cancellation").tolist()
    [False, True, True, False]
    """
    rules = rules or CleaningRules()
    check_choice(rule, "rule", RULES)
    column = rules.column(rule)
    if column not in df.columns:
        return np.zeros(len(df), dtype=bool)
    codes = tuple(c.upper() for c in rules.non_product_codes)
    return RULE_PANDAS[rule](df[column], codes).fillna(False).to_numpy(dtype=bool)


def first_rule(df: pd.DataFrame, rules: CleaningRules) -> pd.Series:
    """The first rule flagging each line (NA for kept lines), computed with pandas."""
    flag = pd.Series(pd.NA, index=df.index, dtype="string")
    for rule in reversed(applicable(rules, list(df.columns))):
        flag = flag.mask(rule_mask(df, rule, rules=rules), rule)
    return flag


def report_from_counts(
    counts: pd.DataFrame, n_total: int, rules: CleaningRules, *, amounts: bool = True
) -> pd.DataFrame:
    """The report in rule order from ``rule``, ``removed``, ``removed_amount`` counts of flagged lines.

    ``amounts=False`` (the lines have no ``amount``): ``removed_amount`` is NaN.
    """
    counts = counts.set_index("rule")
    removed = [int(counts["removed"].get(r, 0)) for r in rules.rules]
    amounts_removed = [float(counts["removed_amount"].get(r, 0.0)) if amounts else np.nan for r in rules.rules]
    return pd.DataFrame(
        {
            "rule": list(rules.rules),
            "removed": removed,
            "kept": n_total - np.cumsum(removed, dtype=np.int64),
            "removed_amount": np.round(amounts_removed, 2),  # cents: the order of summation cannot show
        }
    ).astype({"removed": "int64", "kept": "int64", "removed_amount": "float64"})


def _pandas_report(df: pd.DataFrame, flags: pd.Series, rules: CleaningRules) -> pd.DataFrame:
    amount = df["amount"] if "amount" in df.columns else pd.Series(0.0, index=df.index)
    counts = (
        pd.DataFrame({"rule": flags, "amount": amount})
        .dropna(subset=["rule"])
        .groupby("rule")["amount"]
        .agg(removed="size", removed_amount="sum")
        .reset_index()
    )
    return report_from_counts(counts, len(df), rules, amounts="amount" in df.columns)


def cleaning_report(tx: Source, *, rules: CleaningRules | None = None, engine: str = "duckdb") -> pd.DataFrame:
    """How many lines each rule removes and how many remain after it.

    Parameters
    ----------
    tx : DataFrame or path of a Parquet file
        Transaction or basket lines in canonical columns.
    rules : CleaningRules, optional
        Rules and non-product codes (default: all rules, `NON_PRODUCT_CODES`).
    engine : {"duckdb", "pandas"}
        Which engine computes the counts (identical results).

    Returns
    -------
    DataFrame
        One row per rule, in order: ``rule``, ``removed`` (lines this rule removed that no earlier
        rule did), ``kept`` (lines left after it), ``removed_amount`` (their total ``amount``; NaN
        when the lines have no ``amount``).
    """
    rules = rules or CleaningRules()
    check_engine(engine)
    columns = source_columns(tx)
    if engine == "pandas":
        df = read_source(tx)
        return _pandas_report(df, first_rule(df, rules), rules)
    con, table = connect(tx)
    with con:
        counts = con.sql(report_sql(rules, columns, table)).df()
    total = int(counts["removed"].sum())
    return report_from_counts(counts.dropna(subset=["rule"]), total, rules, amounts="amount" in columns)


def clean(tx: Source, *, rules: CleaningRules | None = None, engine: str = "duckdb") -> CleaningResult:
    """Remove cancellations, lines without a customer, non-product codes, non-positive prices and quantities.

    Returns the kept lines (in their original order, index reset), `cleaning_report` and the rules.

    Examples
    --------
    >>> tx = pd.DataFrame({"invoice_id": ["1", "C2"], "customer_id": ["a", "a"], "item_id": ["x", "x"],
    ...                    "quantity": [1, -1], "unit_price": [2.0, 2.0], "amount": [2.0, -2.0]})
    >>> clean(tx).report[["rule", "removed", "kept"]].head(2).to_dict("list")
    {'rule': ['cancellation', 'missing_customer'], 'removed': [1, 0], 'kept': [1, 1]}
    >>> baskets = pd.DataFrame({"invoice_id": ["1", "1", "2"], "item_id": ["85123A", "POST", "22633"]})
    >>> clean(baskets, rules=BASKET_RULES).data["item_id"].tolist()
    ['85123A', '22633']
    """
    rules = rules or CleaningRules()
    check_engine(engine)
    df = read_source(tx)
    if engine == "pandas":
        flags = first_rule(df, rules)
        report = _pandas_report(df, flags, rules)
        kept = df[flags.isna().to_numpy()].reset_index(drop=True)
    else:
        report = cleaning_report(df, rules=rules, engine=engine)
        used = sorted({rules.column(r) for r in applicable(rules, list(df.columns))})
        # DuckDB scans a frame in parallel and may return rows in another order: number them, keep the numbers.
        numbered = df[used].reset_index(drop=True).assign(**{_ROW: np.arange(len(df))})
        con, table = connect(numbered)
        with con:
            rows = con.sql(
                f"SELECT {_ROW} FROM {table} WHERE ({rule_case_sql(rules, used)}) IS NULL ORDER BY {_ROW}"
            ).df()[_ROW]
        kept = df.iloc[rows.to_numpy()].reset_index(drop=True)
    if len(df) and not len(kept):
        refuse_nothing_kept(report, rules)
    return CleaningResult(kept, report, rules)


def refuse_nothing_kept(report: pd.DataFrame, rules: CleaningRules) -> None:
    """Raise InputError naming the rules that removed every line (both engines call it when none is kept)."""
    removed = report[report["removed"] > 0]
    labels = rule_labels(removed["rule"].tolist(), codes=rules.non_product_codes)
    reasons = t("common.list_sep").join(
        t("data.removed_by", rule=label, n=f"{n:,}") for label, n in zip(labels, removed["removed"], strict=True)
    )
    raise InputError(t("data.all_removed", n=f"{int(report['removed'].sum()):,}", reasons=reasons))


def rule_labels(
    rules: Sequence[str], *, codes: Sequence[str] = NON_PRODUCT_CODES, lang: str | None = None
) -> list[str]:
    """What each rule removes, in words (the non-product rule lists ``codes``)."""
    joined = ", ".join(codes)
    return [t(f"data.rule.{r}", lang, codes=joined) for r in rules]


def report_table(report: pd.DataFrame, *, codes: Sequence[str] = NON_PRODUCT_CODES, lang: str | None = None) -> Styler:
    """`cleaning_report` for the report: rules in words, counts with separators, amounts with 2 decimals.

    ``codes``: the non-product codes used (`CleaningResult.rules.non_product_codes`).
    """
    table = report.assign(rule=rule_labels(report["rule"].tolist(), codes=codes, lang=lang))
    kinds = {"rule": "text", "removed": "count", "kept": "count", "removed_amount": "money"}
    return display_table(table, headings="data.col", kinds=kinds, lang=lang)
