"""Basket lines: reading a basket file, the demo data, cleaning, and baskets as lists of items.

``file or named data set -> BasketInput (lines, column mapping, layout) -> cleaned lines (invoice_id, item[, item_id,
customer_id, quantity]) -> baskets``

Two file layouts are read: a table with one row per basket line (a basket id column such as
``InvoiceNo`` / ``订单号`` and an item column such as ``Description`` / ``商品名称``, recognised through
the data layer's one alias table, `crmlab.data.columns.ALIASES`), and one basket per line with its
items separated by commas, tabs, semicolons or spaces (the FIMI ``.dat`` format); `crmlab.basket.layout`
tells them apart. A file with a single basket is refused. Cleaning is the data
layer's one cleaner with its basket rules and its one list of non-product codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.basket.layout import BASKET_ROLES, ITEM_ROLES, Layout, detect_layout, layout_text, split_line
from crmlab.core.checks import check_choice
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import get_lang, sentences, t
from crmlab.data import Loaded, available, describe_input, detect_encoding, load_input, read
from crmlab.data.cleaning import BASKET_RULES, NON_PRODUCT_CODES, CleaningResult, CleaningRules, clean
from crmlab.data.columns import ALIASES, resolve_columns
from crmlab.data.io import line_separator
from crmlab.data.schemas import require_columns, require_numeric

__all__ = [
    "BASKET_ROLES",
    "INPUT_FORMATS",
    "BasketInput",
    "basket_rules",
    "baskets_of",
    "clean_basket_lines",
    "input_text",
    "lines_table",
    "load_basket_lines",
    "load_customers",
    "localized_dataset",
    "read_basket_lines",
]

#: ``auto``: detect; ``lines``: one row per basket line; ``baskets``: one basket per line.
INPUT_FORMATS: tuple[str, ...] = ("auto", "lines", "baskets")
#: Kind of number of the columns of basket lines in `lines_table`.
_LINE_KINDS = {
    "invoice_id": "text",
    "customer_id": "text",
    "item_id": "text",
    "quantity": "count",
    "amount": "money",
    "timestamp": "{:%Y-%m-%d %H:%M}",
}


def _read_one_per_line(path: Path) -> pd.DataFrame:
    text = path.read_text(encoding=detect_encoding(path))
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(t("basket.err.empty_file", path=path.name))
    sep = line_separator(lines[0])
    ids, items = [], []
    for number, line in enumerate(lines, start=1):
        for item in split_line(line, sep):
            if item:
                ids.append(str(number))
                items.append(item)
    return pd.DataFrame({"invoice_id": ids, "item": items})


def _read(
    path: str | Path, *, input_format: str, columns: Mapping[str, str] | None, sheet: str | int | None
) -> tuple[pd.DataFrame, dict[str, str], Layout]:
    """The lines of a basket file, the column mapping used (empty for one basket per line) and the layout."""
    path = Path(path)
    check_choice(input_format, "input_format", INPUT_FORMATS)
    if not path.is_file():
        raise InputError(t("data.file_missing", path=path, cwd=Path.cwd()))
    if path.stat().st_size == 0:
        raise InputError(t("basket.err.empty_file", path=path.name))
    layout = detect_layout(path, input_format=input_format, columns=columns, sheet=sheet)
    if layout.format == "baskets":
        return _check_lines(_read_one_per_line(path), context=path.name), {}, layout
    raw = read(path, sheet=sheet)
    given = {**layout.inferred, **(columns or {})}
    mapping = resolve_columns(raw.columns, wanted=BASKET_ROLES, columns=given, context=path.name)
    lines = _canonical_lines(raw[list(mapping)].rename(columns=mapping), context=path.name, present=raw.columns)
    return _check_lines(lines, context=path.name), mapping, layout


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
        ``InvoiceNo``/``订单号`` and an item column such as ``Description``/``商品名称`` or
        ``StockCode``; any header of `crmlab.data.columns.ALIASES` for `BASKET_ROLES`).
        ``"baskets"``: one basket per line, items separated by commas, tabs, semicolons or spaces
        (the FIMI ``.dat`` format). ``"auto"``: decided from the header and the first lines
        (`crmlab.basket.layout.detect_layout`: a header naming a basket and an item column, a
        column repeating on consecutive rows, lines of different lengths, ...); when the evidence
        is weak, InputError shows both readings.
    columns
        For ``"lines"``: maps your column names to ``invoice_id``, ``item``, ``item_id``,
        ``customer_id`` or ``quantity`` when they are not recognised (naming a column of the
        file, it also says the file is a table of lines). A basket and an item column that
        neither the header nor ``columns`` names are taken from the data
        (`crmlab.basket.layout.infer_roles`).
    sheet
        For an Excel file: the sheet to read (None: the first).

    Returns
    -------
    DataFrame
        ``invoice_id`` and ``item`` (text: the item's name, else its code), plus ``item_id``,
        ``customer_id`` and ``quantity`` when the file has them.
    """
    return _read(path, input_format=input_format, columns=columns, sheet=sheet)[0]


@dataclass(frozen=True)
class BasketInput(Loaded):
    """`crmlab.data.Loaded` basket lines, with the layout of the file and why (`crmlab.basket.layout.Layout`)."""

    layout: Layout = Layout("lines", "dataset")


def input_text(loaded: BasketInput, lang: str | None = None) -> str:
    """The columns used as what (`crmlab.data.describe_input`), then how the file was read and why.

    The second part is `crmlab.basket.layout.layout_text`; a named data set has none.
    """
    return sentences(describe_input(loaded, lang), layout_text(loaded.layout, lang=lang), lang=lang)


def _known(role: str) -> str:
    """A few of the headers recognised for ``role`` (for a message)."""
    roles = ITEM_ROLES if role == "item" else (role,)
    names = [name for r in roles for name in (r, *ALIASES.get(r, ())[:2])]
    return ", ".join(dict.fromkeys(names))


def _canonical_lines(raw: pd.DataFrame, *, context: str, present: Iterable[object]) -> pd.DataFrame:
    """Lines in canonical columns: ``item`` is the name (``item`` or ``item_name``), else the code.

    ``present``: the file's columns, named when a basket or item column is missing.
    """
    shown = ", ".join(map(str, present))
    for role, found in (("invoice_id", "invoice_id" in raw), ("item", bool(set(ITEM_ROLES) & set(raw.columns)))):
        if not found:
            raise InputError(t("basket.err.no_column", context=context, role=role, names=_known(role), present=shown))
    out = pd.DataFrame({"invoice_id": raw["invoice_id"].astype("string").str.strip()})
    name = next(c for c in ITEM_ROLES if c in raw.columns)
    names = raw[name].astype("string").str.strip()
    if "item_id" in raw.columns:
        out["item_id"] = raw["item_id"].astype("string").str.strip()
        names = names.fillna(out["item_id"])
    out["item"] = names
    if "customer_id" in raw.columns:
        out["customer_id"] = _id_text(raw["customer_id"])
    if "quantity" in raw.columns:
        out["quantity"] = require_numeric(raw, ["quantity"], context=context)["quantity"]
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
    if lines["invoice_id"].nunique() < 2:
        raise InputError(t("basket.err.one_basket", context=context, n=len(lines), basket=lines["invoice_id"].iloc[0]))
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
) -> BasketInput:
    """Basket lines of ``input_path``, or of the named data set ``dataset`` when it is empty.

    ``input_format``, ``columns`` and ``sheet`` are passed to `read_basket_lines`. Use
    `localized_dataset` for item names in the report's language. The result states where the
    lines come from and which file columns were used as which (`crmlab.data.describe_input`),
    and how the file was read (`crmlab.basket.layout.layout_text` of ``.layout``); clean
    ``.frame`` with `clean_basket_lines`.
    """
    if not input_path:
        loaded = load_input(dataset=dataset)
        return BasketInput(**{f.name: getattr(loaded, f.name) for f in fields(loaded)})
    lines, mapping, layout = _read(input_path, input_format=input_format, columns=columns, sheet=sheet)
    return BasketInput(lines, mapping, Path(input_path).name, layout=layout)


def load_customers(
    customers_path: str | Path = "",
    *,
    customers_dataset: str = "synthetic_basket_customers",
    input_path: str | Path = "",
    columns: Mapping[str, str] | None = None,
    sheet: str | int = "",
) -> Loaded | None:
    """Customer attributes of ``customers_path`` (kind ``customers``), or of a named data set.

    ``columns`` and ``sheet`` are as in `crmlab.data.read`. Without ``customers_path``: the named
    data set ``customers_dataset`` when the baskets are named data too (no ``input_path``), else
    None (the customers of a user's baskets are unknown).
    """
    if customers_path:
        return load_input(customers_path, kind="customers", columns=columns, sheet=sheet)
    if input_path or not customers_dataset:
        return None
    return load_input(dataset=customers_dataset, kind="customers")


def basket_rules(
    columns: Iterable[str], *, non_product_codes: Iterable[str] | None = None, drop_cancellations: bool = True
) -> CleaningRules:
    """The cleaning rules of basket lines with these ``columns`` (see `clean_basket_lines`)."""
    rules = BASKET_RULES if drop_cancellations else BASKET_RULES.without("cancellation", "non_positive_quantity")
    codes = NON_PRODUCT_CODES if non_product_codes is None else tuple(non_product_codes)
    return replace(rules, non_product_codes=codes, code_col="item_id" if "item_id" in columns else "item")


def clean_basket_lines(
    lines: pd.DataFrame,
    *,
    non_product_codes: Iterable[str] | None = None,
    drop_cancellations: bool = True,
) -> CleaningResult:
    """Drop lines that are not purchases of products, with the data layer's one cleaner.

    Removes cancellations (``invoice_id`` starting with ``C``), lines with quantity <= 0 (returns,
    adjustments) when there is a ``quantity`` column, and lines whose ``item_id`` (or ``item``) is
    one of ``non_product_codes`` (case-insensitive; None: crmlab's one list,
    `crmlab.data.cleaning.NON_PRODUCT_CODES`). Lines without a customer are kept (still baskets).
    ``lines`` is unchanged.

    Returns
    -------
    CleaningResult
        ``data``: the kept lines; ``report``: lines removed and kept per rule
        (`crmlab.data.cleaning.report_table` shows it); ``rules``: the rules and codes used.
    """
    rules = basket_rules(lines.columns, non_product_codes=non_product_codes, drop_cancellations=drop_cancellations)
    if "quantity" in lines.columns:
        lines = require_numeric(lines, ["quantity"], context=t("basket.context.lines"))
    result = clean(lines, rules=rules, engine="pandas")
    return replace(result, data=_check_lines(result.data, context=t("basket.context.lines")))


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
