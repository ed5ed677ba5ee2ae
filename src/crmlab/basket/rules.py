"""Basket analysis (关联分析 / 购物篮分析): rules, cross-sell, attribute rules and purchase types.

The flow a notebook follows::

    lines = read_basket_lines(path)                     # (invoice_id, item[, customer_id]) per line
    lines = clean_basket_lines(lines)                   # cancellations, returns, non-product codes
    itemsets = mine(lines, min_support=0.01)            # exact frequent itemsets (crmlab.basket.miner)
    rules = association_rules(itemsets, min_confidence=0.3)
    rule_table(rules, lang="zh")                        # "if {A, B} then C", with counts
    cross_sell(itemsets)                                # best items to offer with each top item
    spider_web(itemsets, top_n=20)                      # nodes and edges of the 蜘蛛网图
    attribute_rules(customers, lines=lines, bands=...)  # rules over banded customer attributes
    label_customers(lines, {"trendy": ["wine", "sweets", "gourmet coffee"]})
    type_rules(customers, labels, bands=...)            # "trendy tends to be: gender = F, ..."

Metrics follow mlxtend's definitions: support = share of baskets with antecedent and consequent;
confidence = support / support(antecedent); lift = confidence / support(consequent); leverage =
support - support(antecedent) x support(consequent); conviction = (1 - support(consequent)) /
(1 - confidence), infinite when confidence is 1.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.basket.miner import EncodedBaskets, check_min_support, encode_baskets, frequent_itemsets
from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import get_lang, t
from crmlab.data import detect_encoding, load, read
from crmlab.data.synthetic.baskets import PLANTED_TYPES

__all__ = [
    "BASKET_COLUMNS",
    "ITEM_COLUMNS",
    "METRICS",
    "NON_PRODUCT_CODES",
    "SpiderWeb",
    "TypeRules",
    "association_rules",
    "attribute_rules",
    "band_attributes",
    "baskets_of",
    "attribute_rule_table",
    "clean_basket_lines",
    "cross_sell",
    "cross_sell_table",
    "default_purchase_types",
    "describe_type_rules",
    "label_baskets",
    "label_customers",
    "load_basket_lines",
    "load_customers",
    "mine",
    "pair_metrics",
    "read_basket_lines",
    "rule_table",
    "spider_web",
    "threshold_advice",
    "type_rules",
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
#: Rule metrics that can rank rules and weigh spider-web edges.
METRICS: tuple[str, ...] = ("lift", "confidence", "support", "leverage", "conviction")
INPUT_FORMATS: tuple[str, ...] = ("auto", "lines", "baskets")
_TABLE_EXTENSIONS = (".xlsx", ".xlsm", ".parquet", ".pq")


# --- reading and cleaning ---------------------------------------------------------------------


def _find(header: Sequence[str], names: Sequence[str]) -> str | None:
    lowered = {str(h).strip().lower(): h for h in header}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _detect_format(path: Path) -> str:
    """``"lines"`` when the file has a header with a basket and an item column, else ``"baskets"``."""
    if path.suffix.lower() in _TABLE_EXTENSIONS:
        return "lines"
    with path.open(encoding=detect_encoding(path)) as handle:
        first = handle.readline()
    cells = [c.strip() for c in next(csv.reader([first], dialect=_dialect(first)), [])]
    return "lines" if _find(cells, BASKET_COLUMNS) and _find(cells, ITEM_COLUMNS) else "baskets"


def _dialect(line: str) -> type[csv.Dialect]:
    sep = max((",", "\t", ";", "|"), key=line.count)

    class _Dialect(csv.excel):
        delimiter = sep if line.count(sep) else " "
        skipinitialspace = True

    return _Dialect


def _read_one_per_line(path: Path) -> pd.DataFrame:
    text = path.read_text(encoding=detect_encoding(path))
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(t("basket.empty_file", path=path.name))
    sep = max((",", "\t", ";", "|"), key=lines[0].count)
    split = (lambda s: s.split(sep)) if lines[0].count(sep) else str.split
    ids, items = [], []
    for number, line in enumerate(lines, start=1):
        for item in split(line):
            if item.strip():
                ids.append(str(number))
                items.append(item.strip())
    return pd.DataFrame({"invoice_id": ids, "item": items})


def read_basket_lines(
    path: str | Path,
    *,
    input_format: str = "auto",
    columns: Mapping[str, str] | None = None,
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

    Returns
    -------
    DataFrame
        ``invoice_id`` and ``item`` (text), plus ``item_id``, ``customer_id`` and ``quantity`` when
        the file has them.
    """
    path = Path(path)
    if input_format not in INPUT_FORMATS:
        raise ParameterError(
            f"input_format must be one of {', '.join(INPUT_FORMATS)}, got {input_format!r}."
            + did_you_mean(str(input_format), INPUT_FORMATS)
        )
    if not path.is_file():
        raise InputError(t("data.file_missing", path=path, cwd=Path.cwd()))
    if path.stat().st_size == 0:
        raise InputError(t("basket.empty_file", path=path.name))
    fmt = _detect_format(path) if input_format == "auto" else input_format
    if fmt == "baskets":
        return _check_lines(_read_one_per_line(path), context=path.name)
    raw = read(path, columns=columns)
    return _check_lines(_canonical_lines(raw, context=path.name), context=path.name)


def _canonical_lines(raw: pd.DataFrame, *, context: str) -> pd.DataFrame:
    header = [str(c) for c in raw.columns]
    basket = _find(header, BASKET_COLUMNS)
    item = _find(header, ITEM_COLUMNS)
    for found, role, known in ((basket, "invoice_id", BASKET_COLUMNS), (item, "item", ITEM_COLUMNS)):
        if found is None:
            raise InputError(
                t("basket.no_column", context=context, role=role, names=", ".join(known[:6]), present=", ".join(header))
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
        raise InputError(t("basket.no_baskets", context=context))
    if lines["item"].nunique() < 2:
        raise InputError(t("basket.one_item", context=context, item=lines["item"].iloc[0]))
    return lines.reset_index(drop=True)


def load_basket_lines(
    input_path: str | Path = "",
    *,
    input_format: str = "auto",
    columns: Mapping[str, str] | None = None,
    clean: bool = True,
    lang: str | None = None,
) -> pd.DataFrame:
    """Basket lines of ``input_path``, or of the synthetic demo data when it is empty.

    ``input_format`` and ``columns`` are passed to `read_basket_lines`. The demo data
    (`crmlab.data.synthetic.baskets`, ``synthetic_baskets`` or ``synthetic_baskets_zh`` for
    ``lang="zh"``) has item names in the report's language. With ``clean``, the lines go through
    `clean_basket_lines`.
    """
    if input_path:
        lines = read_basket_lines(input_path, input_format=input_format, columns=columns)
    else:
        lines = load("synthetic_baskets_zh" if (lang or get_lang()) == "zh" else "synthetic_baskets")
    return clean_basket_lines(lines) if clean else lines


def load_customers(
    customers_path: str | Path = "", *, input_path: str | Path = "", lang: str | None = None
) -> pd.DataFrame | None:
    """Customer attributes of ``customers_path``; the demo customers when both paths are empty; else None."""
    if customers_path:
        return read(customers_path, kind="customers")
    if input_path:
        return None
    return load("synthetic_basket_customers_zh" if (lang or get_lang()) == "zh" else "synthetic_basket_customers")


def default_purchase_types(
    purchase_types: Mapping[str, Sequence[str]] | None, *, input_path: str | Path = "", lang: str | None = None
) -> dict[str, list[str]]:
    """``purchase_types`` if given; for the demo data its planted type ("trendy" / "时尚型"); else {}."""
    if purchase_types:
        return {str(k): list(v) for k, v in purchase_types.items()}
    if input_path:
        return {}
    return dict(PLANTED_TYPES["zh" if (lang or get_lang()) == "zh" else "en"])


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
    return _check_lines(lines[keep], context="clean_basket_lines")


def baskets_of(lines: pd.DataFrame, *, basket_col: str = "invoice_id", item_col: str = "item") -> list[list[str]]:
    """The baskets as lists of distinct items, in order of first appearance of each basket."""
    for column in (basket_col, item_col):
        if column not in lines.columns:
            raise InputError(
                t(
                    "basket.missing",
                    column=column,
                    hint=did_you_mean(column, lines.columns),
                    present=", ".join(map(str, lines.columns)),
                )
            )
    pairs = lines[[basket_col, item_col]].dropna().drop_duplicates()
    grouped = pairs.groupby(basket_col, sort=False)[item_col].agg(list)
    return grouped.tolist()


# --- mining and rules -------------------------------------------------------------------------


def mine(
    lines: pd.DataFrame | Sequence[Sequence[str]] | EncodedBaskets,
    *,
    min_support: float = 0.01,
    max_len: int | None = None,
) -> pd.DataFrame:
    """Frequent itemsets of basket lines (or of a list of baskets) with `crmlab.basket.miner`.

    Returns the miner's frame (``support``, ``itemsets``, ``count``) with ``n_baskets`` in
    ``attrs`` so that `association_rules` can compute supports.
    """
    if isinstance(lines, pd.DataFrame):
        baskets: Sequence[Sequence[str]] | EncodedBaskets = baskets_of(lines)
    else:
        baskets = lines
    encoded = baskets if isinstance(baskets, EncodedBaskets) else encode_baskets(baskets)
    if encoded.n_baskets == 0:
        raise InputError(t("basket.no_baskets", context="mine"))
    itemsets = frequent_itemsets(encoded, min_support=min_support, max_len=max_len)
    itemsets.attrs["n_baskets"] = encoded.n_baskets
    itemsets.attrs["min_support"] = float(min_support)
    return itemsets


def _check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise ParameterError(
            f"metric must be one of {', '.join(METRICS)}, got {metric!r}." + did_you_mean(str(metric), METRICS)
        )
    return metric


def association_rules(
    itemsets: pd.DataFrame,
    *,
    min_confidence: float = 0.3,
    metric: str = "lift",
    min_improvement: float = 0.1,
    n_baskets: int | None = None,
) -> pd.DataFrame:
    """Association rules "if antecedent then consequent" from frequent itemsets.

    Parameters
    ----------
    itemsets
        The frame `mine` returns (columns ``itemsets`` and ``count``; ``attrs["n_baskets"]``).
    min_confidence
        Keep rules with confidence >= this, in [0, 1].
    metric
        Rank rules by this column, highest first (see `METRICS`).
    min_improvement
        Drop redundant rules: keep a rule only when its confidence is at least ``1 +
        min_improvement`` times the confidence of every simpler rule with the same consequent
        (a smaller antecedent, including the empty one, i.e. the consequent's base rate). With the
        default 0.1, "if {chips, milk} then salsa" is dropped when "if chips then salsa" is about as
        confident, and every rule has lift >= 1.1. Use 0 to keep only rules with lift >= 1 and
        a negative value such as -1 to keep every rule.
    n_baskets
        Number of baskets, when ``itemsets.attrs`` does not carry it.

    Returns
    -------
    DataFrame
        ``antecedents``, ``consequents`` (frozensets), ``antecedent_count``, ``consequent_count``,
        ``count`` (baskets with both), ``support``, ``confidence``, ``lift``, ``leverage``,
        ``conviction``; sorted by ``metric`` then by count.
    """
    _check_metric(metric)
    if not 0.0 <= float(min_confidence) <= 1.0:
        raise ParameterError(f"min_confidence must be in [0, 1], got {min_confidence!r}.")
    n = n_baskets or itemsets.attrs.get("n_baskets")
    if not n:
        raise ParameterError("association_rules needs n_baskets (pass it, or use the frame mine() returns).")
    count_of = dict(zip(itemsets["itemsets"], itemsets["count"], strict=True))
    count_of[frozenset()] = n
    factor = 1.0 + float(min_improvement)
    rows = []
    for itemset, both in count_of.items():
        if len(itemset) < 2:
            continue
        members = sorted(itemset, key=str)
        for size in range(1, len(members)):
            for antecedent in combinations(members, size):
                a = frozenset(antecedent)
                confidence = both / count_of[a]
                if confidence < min_confidence:
                    continue
                c = itemset - a
                if any(
                    confidence < factor * count_of[frozenset(sub) | c] / count_of[frozenset(sub)]
                    for k in range(size)
                    for sub in combinations(antecedent, k)
                ):
                    continue
                rows.append((a, c, count_of[a], count_of[c], both))
    columns = ["antecedents", "consequents", "antecedent_count", "consequent_count", "count"]
    rules = pd.DataFrame(rows, columns=columns)
    a_count = rules["antecedent_count"].to_numpy(dtype=float)
    c_count = rules["consequent_count"].to_numpy(dtype=float)
    both = rules["count"].to_numpy(dtype=float)
    support = both / n
    confidence = both / a_count if len(rules) else both
    c_support = c_count / n
    with np.errstate(divide="ignore", invalid="ignore"):
        conviction = np.where(confidence < 1, (1 - c_support) / (1 - confidence), np.inf)
    rules = rules.assign(
        support=support,
        confidence=confidence,
        lift=confidence / c_support,
        leverage=support - (a_count / n) * c_support,
        conviction=conviction,
    )
    rules = rules.sort_values([metric, "count"], ascending=False, kind="stable", ignore_index=True)
    rules.attrs.update({**itemsets.attrs, "n_baskets": n, "metric": metric, "min_confidence": float(min_confidence)})
    return rules


def _set_text(items: Iterable[object], lang: str | None) -> str:
    return t("basket.set_sep", lang).join(sorted(map(str, items)))


def rule_table(
    rules: pd.DataFrame, *, top: int = 10, lang: str | None = None, sentence: str = "basket.rule_sentence"
) -> pd.DataFrame:
    """The top rules as readable sentences with their counts and metrics.

    Columns (titles in ``lang``): rule ("if {A, B} then {C}", from the message ``sentence``),
    baskets with the antecedent, baskets with both, support, confidence, lift.
    """
    head = rules.head(top)
    sentences = [
        t(sentence, lang, antecedent=_set_text(a, lang), consequent=_set_text(c, lang))
        for a, c in zip(head["antecedents"], head["consequents"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("basket.col_rule", lang): sentences,
            t("basket.col_antecedent_count", lang): head["antecedent_count"].to_numpy(),
            t("basket.col_count", lang): head["count"].to_numpy(),
            t("basket.col_support", lang): head["support"].round(4).to_numpy(),
            t("basket.col_confidence", lang): head["confidence"].round(3).to_numpy(),
            t("basket.col_lift", lang): head["lift"].round(2).to_numpy(),
        }
    )


def _round_up(value: float) -> float:
    """``value`` rounded up to two significant digits."""
    if value <= 0:
        return value
    scale = 10 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / scale - 1e-9) * scale


def threshold_advice(
    itemsets: pd.DataFrame,
    rules: pd.DataFrame,
    *,
    max_rules: int = 500,
    min_baskets: int = 5,
    lang: str | None = None,
) -> list[str]:
    """Warnings, with a suggested ``min_support``, when the thresholds make the output unreadable.

    Three cases: rules rest on fewer than ``min_baskets`` baskets (coincidences); more than
    ``max_rules`` rules (nobody reads them; the suggestion keeps about ``max_rules`` itemsets);
    no rule at all (the suggestion is the support of the tenth most frequent pair, or half the
    current threshold).
    """
    n = itemsets.attrs["n_baskets"]
    current = itemsets.attrs["min_support"]
    multi = itemsets.loc[itemsets["itemsets"].map(len) >= 2, "support"].sort_values(ascending=False)
    advice = []
    if current * n < min_baskets:
        advice.append(
            t("basket.warn_tiny", lang, n=math.ceil(current * n), k=min_baskets, suggest=_round_up(min_baskets / n))
        )
    if len(rules) > max_rules:
        suggest = _round_up(float(multi.iloc[min(max_rules, len(multi) - 1)]))
        advice.append(t("basket.warn_many", lang, n=len(rules), k=max_rules, suggest=suggest))
    elif len(rules) == 0:
        suggest = float(multi.iloc[min(9, len(multi) - 1)]) if len(multi) else current / 2
        advice.append(t("basket.warn_none", lang, suggest=_round_up(suggest) if len(multi) else suggest))
    return advice


def pair_metrics(itemsets: pd.DataFrame, *, n_baskets: int | None = None) -> pd.DataFrame:
    """Association of every frequent pair, in both directions.

    Returns
    -------
    DataFrame
        ``item``, ``other``, ``count`` (baskets with both), ``support``, ``confidence`` (share of
        baskets with ``item`` that have ``other``), ``lift``, ``leverage``, ``conviction``; two
        rows per pair.
    """
    n = n_baskets or itemsets.attrs.get("n_baskets")
    if not n:
        raise ParameterError("pair_metrics needs n_baskets (pass it, or use the frame mine() returns).")
    size = itemsets["itemsets"].map(len)
    single = {
        next(iter(s)): c for s, c in zip(itemsets["itemsets"][size == 1], itemsets["count"][size == 1], strict=True)
    }
    pairs = itemsets[size == 2]
    rows = []
    for itemset, both in zip(pairs["itemsets"], pairs["count"], strict=True):
        a, b = sorted(itemset, key=str)
        rows += [(a, b, both, single[a], single[b]), (b, a, both, single[b], single[a])]
    frame = pd.DataFrame(rows, columns=["item", "other", "count", "item_count", "other_count"])
    both = frame["count"].to_numpy(dtype=float)
    confidence = both / frame["item_count"].to_numpy(dtype=float)
    other_support = frame["other_count"].to_numpy(dtype=float) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        conviction = np.where(confidence < 1, (1 - other_support) / (1 - confidence), np.inf)
    return frame[["item", "other", "count"]].assign(
        support=both / n,
        confidence=confidence,
        lift=confidence / other_support,
        leverage=both / n - frame["item_count"].to_numpy(dtype=float) / n * other_support,
        conviction=conviction,
    )


def cross_sell(
    itemsets: pd.DataFrame,
    *,
    top_items: int = 10,
    per_item: int = 3,
    min_lift: float = 1.5,
    lang: str | None = None,
) -> pd.DataFrame:
    """For each of the most frequent items, the best items to offer with it, and why.

    Candidates are the frequent pairs (`pair_metrics`) with lift >= ``min_lift``; for each item
    (the ``top_items`` most frequent items that have such a partner) the ``per_item`` partners with
    the highest lift are listed.

    Returns
    -------
    DataFrame
        ``item``, ``offer``, ``confidence``, ``lift``, ``count`` and ``why`` (a sentence in ``lang``).
    """
    pairs = pair_metrics(itemsets)
    pairs = pairs[pairs["lift"] >= min_lift]
    size = itemsets["itemsets"].map(len)
    support = {
        next(iter(s)): c for s, c in zip(itemsets["itemsets"][size == 1], itemsets["count"][size == 1], strict=True)
    }
    top = sorted(set(pairs["item"]), key=lambda i: (-support[i], str(i)))[:top_items]
    rows = []
    for item in top:
        best = pairs[pairs["item"] == item].sort_values(["lift", "confidence"], ascending=False).head(per_item)
        for row in best.itertuples():
            why = t("basket.why", lang, item=item, offer=row.other, confidence=row.confidence, lift=row.lift)
            rows.append((item, row.other, row.confidence, row.lift, row.count, why))
    return pd.DataFrame(rows, columns=["item", "offer", "confidence", "lift", "count", "why"])


def cross_sell_table(table: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """`cross_sell`'s table with titles in ``lang`` and rounded figures, for a report."""
    return pd.DataFrame(
        {
            t("basket.col_item", lang): table["item"],
            t("basket.col_offer", lang): table["offer"],
            t("basket.col_confidence", lang): table["confidence"].round(3),
            t("basket.col_lift", lang): table["lift"].round(2),
            t("basket.col_count", lang): table["count"],
            t("basket.col_why", lang): table["why"],
        }
    )


def attribute_rule_table(rules: pd.DataFrame, *, top: int = 10, lang: str | None = None) -> pd.DataFrame:
    """The top attribute rules as sentences, with the kind of consequent (attribute or item)."""
    table = rule_table(rules, top=top, lang=lang, sentence="basket.attribute_sentence")
    table.insert(1, t("basket.col_kind", lang), [t(f"basket.kind_{k}", lang) for k in rules["kind"].head(top)])
    return table


@dataclass(frozen=True)
class SpiderWeb:
    """Nodes and edges of the spider-web chart (蜘蛛网图).

    ``nodes``: ``item``, ``support``, in the order items join the chart (the items of the strongest
    pair first, so associated items sit next to each other). ``edges``: ``source``,
    ``target``, ``strength`` (the metric; for directed metrics the stronger direction),
    ``support``, ordered by strength. ``metric`` names the strength.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    metric: str


def spider_web(
    itemsets: pd.DataFrame,
    *,
    top_n: int = 20,
    metric: str = "lift",
    min_lift: float = 1.0,
    max_edges: int | None = None,
) -> SpiderWeb:
    """The items of the strongest pairs (up to ``top_n``) and the frequent pairs joining them.

    Pairs are the frequent 2-itemsets with lift > ``min_lift`` (positive association); the strength
    of a pair is its ``metric`` (the larger of its two directions for confidence and conviction).
    Items are taken from the strongest pairs down until there are ``top_n``, then, if fewer items
    are associated, from the most frequent items. At most ``max_edges`` edges (default
    ``2 * top_n``) are kept, the strongest first, so the chart stays readable.
    """
    _check_metric(metric)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 2:
        raise ParameterError(f"top_n must be a whole number of at least 2, got {top_n!r}.")
    pairs = pair_metrics(itemsets)
    pairs = pairs[pairs["lift"] > min_lift]
    in_order = np.array([str(a) <= str(b) for a, b in zip(pairs["item"], pairs["other"], strict=True)], dtype=bool)
    pairs = pairs.assign(
        source=pairs["item"].where(in_order, pairs["other"]), target=pairs["other"].where(in_order, pairs["item"])
    )
    best = pairs.sort_values([metric, "count"], ascending=False, kind="stable").drop_duplicates(["source", "target"])
    singles = itemsets[itemsets["itemsets"].map(len) == 1].sort_values("support", ascending=False, kind="stable")
    support = dict(zip((next(iter(s)) for s in singles["itemsets"]), singles["support"], strict=True))
    chosen: dict[object, None] = {}
    for a, b in zip(best["item"], best["other"], strict=True):
        for item in (a, b):
            if len(chosen) < top_n:
                chosen.setdefault(item)
    for item in support:
        if len(chosen) < top_n:
            chosen.setdefault(item)
    nodes = pd.DataFrame({"item": list(chosen), "support": [support[i] for i in chosen]})
    best = best[best["item"].isin(chosen) & best["other"].isin(chosen)]
    edges = pd.DataFrame(
        {
            "source": best["source"].to_numpy(),
            "target": best["target"].to_numpy(),
            "strength": best[metric].to_numpy(dtype=float),
            "support": best["support"].to_numpy(dtype=float),
        }
    )
    return SpiderWeb(nodes=nodes, edges=edges.head(max_edges or 2 * top_n).reset_index(drop=True), metric=metric)


# --- customer attributes, purchase types ------------------------------------------------------


def _is_continuous(values: pd.Series) -> bool:
    """Numeric (not bool) with more than 10 distinct values: banded at quantiles by default."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and values.nunique() > 10


def _band_labels(edges: Sequence[float], integer: bool) -> tuple[list[float], list[str]]:
    def fmt(x: float) -> str:
        return f"{x:g}"

    cuts = [-np.inf, *edges, np.inf]
    labels = [f"<{fmt(edges[0])}"]
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        upper = hi - 1 if integer and float(hi).is_integer() and float(lo).is_integer() else hi
        labels.append(fmt(lo) if upper == lo else f"{fmt(lo)}–{fmt(upper)}")
    labels.append(f"{fmt(edges[-1])}+")
    return cuts, labels


def band_attributes(
    customers: pd.DataFrame,
    *,
    bands: Mapping[str, Sequence[float]] | None = None,
    customer_col: str = "customer_id",
    n_quantiles: int = 3,
    lang: str | None = None,
) -> pd.DataFrame:
    """Customer attributes as text categories: numeric columns are banded.

    Parameters
    ----------
    customers
        One row per customer: ``customer_col`` plus attribute columns.
    bands
        Column -> ascending band edges, e.g. ``{"age": [18, 25, 46, 60]}`` gives the bands
        ``<18``, ``18–24``, ``25–45``, ``46–59`` and ``60+`` (a band includes its lower edge).
    customer_col
        The customer id column (kept as text, not banded).
    n_quantiles
        Numeric columns without ``bands`` and with more than 10 distinct values are cut at
        quantiles into this many bands, named low / medium / high for three bands (in ``lang``),
        else Q1, Q2, ...; other columns are used as they are.
    lang
        Language of the quantile band names (default: the current language).

    Returns
    -------
    DataFrame
        ``customer_col`` and one text column per attribute (missing values stay missing).
    """
    bands = dict(bands or {})
    if customer_col not in customers.columns:
        raise InputError(
            t(
                "basket.missing",
                column=customer_col,
                hint=did_you_mean(customer_col, customers.columns),
                present=", ".join(map(str, customers.columns)),
            )
        )
    for column in bands:
        if column not in customers.columns:
            raise ParameterError(
                f"bands names the column {column!r}, which the customer data does not have."
                + did_you_mean(column, customers.columns)
            )
    out = pd.DataFrame({customer_col: customers[customer_col].astype("string")}, index=customers.index)
    for column in customers.columns:
        if column == customer_col:
            continue
        values = customers[column]
        if column in bands:
            edges = sorted(float(e) for e in bands[column])
            numeric = pd.to_numeric(values, errors="coerce")
            integer = bool(numeric.dropna().eq(numeric.dropna().round()).all())
            cuts, labels = _band_labels(edges, integer)
            out[column] = pd.cut(numeric, cuts, labels=labels, right=False).astype("string")
        elif _is_continuous(values):
            codes = pd.qcut(values, n_quantiles, labels=False, duplicates="drop")
            n_bins = int(np.nanmax(codes)) + 1
            names = (
                [t("basket.low", lang), t("basket.medium", lang), t("basket.high", lang)]
                if n_bins == 3
                else [f"Q{i + 1}" for i in range(n_bins)]
            )
            out[column] = pd.Series(
                [names[int(c)] if not pd.isna(c) else pd.NA for c in codes], index=values.index, dtype="string"
            )
        else:
            out[column] = values.astype("string")
    return out.reset_index(drop=True)


def _attribute_items(banded: pd.DataFrame, customer_col: str) -> list[list[str]]:
    columns = [c for c in banded.columns if c != customer_col]
    return [
        [f"{c} = {v}" for c, v in zip(columns, row, strict=True) if not pd.isna(v)]
        for row in banded[columns].itertuples(index=False)
    ]


def attribute_rules(
    customers: pd.DataFrame,
    *,
    lines: pd.DataFrame | None = None,
    bands: Mapping[str, Sequence[float]] | None = None,
    customer_col: str = "customer_id",
    min_support: float = 0.05,
    min_confidence: float = 0.1,
    max_len: int = 3,
    metric: str = "lift",
    lang: str | None = None,
) -> pd.DataFrame:
    """Rules over banded customer attributes and, with ``lines``, from attributes to items.

    Each customer becomes one "basket" of attribute values ("age = 50–59", "married = yes") plus,
    when ``lines`` (with ``customer_id``) is given, every item the customer ever bought. Rules
    whose antecedent holds only attributes and whose consequent holds only attributes or only items
    are kept; ``kind`` says which (``attribute`` or ``item``). Example: "if {age = 50–59, married = yes}
    then {cars = 2+}" with confidence 0.6.
    """
    check_min_support(min_support)
    banded = band_attributes(customers, bands=bands, customer_col=customer_col, lang=lang)
    baskets = _attribute_items(banded, customer_col)
    attribute_values = {x for b in baskets for x in b}
    if lines is not None:
        if customer_col not in lines.columns:
            raise InputError(t("basket.no_customer", column=customer_col))
        bought = lines.dropna(subset=[customer_col]).groupby(customer_col)["item"].agg(lambda s: sorted(set(s)))
        ids = banded[customer_col].to_numpy()
        baskets = [b + list(bought.get(i, [])) for b, i in zip(baskets, ids, strict=True)]
    itemsets = mine(baskets, min_support=min_support, max_len=max_len)
    rules = association_rules(itemsets, min_confidence=min_confidence, metric=metric)
    to_attributes = rules["consequents"].map(lambda s: s <= attribute_values)
    to_items = rules["consequents"].map(lambda s: not s & attribute_values)
    keep = rules["antecedents"].map(lambda s: s <= attribute_values) & (to_attributes | to_items)
    rules = rules[keep].copy()
    rules.insert(2, "kind", np.where(to_attributes[keep], "attribute", "item"))
    return rules.reset_index(drop=True)


def label_baskets(
    lines: pd.DataFrame,
    types: Mapping[str, Sequence[str]],
    *,
    basket_col: str = "invoice_id",
    item_col: str = "item",
) -> pd.Series:
    """The purchase type of each basket: the first type in ``types`` whose items are all in it.

    ``types`` maps a type name to an itemset, e.g. ``{"trendy": ["wine", "sweets", "gourmet
    coffee"]}``. Baskets of no type get <NA>. Returns a Series indexed by basket id.
    """
    if not types:
        raise ParameterError("types is empty: give at least one purchase type, e.g. {'trendy': ['wine', 'sweets']}.")
    pairs = lines[[basket_col, item_col]].dropna().drop_duplicates()
    known = set(pairs[item_col])
    for name, items in types.items():
        missing = [i for i in items if i not in known]
        if missing:
            raise InputError(
                t(
                    "basket.type_unknown_item",
                    name=name,
                    items=", ".join(map(str, missing)),
                    hint=did_you_mean(str(missing[0]), known),
                )
            )
    label = pd.Series(pd.NA, index=pd.Index(pairs[basket_col].unique(), name=basket_col), dtype="string")
    for name, items in reversed(list(types.items())):
        has = pairs[pairs[item_col].isin(items)].groupby(basket_col)[item_col].nunique()
        label[has.index[has == len(set(items))]] = name
    return label


def label_customers(
    lines: pd.DataFrame,
    types: Mapping[str, Sequence[str]],
    *,
    customer_col: str = "customer_id",
    basket_col: str = "invoice_id",
    min_baskets: int = 1,
    other: str = "other",
) -> pd.DataFrame:
    """The purchase type of each customer: the type of most of their typed baskets.

    A customer needs at least ``min_baskets`` baskets of a type to get it; others get ``other``.
    Ties go to the type listed first in ``types``.

    Returns
    -------
    DataFrame
        ``customer_col``, ``purchase_type``, ``typed_baskets``, ``baskets``.
    """
    if customer_col not in lines.columns:
        raise InputError(t("basket.no_customer", column=customer_col))
    basket_type = label_baskets(lines, types, basket_col=basket_col)
    owner = lines.dropna(subset=[customer_col]).drop_duplicates(basket_col).set_index(basket_col)[customer_col]
    frame = pd.DataFrame({"customer": owner, "type": basket_type.reindex(owner.index)})
    n_baskets = frame.groupby("customer").size()
    counts = frame.dropna(subset=["type"]).groupby(["customer", "type"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[c for c in types if c in counts.columns])
    best = counts.idxmax(axis=1) if len(counts.columns) else pd.Series(dtype=object)
    best_n = counts.max(axis=1) if len(counts.columns) else pd.Series(dtype=float)
    result = pd.DataFrame({customer_col: n_baskets.index.astype("string"), "baskets": n_baskets.to_numpy()})
    typed = best_n.reindex(n_baskets.index).fillna(0).astype(int).to_numpy()
    chosen = best.reindex(n_baskets.index).astype("string").to_numpy()
    result["purchase_type"] = np.where(typed >= min_baskets, chosen, other)
    result["typed_baskets"] = typed
    return result[[customer_col, "purchase_type", "typed_baskets", "baskets"]]


@dataclass(frozen=True)
class TypeRules:
    """A readable decision tree predicting the purchase type from banded customer attributes.

    ``rules``: one row per leaf - ``purchase_type`` predicted, ``conditions`` (tuple of texts such as
    ``"age = 25–45"`` or ``"not gender = F"``), ``customers`` in the leaf (training part),
    ``share`` of them that have the type, ``base_share`` of the type among all training customers.
    ``test_accuracy``: accuracy on the held-out customers; ``baseline_accuracy``: accuracy of
    always predicting the most common type.
    """

    rules: pd.DataFrame
    test_accuracy: float
    baseline_accuracy: float
    n_train: int
    n_test: int


def type_rules(
    customers: pd.DataFrame,
    labels: pd.DataFrame,
    *,
    bands: Mapping[str, Sequence[float]] | None = None,
    customer_col: str = "customer_id",
    max_depth: int = 3,
    min_samples_leaf: int = 20,
    test_size: float = 0.3,
    seed: int = 0,
    lang: str | None = None,
) -> TypeRules:
    """Fit a rule-induction classifier (a shallow decision tree) of purchase type on attributes.

    ``labels`` is what `label_customers` returns. Attributes are banded (`band_attributes`) and
    one-hot encoded, so each split reads "attribute = value" or its negation. The model is tested
    on an independent ``test_size`` share of the customers.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    banded = band_attributes(customers, bands=bands, customer_col=customer_col, lang=lang)
    data = banded.merge(labels[[customer_col, "purchase_type"]].astype({customer_col: "string"}), on=customer_col)
    if data["purchase_type"].nunique() < 2:
        raise InputError(t("basket.one_type"))
    features = pd.get_dummies(data.drop(columns=[customer_col, "purchase_type"]), prefix_sep=" = ").astype(np.int8)
    target = data["purchase_type"].astype(str).to_numpy()
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=test_size, random_state=seed, stratify=target
    )
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=seed)
    tree.fit(x_train, y_train)
    values, counts = np.unique(y_train, return_counts=True)
    baseline = float(np.mean(y_test == values[np.argmax(counts)]))
    return TypeRules(
        rules=_leaf_rules(tree, list(features.columns), lang),
        test_accuracy=float(tree.score(x_test, y_test)),
        baseline_accuracy=baseline,
        n_train=len(y_train),
        n_test=len(y_test),
    )


def _leaf_rules(tree: object, names: list[str], lang: str | None) -> pd.DataFrame:
    structure = tree.tree_  # type: ignore[attr-defined]
    classes = tree.classes_  # type: ignore[attr-defined]
    rows = []
    stack: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    while stack:
        node, conditions = stack.pop()
        left, right = structure.children_left[node], structure.children_right[node]
        if left == -1:
            dist = structure.value[node][0]
            best = int(np.argmax(dist))
            rows.append(
                (classes[best], conditions, int(structure.n_node_samples[node]), float(dist[best] / dist.sum()))
            )
            continue
        name = names[structure.feature[node]]
        stack.append((right, (*conditions, name)))
        stack.append((left, (*conditions, t("basket.not", lang, condition=name))))
    rules = pd.DataFrame(rows, columns=["purchase_type", "conditions", "customers", "share"])
    root = structure.value[0][0]
    overall = dict(zip(classes, root / root.sum(), strict=True))
    rules["base_share"] = rules["purchase_type"].map(overall).astype(float)
    return rules.sort_values(["share", "customers"], ascending=False, ignore_index=True)


def describe_type_rules(result: TypeRules, *, other: str | None = "other", lang: str | None = None) -> list[str]:
    """Plain-language rules, e.g. "trendy tends to be: gender = F, age = 25–45, income = high".

    One sentence per leaf that predicts a type other than ``other``; negated conditions are left
    out when the leaf also has positive ones.
    """
    sentences = []
    negation = t("basket.not", lang, condition="")
    rules = result.rules
    for kind, conditions, share, n, base in zip(
        rules["purchase_type"],
        rules["conditions"],
        rules["share"],
        rules["customers"],
        rules["base_share"],
        strict=True,
    ):
        if kind == other:
            continue
        positive = [str(c) for c in conditions if not str(c).startswith(negation)]
        shown = positive or [str(c) for c in conditions]
        sentences.append(
            t(
                "basket.type_sentence",
                lang,
                type=kind,
                conditions=t("basket.and", lang).join(shown),
                share=share,
                n=n,
                base=base,
            )
        )
    return sentences
