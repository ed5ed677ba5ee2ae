"""Canonical columns of each data kind, and validation with errors a user can act on.

Five kinds: ``transactions`` (one row per invoice line), ``customers`` (one row per customer),
``labelled`` (features plus a target), ``churn_events`` (one row per customer who left) and
``panel`` (one row per customer and period).

Validator choice: a small validator of our own, not pandera. We have five short schemas, and what
matters most is the message: it must name the column, show the first bad rows and say how to fix
the file, in plain words, in English or Chinese (messages come from ``data/messages.yaml``).
pandera would add a heavy dependency and its reports are written for programmers. Each
`Column` also carries an English and a Chinese description, from which ``data/dictionary.md`` is
generated (`dictionary_markdown`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.checks import SHOW, did_you_mean, row_examples, row_numbers
from crmlab.core.errors import InputError
from crmlab.core.i18n import t

KINDS = ("transactions", "customers", "labelled", "churn_events", "panel")


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``dtype`` is ``"id"`` (text identifier), ``"text"``, ``"number"``, ``"datetime"`` or ``"any"``.
    ``required``: the column must be present. ``nullable``: its cells may be empty.
    ``low``/``high``: inclusive bounds for numbers, when given.
    """

    name: str
    dtype: str
    required: bool
    nullable: bool
    description_en: str
    description_zh: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Schema:
    """The canonical columns of one data kind."""

    kind: str
    description_en: str
    description_zh: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        """Canonical column names, in order."""
        return [c.name for c in self.columns]


SCHEMAS: dict[str, Schema] = {
    "transactions": Schema(
        "transactions",
        "One row per invoice line (an item bought, returned or cancelled).",
        "每行是一条发票明细（一次购买、退货或取消的商品）。",
        (
            Column(
                "customer_id",
                "id",
                False,
                True,
                "Customer identifier; may be empty for anonymous (guest) purchases.",
                "客户编号；匿名（游客）购买可为空。",
            ),
            Column(
                "invoice_id",
                "id",
                True,
                False,
                "Invoice, order or basket identifier; lines of one basket share it. "
                "An id starting with 'C' marks a cancellation.",
                "发票、订单或购物篮编号；同一购物篮的各行编号相同。以 'C' 开头表示取消单。",
            ),
            Column(
                "item_id",
                "id",
                True,
                False,
                "Product (SKU) identifier; taken from item_name when the file has only names.",
                "商品编号（SKU）；文件中只有商品名称时取 item_name。",
            ),
            Column("item_name", "text", False, True, "Product name.", "商品名称。"),
            Column(
                "quantity",
                "number",
                True,
                False,
                "Units on the line; negative for returns and cancellations.",
                "该行数量；退货和取消为负数。",
            ),
            Column("unit_price", "number", False, True, "Price of one unit.", "单价。"),
            Column(
                "amount",
                "number",
                True,
                False,
                "Line revenue; computed as quantity x unit_price when the file has no amount.",
                "该行金额；文件中没有金额时按 数量 × 单价 计算。",
            ),
            Column(
                "timestamp",
                "datetime",
                True,
                False,
                "Date and time of the invoice.",
                "发票日期和时间。",
            ),
        ),
    ),
    "customers": Schema(
        "customers",
        "One row per customer, with any number of attribute columns (age, region, segment, ...).",
        "每行一位客户，可带任意多个属性列（年龄、地区、细分群体等）。",
        (
            Column(
                "customer_id",
                "id",
                True,
                False,
                "Customer identifier, unique.",
                "客户编号，不可重复。",
            ),
        ),
        unique=("customer_id",),
    ),
    "labelled": Schema(
        "labelled",
        "One row per case: feature columns plus one target column (churned, fraud, class, ...) "
        "named by the target parameter.",
        "每行一个样本：若干特征列加一个目标列（是否流失、是否欺诈、类别等），由 target 参数指定。",
        (
            Column(
                "customer_id",
                "id",
                False,
                True,
                "Case or customer identifier (optional; not used as a feature).",
                "样本或客户编号（可选；不作为特征）。",
            ),
        ),
    ),
    "churn_events": Schema(
        "churn_events",
        "One row per customer who left, with the date, the cause and what the customer was worth.",
        "每行一位流失客户，包括流失日期、原因及其价值。",
        (
            Column("customer_id", "id", True, False, "Customer identifier.", "客户编号。"),
            Column(
                "churn_date",
                "datetime",
                False,
                True,
                "Date the customer left.",
                "客户流失日期。",
            ),
            Column(
                "reason",
                "text",
                False,
                True,
                "Stated or coded cause of leaving.",
                "流失原因（陈述或编码）。",
            ),
            Column(
                "revenue",
                "number",
                False,
                True,
                "Yearly revenue from the customer.",
                "该客户的年收入。",
            ),
            Column(
                "margin",
                "number",
                False,
                True,
                "Profit margin as a fraction between 0 and 1.",
                "利润率，0 到 1 之间的小数。",
                low=0.0,
                high=1.0,
            ),
        ),
    ),
    "panel": Schema(
        "panel",
        "One row per customer and period (a customer x period panel), with any number of attribute columns.",
        "每行是一位客户在一个时期的记录（客户 × 时期面板），可带任意多个属性列。",
        (
            Column("customer_id", "id", True, False, "Customer identifier.", "客户编号。"),
            Column(
                "period",
                "any",
                True,
                False,
                "Period of the row (a number, a month or a date); each customer appears once per period.",
                "该行所属时期（数字、月份或日期）；每位客户在每个时期只出现一次。",
            ),
        ),
        unique=("customer_id", "period"),
    ),
}


def schema(kind: str) -> Schema:
    """The schema of ``kind``; an unknown kind raises InputError with a suggestion."""
    if kind not in SCHEMAS:
        raise InputError(
            t(
                "data.unknown_kind",
                kind=kind,
                hint=did_you_mean(kind, KINDS),
                kinds=", ".join(KINDS),
            )
        )
    return SCHEMAS[kind]


def require_nonempty(df: pd.DataFrame, *, context: str) -> None:
    """Raise InputError if ``df`` has no rows."""
    if len(df) == 0:
        raise InputError(t("data.empty", context=context))


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, context: str) -> None:
    """Raise InputError naming the columns ``df`` lacks, with a did-you-mean hint for the first."""
    present = [str(c) for c in df.columns]
    missing = [column for column in columns if column not in df.columns]
    if missing:
        also = t("data.also_missing", columns=", ".join(missing[1:])) if missing[1:] else ""
        raise InputError(
            t(
                "data.missing_column",
                context=context,
                column=missing[0],
                hint=did_you_mean(missing[0], present),
                present=", ".join(present) or "-",
            )
            + also
        )


def _raise_unconverted(key: str, values: pd.Series, converted: pd.Series, column: str, context: str) -> None:
    """Raise InputError ``key`` naming the cells of ``values`` that were present but failed to convert."""
    bad = np.flatnonzero(converted.isna().to_numpy() & values.notna().to_numpy())
    if len(bad):
        raise InputError(t(key, context=context, column=column, n=len(bad), examples=row_examples(bad, values)))


def _to_number(values: pd.Series, column: str, context: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    if pd.api.types.is_numeric_dtype(values):
        return values
    converted = pd.to_numeric(values, errors="coerce")
    _raise_unconverted("data.not_numeric", values, converted, column, context)
    return converted


def require_numeric(df: pd.DataFrame, columns: Iterable[str], *, context: str) -> pd.DataFrame:
    """Return a copy of ``df`` whose ``columns`` are numeric.

    Text that reads as a number is converted; any other cell raises InputError naming the column
    and the first bad rows. Empty cells stay empty.
    """
    columns = list(columns)
    require_columns(df, columns, context=context)
    out = df.copy()
    for column in columns:
        out[column] = _to_number(df[column], column, context)
    return out


def require_finite(df: pd.DataFrame, columns: Iterable[str], *, context: str) -> pd.DataFrame:
    """Return a copy of ``df`` whose ``columns`` are floats; missing, non-numeric or infinite cells raise InputError.

    The message names the column and the first bad rows (counted from 1).
    """
    columns = list(columns)
    require_columns(df, columns, context=context)
    out = df.copy()
    for column in columns:
        values = pd.to_numeric(df[column], errors="coerce").astype("float64")
        bad = np.flatnonzero(~np.isfinite(values.to_numpy()))
        if len(bad):
            raise InputError(t("data.not_finite", context=context, column=column, n=len(bad), rows=row_numbers(bad)))
        out[column] = values
    return out


def _numbers_as_dates(values: pd.Series, column: str, context: str) -> pd.Series:
    """Whole numbers written YYYYMMDD (20240131) as dates; any other number raises InputError.

    A number is never read as a count of nanoseconds since 1970, which is what pandas would do.
    """
    present = values.dropna()
    whole = bool((present == np.floor(present)).all())
    if whole and present.between(1000_01_01, 9999_12_31).all():
        text = values.astype("Int64").astype("string")
        converted = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        _raise_unconverted("data.not_datetime", values, converted, column, context)
        return converted
    bad = np.flatnonzero(values.notna().to_numpy())
    raise InputError(t("data.dates_as_numbers", context=context, column=column, examples=row_examples(bad, values)))


def require_not_future(dates: pd.Series, *, column: str, context: str) -> None:
    """Raise InputError when ``dates`` holds days after today.

    Called where an analysis date defaults to the last date in the data: a mistyped year (2099)
    would silently move it into the future and change every figure.
    """
    values = pd.to_datetime(dates)
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert(None)
    today = pd.Timestamp.today().normalize()
    future = values[values >= today + pd.Timedelta(days=1)]
    if len(future):
        raise InputError(
            t(
                "data.future_dates",
                context=context,
                column=column,
                n=len(future),
                today=today.date().isoformat(),
                latest=future.max().date().isoformat(),
            )
        )


def to_dates(values: pd.Series, column: str, *, context: str) -> pd.Series:
    """``values`` as datetime64; blank cells are missing, other text that is not a date raises InputError.

    The one date conversion: the message names the column and the first bad rows. Numbers are dates
    only when written YYYYMMDD (`_numbers_as_dates`).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return _numbers_as_dates(values, column, context)
    if values.dtype == object:
        values = values.mask(values.astype("str").str.strip().eq("") & values.notna())
    try:
        with warnings.catch_warnings():  # dates in several formats are parsed one by one below
            warnings.simplefilter("ignore", UserWarning)
            return pd.to_datetime(values)
    except (ValueError, TypeError):
        converted = pd.to_datetime(values, errors="coerce", format="mixed")
    _raise_unconverted("data.not_datetime", values, converted, column, context)
    return converted


def _to_id(values: pd.Series) -> pd.Series:
    """Identifiers as text. Whole numbers stored as floats (``17850.0``) become ``"17850"``."""
    if pd.api.types.is_float_dtype(values):
        finite = values.dropna()
        if (finite == np.floor(finite)).all():
            values = values.astype("Int64")
    text = _to_text(values)
    present = text.dropna()
    if len(present) and present.str.fullmatch(r"-?\d+\.0").all():
        text = text.str.removesuffix(".0")
    return text


def _to_text(values: pd.Series) -> pd.Series:
    return values.astype("str").where(values.notna())


def _check_not_null(df: pd.DataFrame, column: str, context: str, key: str = "data.null_values") -> None:
    missing = np.flatnonzero(df[column].isna().to_numpy())
    if len(missing):
        raise InputError(
            t(
                key,
                context=context,
                column=column,
                n=len(missing),
                rows=row_numbers(missing),
            )
        )


def _check_range(values: pd.Series, col: Column, context: str) -> None:
    low = -np.inf if col.low is None else col.low
    high = np.inf if col.high is None else col.high
    bad = np.flatnonzero(((values < low) | (values > high)).fillna(False).to_numpy())
    if len(bad):
        raise InputError(
            t(
                "data.out_of_range",
                context=context,
                column=col.name,
                low=col.low,
                high=col.high,
                n=len(bad),
                examples=row_examples(bad, values),
            )
        )


def _coerce(values: pd.Series, col: Column, context: str) -> pd.Series:
    if col.dtype == "id":
        return _to_id(values)
    if col.dtype == "text":
        return _to_text(values)
    if col.dtype == "number":
        return _to_number(values, col.name, context)
    if col.dtype == "datetime":
        return to_dates(values, col.name, context=context)
    return values


def _add_item_id(df: pd.DataFrame) -> pd.DataFrame:
    """Transactions with product names but no ``item_id``: the name identifies the product."""
    if "item_id" in df.columns or "item_name" not in df.columns:
        return df
    return df.assign(item_id=df["item_name"])


def _add_amount(df: pd.DataFrame, context: str) -> pd.DataFrame:
    """Transactions without ``amount``: compute it from quantity and unit_price."""
    if "amount" in df.columns:
        return df
    if "unit_price" not in df.columns:
        raise InputError(t("data.no_amount", context=context))
    out = require_numeric(df, ["quantity", "unit_price"], context=context)
    out["amount"] = out["quantity"] * out["unit_price"]
    return out


def labelled_target(df: pd.DataFrame, target: str | None, *, context: str) -> str:
    """The target column of labelled data: ``target``, else ``"target"``; checked to be present and filled.

    Raises InputError when there is none, it is missing, it has empty cells or there is no feature.
    """
    target = target or ("target" if "target" in df.columns else None)
    if target is None:
        raise InputError(t("data.no_target", context=context))
    require_columns(df, [target], context=context)
    if len([c for c in df.columns if c not in (target, "customer_id")]) == 0:
        raise InputError(t("data.no_features", context=context, target=target))
    _check_not_null(df, target, context, key="data.target_null")
    return target


def _check_unique(df: pd.DataFrame, columns: tuple[str, ...], context: str) -> None:
    key = df[list(columns)]
    repeated = key[key.duplicated()].drop_duplicates()
    if len(repeated):
        values = [
            repr(row[0]) if len(row) == 1 else repr(tuple(row)) for row in repeated.head(SHOW).itertuples(index=False)
        ]
        shown = ", ".join(values) + (", ..." if len(repeated) > SHOW else "")
        key_name = "', '".join(columns)
        message = "data.duplicate_key" if len(columns) == 1 else "data.duplicate_pair"
        raise InputError(t(message, context=context, column=key_name, n=len(repeated), examples=shown))


def validate(
    df: pd.DataFrame,
    kind: str,
    *,
    target: str | None = None,
    context: str | None = None,
) -> pd.DataFrame:
    """Check ``df`` against the schema of ``kind``; return a copy with canonical types.

    Parameters
    ----------
    df
        The data, already in canonical column names (see `crmlab.data.read` for mapping).
    kind
        ``"transactions"``, ``"customers"``, ``"labelled"``, ``"churn_events"`` or ``"panel"``.
    target
        For ``labelled``: the target column (default ``"target"``). Callers pass it on to the methods
        that need it; the returned frame does not carry it.
    context
        Where the data comes from, used at the start of error messages (default: the kind).

    Returns
    -------
    DataFrame
        Canonical columns first, in schema order, then the other columns unchanged. Identifiers
        are text (whole numbers written as floats, ``17850.0``, become ``"17850"``), numbers
        numeric, dates datetime64. For transactions, ``amount`` is added as
        quantity x unit_price when absent, and ``item_id`` as ``item_name`` when only names are given.

    Raises
    ------
    InputError
        Naming the column, the first bad rows and how to fix them.
    """
    spec = schema(kind)
    context = context or kind
    require_nonempty(df, context=context)
    out = df.copy()
    required = [c.name for c in spec.columns if c.required]
    if kind == "transactions":  # item_id may come from item_name, amount from quantity x unit_price
        out = _add_item_id(out)
        require_columns(out, [c for c in required if c != "amount"], context=context)
        out = _add_amount(out, context)
    require_columns(out, required, context=context)
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        out[col.name] = _coerce(out[col.name], col, context)
        if not col.nullable:
            _check_not_null(out, col.name, context)
        if col.low is not None or col.high is not None:
            _check_range(out[col.name], col, context)
    if spec.unique:
        _check_unique(out, spec.unique, context)
    if kind == "labelled":
        labelled_target(out, target, context=context)
    canonical = [c for c in spec.names if c in out.columns]
    return out[canonical + [c for c in out.columns if c not in canonical]]


def dictionary_markdown() -> str:
    """The data dictionary (``data/dictionary.md``), in Chinese and English, from the schemas."""
    lines = [
        "# Data dictionary / 数据字典",
        "",
        "Generated from `crmlab.data.schemas` by `crmlab.data.schemas.dictionary_markdown()`; do not edit by hand.",
        "由 `crmlab.data.schemas.dictionary_markdown()` 根据 `crmlab.data.schemas` 生成，请勿手工修改。",
        "",
        "Types / 类型: id = identifier, text / 标识符、文本; number / 数字; datetime / 日期时间.",
    ]
    for spec in SCHEMAS.values():
        lines += [
            "",
            f"## {spec.kind}",
            "",
            spec.description_en,
            "",
            spec.description_zh,
            "",
            "| column / 列 | type / 类型 | required / 必需 | may be empty / 可为空 | description | 说明 |",
            "|---|---|---|---|---|---|",
        ]
        for c in spec.columns:
            required = "yes / 是" if c.required else "no / 否"
            nullable = "yes / 是" if c.nullable else "no / 否"
            lines.append(
                f"| `{c.name}` | {c.dtype} | {required} | {nullable} | {c.description_en} | {c.description_zh} |"
            )
    return "\n".join(lines) + "\n"
