"""The one column-alias table: the headers of real exports that mean a canonical column.

``file header -> {file column: canonical column}``. `resolve_columns` maps a file's header to
crmlab's canonical names: an explicit ``columns=`` mapping wins; then a header that is already
canonical stays; then every other header that matches an alias of `ALIASES` (ignoring case,
spaces, underscores and hyphens, so ``Customer ID``, ``CustomerID`` and ``customer_id`` are the
same) takes the alias's canonical name. Two file columns that would both become the same
canonical column raise InputError asking for ``columns=``. `crmlab.data.read` applies it to every
file, and the basket module resolves its roles with it, so every notebook recognises the same headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError
from crmlab.core.i18n import t

#: Canonical column -> the headers of real exports that mean it (the canonical name itself always does).
#: Online Retail (UCI): InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID;
#: Online Retail II: Invoice, Price, Customer ID; Chinese exports: 订单号, 客户编号, 商品名称, 数量, 单价, 日期.
ALIASES: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "CustomerID",
        "Customer ID",
        "customer",
        "client_id",
        "member_id",
        "客户编号",
        "客户ID",
        "客户号",
        "客户代码",
        "会员号",
        "会员编号",
        "会员ID",
    ),
    "invoice_id": (
        "InvoiceNo",
        "Invoice",
        "Invoice ID",
        "basket_id",
        "order_id",
        "Order ID",
        "transaction_id",
        "BillNo",
        "receipt_id",
        "订单号",
        "订单编号",
        "订单ID",
        "小票号",
        "交易编号",
        "购物篮编号",
        "发票号",
        "单号",
    ),
    "item_id": (
        "StockCode",
        "product_id",
        "sku",
        "item_code",
        "product_code",
        "商品编号",
        "商品编码",
        "商品代码",
        "货号",
        "SKU编号",
    ),
    "item_name": (
        "Description",
        "item",
        "product_name",
        "Itemname",
        "product",
        "商品",
        "商品名称",
        "商品名",
        "品名",
        "产品名称",
    ),
    "quantity": ("Qty", "units", "数量", "件数", "购买数量"),
    "unit_price": ("UnitPrice", "Price", "单价", "价格", "商品单价"),
    "amount": ("Sales", "line_amount", "TotalPrice", "金额", "总价", "销售额", "小计"),
    "timestamp": (
        "InvoiceDate",
        "date",
        "datetime",
        "order_date",
        "OrderDate",
        "transaction_date",
        "日期",
        "下单时间",
        "订单日期",
        "交易时间",
        "交易日期",
        "购买日期",
        "购买时间",
    ),
    "churned": ("Churn", "Churn Label", "Churn Value", "churn_flag", "Exited", "是否流失", "流失标志"),
    "churn_date": ("churn date", "exit_date", "流失日期", "离开日期"),
    "reason": ("churn_reason", "exit_reason", "流失原因", "原因"),
    "revenue": ("annual_revenue", "收入", "年收入"),
    "margin": ("margin_rate", "profit_margin", "利润率", "毛利率"),
    "period": ("期间", "时期", "周期"),
}
#: Canonical columns recognised only when a caller asks for them (``wanted``): a churn flag is the
#: target of labelled data, which the data profile finds by itself (`crmlab.profile.kinds`).
ASKED_ONLY: frozenset[str] = frozenset({"churned"})


def normalize(name: object) -> str:
    """The form headers are compared in: case-folded, without spaces, underscores and hyphens.

    >>> normalize(" Customer ID"), normalize("customer_id"), normalize("客户 编号")
    ('customerid', 'customerid', '客户编号')
    """
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


def _lookup() -> dict[str, str]:
    """Normalised alias -> canonical column (every canonical name is its own alias)."""
    table: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        for alias in (canonical, *aliases):
            table[normalize(alias)] = canonical
    return table


_LOOKUP = _lookup()


def _check_explicit(columns: Mapping[str, str], header: Sequence[str], context: str, canonical: Sequence[str]) -> None:
    """Every key must be a column of the file; targets must not clash or look like misspelt ``canonical`` names."""
    for column in columns:
        if column not in header:
            raise InputError(
                t(
                    "data.mapping_unknown",
                    column=column,
                    path=context,
                    hint=did_you_mean(column, header),
                    present=", ".join(header),
                )
            )
    targets = list(columns.values()) + [c for c in header if c not in columns]
    for target in columns.values():
        if targets.count(target) > 1:
            raise InputError(t("data.mapping_clash", target=target))
    for column, target in columns.items():
        hint = did_you_mean(target, canonical)
        if canonical and target not in canonical and hint:
            raise InputError(
                t(
                    "data.mapping_target",
                    column=column,
                    target=target,
                    hint=hint,
                    canonical=", ".join(canonical),
                )
            )


def resolve_columns(
    header: Iterable[object],
    *,
    wanted: Iterable[str] | None = None,
    columns: Mapping[str, str] | None = None,
    context: str = "data",
) -> dict[str, str]:
    """Map a file's header to crmlab's canonical columns.

    Parameters
    ----------
    header
        The file's column names, in order.
    wanted
        The canonical columns to look for (default: every column of `ALIASES` but `ASKED_ONLY`), e.g.
        the columns of a data kind, or a basket file's ``["invoice_id", "item_name", "item_id", "customer_id",
        "quantity"]``.
    columns
        An explicit mapping ``{file column: canonical column}``; it wins over the alias table. With
        ``wanted``, a target that looks like a misspelt wanted column raises InputError.
    context
        Where the header comes from (a file name), used at the start of error messages.

    Returns
    -------
    dict
        ``{file column: canonical column}`` for every file column that is (or becomes) a wanted
        canonical column, in header order; a column that is already canonical maps to itself.
        Rename with ``frame.rename(columns=mapping)``.

    Raises
    ------
    InputError
        A ``columns`` key that is not in the header, two columns given the same name, a target that
        looks like a misspelt canonical name, or two file columns that both match one canonical
        column (the message asks which one to use, with ``columns=``).

    Examples
    --------
    >>> resolve_columns(["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
    ...                  "CustomerID", "Country"])  # doctest: +NORMALIZE_WHITESPACE
    {'InvoiceNo': 'invoice_id', 'StockCode': 'item_id', 'Description': 'item_name', 'Quantity': 'quantity',
     'InvoiceDate': 'timestamp', 'UnitPrice': 'unit_price', 'CustomerID': 'customer_id'}
    >>> resolve_columns(["订单号", "客户编号", "商品名称", "数量", "单价", "日期"])  # doctest: +NORMALIZE_WHITESPACE
    {'订单号': 'invoice_id', '客户编号': 'customer_id', '商品名称': 'item_name', '数量': 'quantity',
     '单价': 'unit_price', '日期': 'timestamp'}
    """
    names = [str(h) for h in header]
    explicit = {str(k): str(v) for k, v in (columns or {}).items()}
    targets = [c for c in ALIASES if c not in ASKED_ONLY] if wanted is None else list(wanted)
    _check_explicit(explicit, names, context, targets if wanted is not None else [])
    taken = set(explicit.values()) | {n for n in names if n in targets and n not in explicit}
    found: dict[str, list[str]] = {}
    for name in names:
        canonical = _LOOKUP.get(normalize(name))
        if name in explicit or name in targets or canonical not in targets or canonical in taken:
            continue
        found.setdefault(canonical, []).append(name)
    for canonical, candidates in found.items():
        if len(candidates) > 1:
            shown = ", ".join(f"'{c}'" for c in candidates)
            raise InputError(
                t("data.alias_clash", context=context, columns=shown, target=canonical, first=candidates[0])
            )
    recognised = {candidates[0]: canonical for canonical, candidates in found.items()}
    mapping: dict[str, str] = {}
    for name in names:
        if name in explicit:
            mapping[name] = explicit[name]
        elif name in recognised:
            mapping[name] = recognised[name]
        elif name in targets:
            mapping[name] = name
    return mapping
