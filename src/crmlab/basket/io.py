"""Basket lines: reading a basket file, the demo data, cleaning, and baskets as lists of items.

``file or named data set -> lines (invoice_id, item[, item_id, customer_id, quantity]) -> baskets``

Two file layouts are read: a table with one row per basket line (a basket id column such as
``InvoiceNo`` / ``订单号`` and an item column such as ``Description`` / ``商品名称``), and one basket
per line with its items separated by commas, tabs, semicolons or spaces (the FIMI ``.dat`` format).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_choice
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import get_lang, t
from crmlab.data import available, detect_encoding, load, read
from crmlab.data.schemas import require_columns

__all__ = [
    "BASKET_COLUMNS",
    "INPUT_FORMATS",
    "ITEM_COLUMNS",
    "NON_PRODUCT_CODES",
    "baskets_of",
    "clean_basket_lines",
    "lines_table",
    "load_basket_lines",
    "load_customers",
    "localized_dataset",
    "read_basket_lines",
]

#: Column names recognised as the basket (invoice) id, first match wins; mapped to ``invoice_id``.
BASKET_COLUMNS: tuple[str, ...] = (
    "invoice_id",
    "basket_id",
    "order_id",
    "transaction_id",
    "InvoiceNo",
    "Invoice",
    "BillNo",
    "订单号",
    "订单编号",
    "小票号",
    "交易编号",
    "购物篮编号",
    "发票号",
)
#: Column names recognised as the item, first match wins (a name before a code); mapped to ``item``.
ITEM_COLUMNS: tuple[str, ...] = (
    "item",
    "item_name",
    "Description",
    "product_name",
    "Itemname",
    "商品",
    "商品名称",
    "商品名",
    "item_id",
    "StockCode",
    "product_id",
    "sku",
    "商品编号",
)
#: Other columns kept when recognised: the file's name -> canonical name.
OTHER_COLUMNS: dict[str, str] = {
    "customer_id": "customer_id",
    "CustomerID": "customer_id",
    "Customer ID": "customer_id",
    "客户编号": "customer_id",
    "会员号": "customer_id",
    "quantity": "quantity",
    "Quantity": "quantity",
    "数量": "quantity",
    "item_id": "item_id",
    "StockCode": "item_id",
    "商品编号": "item_id",
}
#: Item codes that are not products (Online Retail: postage, manual, discounts, fees, samples).
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
#: ``auto``: detect; ``lines``: one row per basket line; ``baskets``: one basket per line.
INPUT_FORMATS: tuple[str, ...] = ("auto", "lines", "baskets")
_TABLE_EXTENSIONS = (".xlsx", ".xlsm", ".parquet", ".pq")
#: Kind of number of the columns of basket lines in `lines_table`.
_LINE_KINDS = {"invoice_id": "text", "customer_id": "text", "item_id": "text", "quantity": "count", "amount": "money"}


def _find(header: Sequence[str], names: Sequence[str]) -> str | None:
    lowered = {str(h).strip().lower(): h for h in header}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _separator(line: str) -> str | None:
    """The commonest of comma, tab, semicolon and bar in ``line``; None when it has none (spaces)."""
    sep = max((",", "\t", ";", "|"), key=line.count)
    return sep if line.count(sep) else None


def _detect_format(path: Path) -> str:
    """``"lines"`` when the file has a header with a basket and an item column, else ``"baskets"``."""
    if path.suffix.lower() in _TABLE_EXTENSIONS:
        return "lines"
    with path.open(encoding=detect_encoding(path)) as handle:
        first = handle.readline()
    sep = _separator(first)
    cells = next(csv.reader([first], delimiter=sep or " ", skipinitialspace=True), [])
    cells = [c.strip() for c in cells]
    return "lines" if _find(cells, BASKET_COLUMNS) and _find(cells, ITEM_COLUMNS) else "baskets"


def _read_one_per_line(path: Path) -> pd.DataFrame:
    text = path.read_text(encoding=detect_encoding(path))
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(t("basket.err.empty_file", path=path.name))
    sep = _separator(lines[0])
    ids, items = [], []
    for number, line in enumerate(lines, start=1):
        for item in line.split(sep):
            if item.strip():
                ids.append(str(number))
                items.append(item.strip())
    return pd.DataFrame({"invoice_id": ids, "item": items})


def read_basket_lines(
    path: str | Path,
    *,
    input_format: str = "auto",
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a basket file into one row per (basket, item).

    Parameters
    ----------
    path
        CSV/TSV/TXT (any of UTF-8, UTF-8 with BOM, GBK/GB18030), Excel or Parquet.
    input_format
        ``"lines"``: a table with one row per basket line (a basket id column such as
        ``InvoiceNo``/``订单号`` and an item column such as ``Description``/``商品名称``; see
        `BASKET_COLUMNS` and `ITEM_COLUMNS`). ``"baskets"``: one basket per line, items separated
        by commas, tabs, semicolons or spaces (the FIMI ``.dat`` format). ``"auto"``: ``"lines"``
        when the first line is a header naming a basket and an item column, else ``"baskets"``.
    columns
        For ``"lines"``: maps your column names to ``invoice_id``, ``item``, ``item_id``,
        ``customer_id`` or ``quantity`` when they are not recognised.
    sheet
        For an Excel file: the sheet to read (None: the first).

    Returns
    -------
    DataFrame
        ``invoice_id`` and ``item`` (text), plus ``item_id``, ``customer_id`` and ``quantity`` when
        the file has them.
    """
    path = Path(path)
    check_choice(input_format, "input_format", INPUT_FORMATS)
    if not path.is_file():
        raise InputError(t("data.file_missing", path=path, cwd=Path.cwd()))
    if path.stat().st_size == 0:
        raise InputError(t("basket.err.empty_file", path=path.name))
    fmt = _detect_format(path) if input_format == "auto" else input_format
    if fmt == "baskets":
        return _check_lines(_read_one_per_line(path), context=path.name)
    raw = read(path, columns=columns, sheet=sheet)
    return _check_lines(_canonical_lines(raw, context=path.name), context=path.name)


def _canonical_lines(raw: pd.DataFrame, *, context: str) -> pd.DataFrame:
    header = [str(c) for c in raw.columns]
    basket = _find(header, BASKET_COLUMNS)
    item = _find(header, ITEM_COLUMNS)
    for found, role, known in ((basket, "invoice_id", BASKET_COLUMNS), (item, "item", ITEM_COLUMNS)):
        if found is None:
            raise InputError(
                t(
                    "basket.err.no_column",
                    context=context,
                    role=role,
                    names=", ".join(known[:6]),
                    present=", ".join(header),
                )
            )
    out = pd.DataFrame({"invoice_id": raw[basket].astype("string").str.strip()})
    names = raw[item].astype("string").str.strip()
    for source, target in OTHER_COLUMNS.items():
        if source in raw.columns and source not in (basket,) and target not in out.columns:
            out[target] = raw[source]
    if "item_id" in out.columns and item != _find(header, ("item_id", "StockCode", "商品编号")):
        names = names.fillna(out["item_id"].astype("string").str.strip())
    out["item"] = names
    if "item_id" in out.columns:
        out["item_id"] = out["item_id"].astype("string").str.strip()
    if "customer_id" in out.columns:
        out["customer_id"] = _id_text(out["customer_id"])
    if "quantity" in out.columns:
        out["quantity"] = pd.to_numeric(out["quantity"], errors="coerce")
    return out


def _id_text(values: pd.Series) -> pd.Series:
    """Ids as text; whole floats such as ``17850.0`` become ``"17850"``."""
    numeric = pd.to_numeric(values, errors="coerce")
    whole = numeric.notna() & (numeric == numeric.round())
    text = values.astype("string").str.strip()
    return text.mask(whole, numeric.round().astype("Int64").astype("string"))


def _check_lines(lines: pd.DataFrame, *, context: str) -> pd.DataFrame:
    lines = lines.dropna(subset=["invoice_id", "item"])
    lines = lines[(lines["item"] != "") & (lines["invoice_id"] != "")]
    if lines.empty:
        raise InputError(t("basket.err.no_baskets", context=context))
    if lines["item"].nunique() < 2:
        raise InputError(t("basket.err.one_item", context=context, item=lines["item"].iloc[0]))
    return lines.reset_index(drop=True)


def localized_dataset(dataset: str, lang: str | None = None) -> str:
    """The Chinese twin ``<dataset>_zh`` of a named data set in a Chinese report, when the catalogue has one.

    >>> localized_dataset("synthetic_baskets", "zh"), localized_dataset("synthetic_baskets", "en")
    ('synthetic_baskets_zh', 'synthetic_baskets')
    """
    twin = f"{dataset}_zh"
    return twin if (lang or get_lang()) == "zh" and twin in set(available()["name"]) else dataset


def load_basket_lines(
    input_path: str | Path = "",
    *,
    dataset: str = "synthetic_baskets",
    input_format: str = "auto",
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    clean: bool = True,
    lang: str | None = None,
) -> pd.DataFrame:
    """Basket lines of ``input_path``, or of the named data set ``dataset`` when it is empty.

    ``input_format``, ``columns`` and ``sheet`` are passed to `read_basket_lines`. A data set with
    a Chinese twin (``synthetic_baskets`` / ``synthetic_baskets_zh``) gives item names in the
    report's language (`localized_dataset`). With ``clean``, the lines go through
    `clean_basket_lines`.
    """
    if input_path:
        lines = read_basket_lines(input_path, input_format=input_format, columns=columns, sheet=sheet)
    else:
        lines = load(localized_dataset(dataset, lang))
    return clean_basket_lines(lines) if clean else lines


def load_customers(
    customers_path: str | Path = "",
    *,
    customers_dataset: str = "synthetic_basket_customers",
    input_path: str | Path = "",
    lang: str | None = None,
) -> pd.DataFrame | None:
    """Customer attributes of ``customers_path``.

    Without ``customers_path``: the named data set ``customers_dataset`` (in the report's language,
    `localized_dataset`) when the baskets are named data too (no ``input_path``), else None (the
    customers of a user's baskets are unknown).
    """
    if customers_path:
        return read(customers_path, kind="customers")
    if input_path or not customers_dataset:
        return None
    return load(localized_dataset(customers_dataset, lang))


def clean_basket_lines(
    lines: pd.DataFrame,
    *,
    non_product_codes: Iterable[str] = NON_PRODUCT_CODES,
    drop_cancellations: bool = True,
) -> pd.DataFrame:
    """Drop lines that are not purchases of products (the Online Retail cleaning rules).

    Removes cancellations (``invoice_id`` starting with ``C``), lines with quantity <= 0 (returns,
    adjustments) when there is a ``quantity`` column, and lines whose ``item_id`` (or ``item``) is
    one of ``non_product_codes`` (case-insensitive). Returns a new frame; ``lines`` is unchanged.
    """
    keep = pd.Series(True, index=lines.index)
    if drop_cancellations:
        keep &= ~lines["invoice_id"].astype("string").str.upper().str.startswith("C").fillna(False)
        if "quantity" in lines.columns:
            keep &= pd.to_numeric(lines["quantity"], errors="coerce").fillna(1) > 0
    codes = {str(c).strip().upper() for c in non_product_codes}
    code_col = "item_id" if "item_id" in lines.columns else "item"
    keep &= ~lines[code_col].astype("string").str.strip().str.upper().isin(codes).fillna(False)
    return _check_lines(lines[keep], context=t("basket.context.lines"))


def baskets_of(lines: pd.DataFrame, *, basket_col: str = "invoice_id", item_col: str = "item") -> list[list[str]]:
    """The baskets as lists of distinct items, in order of first appearance of each basket.

    >>> baskets_of(pd.DataFrame({"invoice_id": ["1", "1", "2", "1"], "item": ["tea", "milk", "tea", "tea"]}))
    [['tea', 'milk'], ['tea']]
    """
    require_columns(lines, [basket_col, item_col], context=t("basket.context.lines"))
    pairs = lines[[basket_col, item_col]].dropna().drop_duplicates()
    grouped = pairs.groupby(basket_col, sort=False)[item_col].agg(list)
    return grouped.tolist()


def lines_table(lines: pd.DataFrame, *, n_rows: int = 5, lang: str | None = None) -> Styler:
    """The first ``n_rows`` basket lines as a report shows them (headings in ``lang``, no row numbers)."""
    head = lines.head(n_rows)
    return display_table(
        head,
        headings="basket.col",
        kinds={c: k for c, k in _LINE_KINDS.items() if c in head.columns},
        lang=lang,
    )
