"""Churn rate, churn causes, exit economics and win-back (method 5: 顾客流失率 / 流失原因).

The steps follow the source texts:

1. Churn rate (顾客流失率), from a churn flag or churn date in customer data (`churn_status`) or from
   transactions, where a customer who has not bought for ``inactive_days`` has churned
   (`churn_status_from_transactions`); overall and per segment (`churn_rate`), and per period
   (`churn_by_period`).
2. Causes: free-text or coded reasons are mapped onto the exit types price 价格, product 产品,
   technology 技术, political/social 政治 and other/unknown 其他 (`map_causes`); reasons that no entry
   of the mapping matches are kept as ``"unmapped"`` and listed, never dropped
   (`cause_distribution`).
3. Profit lost: lost customers x revenue x margin; per customer, the yearly margin x expected remaining
   lifetime is the cost of defection (`exit_economics` for the text's worked example, `exit_costs`
   for data).
4. Retention budget: a programme is worth it while it costs less than the profit it saves
   (`break_even_budget`, `retention_what_if`).
5. Win-back (赢返): the textbook's five kinds of lost customer (`classify_winback`), ranked by expected
   second-life value, with a recommendation table that a parameter can override (`win_back`).

Mappings (causes, win-back keywords, the recommendation table) are dict constants; pass your own to
override or extend them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import catalogue, t
from crmlab.data.schemas import require_columns, require_nonempty, require_numeric

__all__ = [
    "CAUSES",
    "DEFINITIONS",
    "DEFAULT_CAUSE_MAPPING",
    "DEFAULT_WINBACK_BY_CAUSE",
    "DEFAULT_WINBACK_KEYWORDS",
    "DEFAULT_WINBACK_TABLE",
    "UNMAPPED",
    "WINBACK_TYPES",
    "CauseDistribution",
    "ChurnRate",
    "ExitCosts",
    "ExitEconomics",
    "WinBack",
    "break_even_budget",
    "cause_distribution",
    "cause_mapping",
    "churn_by_period",
    "churn_rate",
    "churn_status",
    "churn_status_from_transactions",
    "mark_churn",
    "classify_winback",
    "exit_costs",
    "exit_economics",
    "map_causes",
    "retention_what_if",
    "localize",
    "win_back",
    "winback_table",
]

#: The exit types of the source text, plus other/unknown (其他/未知).
CAUSES = ("price", "product", "technology", "political", "other")
#: The label of a reason that no entry of the cause mapping matches.
UNMAPPED = "unmapped"

#: Names a mapping may use for a cause type, besides the type names themselves.
CAUSE_ALIASES: dict[str, str] = {
    "价格": "price",
    "产品": "product",
    "技术": "technology",
    "政治": "political",
    "社会": "political",
    "social": "political",
    "political/social": "political",
    "其他": "other",
    "未知": "other",
    "unknown": "other",
    "other/unknown": "other",
}

#: Reason text or keyword -> exit type. A reason equal to a key (ignoring case and surrounding spaces)
#: gets that key's type; otherwise the longest key found in the reason wins. Latin keys match at the
#: start of a word ("cheap" matches "cheaper", not "scheap"); Chinese keys match anywhere.
DEFAULT_CAUSE_MAPPING: dict[str, str] = {
    # price 价格: left for a lower price
    "price": "price",
    "pricing": "price",
    "expensive": "price",
    "cheap": "price",
    "cost": "price",
    "fee": "price",
    "discount": "price",
    "offer": "price",
    "deal": "price",
    "afford": "price",
    "价格": "price",
    "价钱": "price",
    "贵": "price",
    "便宜": "price",
    "涨价": "price",
    "费用": "price",
    "收费": "price",
    "优惠": "price",
    "折扣": "price",
    "性价比": "price",
    "低价": "price",
    # product 产品 (the text's example: moved out of the area)
    "product": "product",
    "quality": "product",
    "service": "product",
    "moved": "product",
    "moving": "product",
    "relocat": "product",
    "no longer need": "product",
    "broken": "product",
    "breaking": "product",
    "defect": "product",
    "delivery": "product",
    "产品": "product",
    "质量": "product",
    "服务": "product",
    "搬": "product",
    "迁居": "product",
    "不再需要": "product",
    "故障": "product",
    "售后": "product",
    "态度": "product",
    "送货": "product",
    # technology 技术: moved to a technically better substitute
    "technology": "technology",
    "technical": "technology",
    "outdated": "technology",
    "app": "technology",
    "online": "technology",
    "digital": "technology",
    "feature": "technology",
    "substitute": "technology",
    "技术": "technology",
    "科技": "technology",
    "落后": "technology",
    "过时": "technology",
    "线上": "technology",
    "网上": "technology",
    "功能": "technology",
    "替代": "technology",
    "智能": "technology",
    # political/social 政治: objects to the firm's social conduct
    "political": "political",
    "politic": "political",
    "social": "political",
    "pollution": "political",
    "environment": "political",
    "ethic": "political",
    "boycott": "political",
    "scandal": "political",
    "政治": "political",
    "社会": "political",
    "污染": "political",
    "环保": "political",
    "环境": "political",
    "道德": "political",
    "抵制": "political",
    "丑闻": "political",
    # other / unknown 其他
    "other": "other",
    "unknown": "other",
    "no reason": "other",
    "not given": "other",
    "n/a": "other",
    "retire": "other",
    "non-payment": "other",
    "closed by us": "other",
    "其他": "other",
    "其它": "other",
    "个人原因": "other",
    "personal": "other",
    "未知": "other",
    "不详": "other",
    "未说明": "other",
    "退休": "other",
    "欠费": "other",
}

#: The textbook's five kinds of lost customer, for win-back decisions.
WINBACK_TYPES = (
    "dropped_by_firm",
    "left_despite_retention",
    "competitor_offer",
    "price_seeker",
    "lost_condition",
)

#: Reason keyword -> win-back type; matched like the cause mapping (longest key wins).
DEFAULT_WINBACK_KEYWORDS: dict[str, str] = {
    "closed by us": "dropped_by_firm",
    "terminated by us": "dropped_by_firm",
    "dropped by": "dropped_by_firm",
    "non-payment": "dropped_by_firm",
    "unpaid": "dropped_by_firm",
    "fraud": "dropped_by_firm",
    "被我方": "dropped_by_firm",
    "被公司": "dropped_by_firm",
    "欠费": "dropped_by_firm",
    "清退": "dropped_by_firm",
    "retention": "left_despite_retention",
    "despite": "left_despite_retention",
    "declined our": "left_despite_retention",
    "refused our": "left_despite_retention",
    "挽留": "left_despite_retention",
    "拒绝了": "left_despite_retention",
    "competitor": "competitor_offer",
    "better offer": "competitor_offer",
    "switched": "competitor_offer",
    "alternative": "competitor_offer",
    "竞争对手": "competitor_offer",
    "对手": "competitor_offer",
    "换用": "competitor_offer",
    "替代": "competitor_offer",
    "cheap": "price_seeker",
    "expensive": "price_seeker",
    "lower price": "price_seeker",
    "price": "price_seeker",
    "贵": "price_seeker",
    "便宜": "price_seeker",
    "价格": "price_seeker",
    "低价": "price_seeker",
    "moved": "lost_condition",
    "moving": "lost_condition",
    "relocat": "lost_condition",
    "retire": "lost_condition",
    "no longer need": "lost_condition",
    "passed away": "lost_condition",
    "life stage": "lost_condition",
    "搬": "lost_condition",
    "迁居": "lost_condition",
    "退休": "lost_condition",
    "不再需要": "lost_condition",
    "去世": "lost_condition",
    "年龄": "lost_condition",
}

#: Win-back type of a lost customer whose reason matches no win-back keyword, by exit type.
DEFAULT_WINBACK_BY_CAUSE: dict[str, str] = {
    "price": "price_seeker",
    "product": "left_despite_retention",
    "technology": "competitor_offer",
    "political": "left_despite_retention",
    "other": "left_despite_retention",
    UNMAPPED: "left_despite_retention",
}

#: The recommendation table: per win-back type, whether to try to win the customer back and the
#: assumed share of attempts that succeed. The textbook says dropped, price-seeking and
#: condition-lost customers are usually not worth winning back; the success rates are illustrative
#: assumptions, not figures from the text - set your own from past campaigns.
DEFAULT_WINBACK_TABLE: dict[str, dict[str, float | bool]] = {
    "dropped_by_firm": {"win_back": False, "success_rate": 0.05},
    "left_despite_retention": {"win_back": True, "success_rate": 0.15},
    "competitor_offer": {"win_back": True, "success_rate": 0.30},
    "price_seeker": {"win_back": False, "success_rate": 0.20},
    "lost_condition": {"win_back": False, "success_rate": 0.02},
}

#: Names a win-back type column may use, besides the type names themselves.
WINBACK_ALIASES: dict[str, str] = {
    "企业主动放弃": "dropped_by_firm",
    "主动放弃": "dropped_by_firm",
    "dropped": "dropped_by_firm",
    "挽留无效": "left_despite_retention",
    "挽留后仍流失": "left_despite_retention",
    "被竞争对手吸引": "competitor_offer",
    "竞争对手": "competitor_offer",
    "competitor": "competitor_offer",
    "低价寻求者": "price_seeker",
    "低价": "price_seeker",
    "失去购买条件": "lost_condition",
}

_TRUE = {"1", "1.0", "true", "yes", "y", "t", "churned", "lost", "是", "流失", "已流失"}
_FALSE = {"0", "0.0", "false", "no", "n", "f", "active", "retained", "否", "未流失", "在网", "留存"}


# ----------------------------------------------------------------------------------- helpers


def _check_share(value: float, name: str) -> float:
    """Return ``value`` if it lies in [0, 1], else raise ParameterError."""
    if not 0.0 <= value <= 1.0:
        raise ParameterError(t("churn.error.share_range", name=name, value=value))
    return float(value)


def _check_nonnegative(**values: float) -> None:
    """Raise ParameterError for the first negative value."""
    for name, value in values.items():
        if value < 0:
            raise ParameterError(t("churn.error.negative", name=name, value=value))


def _normalise(text: object) -> str:
    """Lower-cased text with single spaces; empty for missing values."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return " ".join(str(text).split()).casefold()


def _resolve(value: str, names: Sequence[str], aliases: Mapping[str, str], what: str) -> str:
    """Canonical type name of ``value`` (a type name or an alias), else ParameterError."""
    key = _normalise(value)
    if key in names:
        return key
    if key in aliases:
        return aliases[key]
    raise ParameterError(
        t("churn.error.unknown_type", what=what, value=value, types=", ".join(names))
        + did_you_mean(str(value), [*names, *aliases])
    )


@dataclass(frozen=True)
class _Matcher:
    """Match texts against a keyword mapping: exact text first, then the longest keyword found."""

    exact: dict[str, str]
    patterns: tuple[tuple[str, str, re.Pattern[str]], ...]

    @classmethod
    def build(cls, mapping: Mapping[str, str], order: Sequence[str]) -> _Matcher:
        keys = {_normalise(k): v for k, v in mapping.items() if _normalise(k)}
        ranked = sorted(keys, key=lambda k: (-len(k), order.index(keys[k]), k))
        patterns = tuple(
            (k, keys[k], re.compile(("(?<![a-z0-9])" if k.isascii() else "") + re.escape(k))) for k in ranked
        )
        return cls(exact=keys, patterns=patterns)

    def match(self, text: str) -> tuple[str | None, str | None]:
        """(type, keyword) for ``text``, or (None, None) when nothing matches."""
        if text in self.exact:
            return self.exact[text], text
        for key, kind, pattern in self.patterns:
            if pattern.search(text):
                return kind, key
        return None, None


def _examples(positions: np.ndarray, values: pd.Series) -> str:
    """``2: 'maybe'; 5: 15.0`` for the first bad rows (counted from 1)."""
    shown = []
    for p in positions[:5]:
        value = values.iloc[int(p)]
        shown.append(f"{int(p) + 1}: {value!r}" if isinstance(value, str) else f"{int(p) + 1}: {value}")
    return "; ".join(shown) + ("; ..." if len(positions) > 5 else "")


def _flag(values: pd.Series, column: str) -> pd.Series:
    """A churn flag (0/1, yes/no, true/false, 是/否, ...) as booleans; anything else raises InputError."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    text = values.map(_normalise)
    is_true = text.isin(_TRUE)
    bad = np.flatnonzero(~(is_true | text.isin(_FALSE)).to_numpy())
    if len(bad):
        examples = _examples(bad, values)
        raise InputError(t("churn.error.bad_flag", column=column, n=len(bad), examples=examples))
    return is_true


def _dates(values: pd.Series, column: str) -> pd.Series:
    """Dates of ``column``; text that is not a date raises InputError naming the rows."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    converted = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = np.flatnonzero((converted.isna() & values.notna() & (values.map(_normalise) != "")).to_numpy())
    if len(bad):
        examples = _examples(bad, values)
        raise InputError(t("churn.error.bad_date", column=column, n=len(bad), examples=examples))
    return converted


def _churners(df: pd.DataFrame) -> pd.DataFrame:
    """The churned rows (all rows when there is no ``churned`` column); none raises InputError."""
    require_nonempty(df, context=t("churn.context"))
    out = df[df["churned"].astype(bool)] if "churned" in df.columns else df
    if len(out) == 0:
        raise InputError(t("churn.error.no_churners", n=len(df)))
    return out


# ------------------------------------------------------------------------------- churn rate


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
    dates = _dates(df[churn_date_col], str(churn_date_col)) if has_date else pd.Series(pd.NaT, index=df.index)
    if as_of is not None:
        dates = dates.where(dates <= pd.Timestamp(as_of))
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
    if inactive_days <= 0:
        raise ParameterError(t("churn.error.inactive_days", value=inactive_days))
    require_nonempty(tx, context=t("churn.context"))
    require_columns(tx, [customer_col, timestamp_col, amount_col], context=t("churn.context"))
    data = require_numeric(tx[[customer_col, timestamp_col, amount_col]], [amount_col], context=t("churn.context"))
    data[timestamp_col] = _dates(data[timestamp_col], timestamp_col)
    cutoff = data[timestamp_col].max() if as_of is None else pd.Timestamp(as_of)
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


#: The churn definitions `mark_churn` understands.
DEFINITIONS = ("flag", "inactive", "list")


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

    ``as_of`` may be an empty string (no as-of date).
    """
    as_of = as_of or None
    if definition == "inactive":
        return churn_status_from_transactions(df, inactive_days=inactive_days, as_of=as_of)
    if definition not in DEFINITIONS:
        raise ParameterError(t("churn.error.bad_definition", value=definition) + did_you_mean(definition, DEFINITIONS))
    return churn_status(
        df, churn_col=churn_col, churn_date_col=churn_date_col, as_of=as_of, every_row_churned=definition == "list"
    )


@dataclass(frozen=True)
class ChurnRate:
    """Churn rate overall and, when a segment column is given, per segment."""

    n_customers: int
    n_churned: int
    rate: float
    by_segment: pd.DataFrame | None


def churn_rate(
    status: pd.DataFrame, *, segment_col: str | None = None, total_customers: int | None = None
) -> ChurnRate:
    """Share of customers who churned (顾客流失率).

    Parameters
    ----------
    status
        Output of `churn_status` or `churn_status_from_transactions` (a ``churned`` column).
    segment_col
        Also give the rate per value of this column (``segment, customers, churned, rate``).
    total_customers
        Size of the whole customer base, when ``status`` lists only part of it (e.g. churned
        customers only). Default: the rows of ``status``. When it is larger than the rows, rates
        per segment cannot be known and ``by_segment`` is None.

    Returns
    -------
    ChurnRate
    """
    require_nonempty(status, context=t("churn.context"))
    require_columns(status, ["churned"], context=t("churn.context"))
    churned = status["churned"].astype(bool)
    n_churned = int(churned.sum())
    n_customers = len(status) if not total_customers else int(total_customers)
    if n_customers < n_churned:
        raise ParameterError(t("churn.error.total_customers", total=n_customers, churned=n_churned))
    by_segment = None
    if segment_col is not None and n_customers == len(status):
        require_columns(status, [segment_col], context=t("churn.context"))
        grouped = churned.groupby(status[segment_col].fillna("?").astype(str))
        by_segment = pd.DataFrame({"customers": grouped.size(), "churned": grouped.sum().astype(int)})
        by_segment["rate"] = by_segment["churned"] / by_segment["customers"]
        by_segment = by_segment.rename_axis("segment").reset_index()
    return ChurnRate(n_customers, n_churned, n_churned / n_customers, by_segment)


def churn_by_period(
    status: pd.DataFrame, *, freq: str = "Q", start_col: str | None = None, total_customers: int | None = None
) -> pd.DataFrame:
    """Churn rate per period: customers who churned in the period / customers at risk at its start.

    A customer is at risk in a period if they had not churned before it began and (when
    ``start_col`` gives a start or first-purchase date) had started by its end.

    Parameters
    ----------
    status
        ``churned`` and ``churn_date`` columns (from `churn_status` with a date column, or from
        `churn_status_from_transactions`).
    freq
        A pandas period frequency: ``"M"`` month, ``"Q"`` quarter, ``"Y"`` year.
    start_col
        Optional start date of each customer (sign-up, first purchase).
    total_customers
        Size of the whole customer base when ``status`` lists only part of it (e.g. churned
        customers only); the customers not listed count as at risk in every period.

    Returns
    -------
    DataFrame
        ``period`` (text), ``at_risk``, ``churned``, ``rate``, one row per period from the first to
        the last churn date.
    """
    require_columns(status, ["churned", "churn_date"], context=t("churn.context"))
    dates = status["churn_date"].where(status["churned"].astype(bool))
    if dates.notna().sum() == 0:
        raise InputError(t("churn.error.no_churn_dates"))
    try:
        periods = dates.dt.to_period(freq)
    except ValueError as exc:
        raise ParameterError(t("churn.error.freq", freq=freq)) from exc
    starts = _dates(status[start_col], start_col) if start_col else None
    unlisted = max(0, int(total_customers or 0) - len(status))
    rows = []
    for period in pd.period_range(periods.min(), periods.max(), freq=freq):
        begin, end = period.start_time, period.end_time
        at_risk = dates.isna() | (dates >= begin)
        if starts is not None:
            at_risk &= starts.isna() | (starts <= end)
        churned = int((periods == period).sum())
        rows.append({"period": str(period), "at_risk": unlisted + int(at_risk.sum()), "churned": churned})
    out = pd.DataFrame(rows)
    out["rate"] = out["churned"] / out["at_risk"].where(out["at_risk"] > 0)
    return out


# ----------------------------------------------------------------------------------- causes


def cause_mapping(mapping: Mapping[str, str] | None = None, *, extend_default: bool = True) -> dict[str, str]:
    """The cause mapping to use: ``mapping`` on top of the default (or alone).

    Values may be type names (``price``, ...) or their Chinese names (价格, 产品, 技术, 政治, 其他);
    an unknown type raises ParameterError.
    """
    merged = dict(DEFAULT_CAUSE_MAPPING) if extend_default or not mapping else {}
    for key, value in (mapping or {}).items():
        merged[str(key)] = _resolve(value, CAUSES, CAUSE_ALIASES, t("churn.what.cause"))
    return merged


def map_causes(
    reasons: pd.Series, *, mapping: Mapping[str, str] | None = None, extend_default: bool = True
) -> pd.DataFrame:
    """Map reason texts (any language) or cause codes onto exit types.

    Parameters
    ----------
    reasons
        Free-text reasons or category labels.
    mapping
        Reason text or keyword -> exit type; entries override the default mapping.
    extend_default
        Add ``mapping`` to `DEFAULT_CAUSE_MAPPING` (True) or use it alone (False).

    Returns
    -------
    DataFrame
        Same index as ``reasons``: ``reason`` (as given), ``cause`` (one of `CAUSES`, or
        ``"unmapped"`` when nothing matches) and ``keyword`` (the matching key). A missing or
        empty reason is ``"other"`` (unknown).

    Examples
    --------
    >>> map_causes(pd.Series(["Too expensive", "搬家了", "see notes"]))["cause"].tolist()
    ['price', 'product', 'unmapped']
    """
    matcher = _Matcher.build(cause_mapping(mapping, extend_default=extend_default), CAUSES)
    texts = reasons.map(_normalise)
    found = {text: matcher.match(text) for text in texts.unique() if text}
    cause = texts.map(lambda s: (found[s][0] or UNMAPPED) if s else "other")
    keyword = texts.map(lambda s: found[s][1] if s else None)
    return pd.DataFrame({"reason": reasons, "cause": cause, "keyword": keyword}, index=reasons.index)


@dataclass(frozen=True)
class CauseDistribution:
    """Where churned customers went, by exit type.

    Attributes
    ----------
    assigned
        The churned rows with ``cause`` and ``keyword`` added.
    distribution
        ``cause, count, share, cumulative_share``, most frequent first (Pareto order); includes
        ``unmapped`` when some reasons matched nothing.
    unmapped
        ``reason, count`` of the reasons that matched nothing, most frequent first.
    by_segment
        Share of each cause (columns) per segment (rows), with ``customers``; or None.
    """

    assigned: pd.DataFrame
    distribution: pd.DataFrame
    unmapped: pd.DataFrame
    by_segment: pd.DataFrame | None

    @property
    def top_cause(self) -> str:
        """The most frequent exit type."""
        return str(self.distribution["cause"].iloc[0])

    @property
    def top_cause_share(self) -> float:
        """Share of churners with the most frequent exit type."""
        return float(self.distribution["share"].iloc[0])


def cause_distribution(
    df: pd.DataFrame,
    *,
    reason_col: str = "reason",
    segment_col: str | None = None,
    mapping: Mapping[str, str] | None = None,
    extend_default: bool = True,
) -> CauseDistribution:
    """The churn-cause distribution (流失原因分布): share of exits by exit type.

    Parameters
    ----------
    df
        Churned customers, or all customers with a ``churned`` column (only churned rows count).
    reason_col
        Free-text reason (any language) or a category column.
    segment_col
        Also break the distribution down by this column.
    mapping, extend_default
        See `map_causes`.

    Returns
    -------
    CauseDistribution

    Raises
    ------
    InputError
        No churned rows, or the reason column is missing.
    """
    churners = _churners(df)
    require_columns(churners, [reason_col], context=t("churn.context"))
    mapped = map_causes(churners[reason_col], mapping=mapping, extend_default=extend_default)
    assigned = churners.assign(cause=mapped["cause"], keyword=mapped["keyword"])
    counts = assigned["cause"].value_counts()
    order = sorted(counts.index, key=lambda c: (-counts[c], [*CAUSES, UNMAPPED].index(c)))
    distribution = pd.DataFrame({"cause": order, "count": [int(counts[c]) for c in order]})
    distribution["share"] = distribution["count"] / distribution["count"].sum()
    distribution["cumulative_share"] = distribution["share"].cumsum()
    missed = assigned.loc[assigned["cause"] == UNMAPPED, reason_col].astype(str)
    unmapped = missed.value_counts().rename_axis("reason").reset_index(name="count")
    by_segment = None
    if segment_col is not None:
        require_columns(churners, [segment_col], context=t("churn.context"))
        segment = assigned[segment_col].fillna("?").astype(str)
        table = pd.crosstab(segment, assigned["cause"], normalize="index")
        by_segment = table.reindex(columns=[c for c in order if c in table.columns])
        by_segment.insert(0, "customers", segment.value_counts().reindex(by_segment.index))
        by_segment = by_segment.rename_axis(index="segment", columns=None)
    return CauseDistribution(assigned, distribution, unmapped, by_segment)


# ---------------------------------------------------------------------------- exit economics


def _decimals(value: float) -> int:
    """Decimals needed to show ``value`` exactly, up to 2 (1,000 -> 0; 2.5 -> 1)."""
    return next((d for d in range(3) if round(value, d) == round(value, 2)), 2)


@dataclass(frozen=True)
class ExitEconomics:
    """The worked example of the text: customers lost, revenue lost and profit lost per year."""

    n_customers: int
    churn_rate: float
    revenue_per_customer: float
    margin: float
    n_lost: float
    revenue_lost: float
    profit_lost: float

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The figures as a table of text (``item``, ``value``): translated items, formatted values.

        >>> exit_economics(6000, 0.05, 1000, 0.10).table("en")["value"].tolist()
        ['6,000', '5%', '300', '1,000', '300,000', '10%', '30,000']
        """
        keys = ("n_customers", "churn_rate", "n_lost", "revenue_per_customer", "revenue_lost", "margin", "profit_lost")
        shares = {"churn_rate", "margin"}
        values = [
            f"{getattr(self, k):.{_decimals(getattr(self, k) * 100)}%}"
            if k in shares
            else f"{getattr(self, k):,.{_decimals(getattr(self, k))}f}"
            for k in keys
        ]
        return pd.DataFrame({"item": [t(f"churn.econ.{k}", lang) for k in keys], "value": values})


def exit_economics(n_customers: int, churn_rate: float, revenue_per_customer: float, margin: float) -> ExitEconomics:
    """Profit lost = customers x churn rate x revenue per customer x margin.

    Examples
    --------
    The text's worked example: 6,000 customers, 5% lost, 1,000 revenue each, 10% margin.

    >>> e = exit_economics(6000, 0.05, 1000, 0.10)
    >>> (e.n_lost, e.revenue_lost, e.profit_lost)
    (300.0, 300000.0, 30000.0)
    """
    _check_nonnegative(n_customers=n_customers, revenue_per_customer=revenue_per_customer)
    _check_share(churn_rate, "churn_rate")
    _check_share(margin, "margin")
    n_lost = n_customers * churn_rate
    revenue_lost = n_lost * revenue_per_customer
    return ExitEconomics(
        n_customers, churn_rate, revenue_per_customer, margin, n_lost, revenue_lost, revenue_lost * margin
    )


@dataclass(frozen=True)
class ExitCosts:
    """What the churned customers in the data cost.

    Attributes
    ----------
    per_customer
        The churned rows with ``revenue``, ``margin`` (filled with the defaults where missing),
        ``profit_lost`` (yearly revenue x margin), ``remaining_years`` and ``cost_of_defection``
        (profit_lost x remaining_years), most costly first.
    n_lost, revenue_lost, profit_lost, cost_of_defection
        Totals over the churned customers (revenue and profit per year).
    n_revenue_default, n_margin_default
        Churned customers whose revenue (margin) came from the default parameter.
    """

    per_customer: pd.DataFrame
    n_lost: int
    revenue_lost: float
    profit_lost: float
    cost_of_defection: float
    n_revenue_default: int
    n_margin_default: int


def _column_or_default(
    df: pd.DataFrame, column: str | None, default: float, *, share: bool
) -> tuple[pd.Series, pd.Series]:
    """Values of ``column`` (numbers; shares checked to lie in [0, 1]) with ``default`` where missing."""
    if column is None or column not in df.columns:
        return pd.Series(float(default), index=df.index), pd.Series(True, index=df.index)
    values = require_numeric(df[[column]], [column], context=t("churn.context"))[column].astype(float)
    lowest = 0.0 if share else -np.inf
    bad = np.flatnonzero(((values < lowest) | (values > (1.0 if share else np.inf))).to_numpy())
    if len(bad):
        examples = _examples(bad, values)
        raise InputError(t("churn.error.share_column", column=column, n=len(bad), examples=examples))
    return values.fillna(float(default)), values.isna()


def exit_costs(
    df: pd.DataFrame,
    *,
    revenue_col: str | None = "revenue",
    margin_col: str | None = "margin",
    revenue: float = 1000.0,
    margin: float = 0.10,
    lifetime_col: str | None = None,
    expected_lifetime_years: float = 3.0,
) -> ExitCosts:
    """Profit lost through churn, in total and per customer (the cost of defection).

    Parameters
    ----------
    df
        Churned customers, or all customers with a ``churned`` column.
    revenue_col, margin_col
        Yearly revenue and margin (a fraction in [0, 1]) per customer.
    revenue, margin
        Used when the column is absent or a cell is empty.
    lifetime_col, expected_lifetime_years
        Expected remaining years the customer would have stayed; the column wins where present.

    Returns
    -------
    ExitCosts

    Raises
    ------
    InputError
        No churned rows; revenue or margin not numeric; a margin outside [0, 1].
    ParameterError
        ``margin`` outside [0, 1], or a negative ``revenue`` or lifetime.
    """
    _check_share(margin, "margin")
    _check_nonnegative(revenue=revenue, expected_lifetime_years=expected_lifetime_years)
    churners = _churners(df)
    revenue_values, rev_default = _column_or_default(churners, revenue_col, revenue, share=False)
    margin_values, margin_default = _column_or_default(churners, margin_col, margin, share=True)
    years, _ = _column_or_default(churners, lifetime_col, expected_lifetime_years, share=False)
    per = churners.assign(revenue=revenue_values, margin=margin_values)
    per["profit_lost"] = per["revenue"] * per["margin"]
    per["remaining_years"] = years
    per["cost_of_defection"] = per["profit_lost"] * per["remaining_years"]
    per = per.sort_values("cost_of_defection", ascending=False, kind="stable")
    return ExitCosts(
        per_customer=per,
        n_lost=len(per),
        revenue_lost=float(per["revenue"].sum()),
        profit_lost=float(per["profit_lost"].sum()),
        cost_of_defection=float(per["cost_of_defection"].sum()),
        n_revenue_default=int(rev_default.sum()),
        n_margin_default=int(margin_default.sum()),
    )


class _Losses(Protocol):
    """Anything with the yearly losses: `ExitEconomics` or `ExitCosts`."""

    @property
    def n_lost(self) -> float: ...
    @property
    def revenue_lost(self) -> float: ...
    @property
    def profit_lost(self) -> float: ...


def break_even_budget(losses: _Losses, *, kept_share: float = 1.0) -> float:
    """The most a retention programme may cost: the profit it saves.

    That is the yearly profit of the share ``kept_share`` of the customers who would otherwise
    leave (in the text's example, 30,000 when all are kept).

    >>> break_even_budget(exit_economics(6000, 0.05, 1000, 0.10))
    30000.0
    """
    return losses.profit_lost * _check_share(kept_share, "kept_share")


def retention_what_if(
    losses: _Losses,
    *,
    kept_shares: Iterable[float] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    programme_cost: float = 0.0,
) -> pd.DataFrame:
    """What a retention programme is worth if it keeps a share of the customers who would leave.

    Returns
    -------
    DataFrame
        ``kept_share, customers_kept, revenue_saved, profit_saved`` (= the break-even budget at
        that share), ``programme_cost`` and ``net_profit`` (profit saved - programme cost).
    """
    shares = [_check_share(s, "kept_shares") for s in kept_shares]
    out = pd.DataFrame({"kept_share": shares})
    out["customers_kept"] = out["kept_share"] * losses.n_lost
    out["revenue_saved"] = out["kept_share"] * losses.revenue_lost
    out["profit_saved"] = out["kept_share"] * losses.profit_lost
    out["programme_cost"] = float(programme_cost)
    out["net_profit"] = out["profit_saved"] - out["programme_cost"]
    return out


# --------------------------------------------------------------------------------- win-back


def classify_winback(
    df: pd.DataFrame,
    *,
    reason_col: str = "reason",
    cause_col: str = "cause",
    type_col: str | None = None,
    keywords: Mapping[str, str] | None = None,
    by_cause: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Sort lost customers into the textbook's five kinds (`WINBACK_TYPES`).

    In order: a win-back type column (``type_col``, type names or Chinese names), else a keyword of
    the reason (``keywords``, default `DEFAULT_WINBACK_KEYWORDS`), else the exit type
    (``by_cause``, default `DEFAULT_WINBACK_BY_CAUSE`).

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``winback_type`` and ``winback_basis`` (``column``, ``keyword`` or
        ``cause``).
    """
    require_nonempty(df, context=t("churn.context"))
    out = df.copy()
    if type_col is not None:
        require_columns(df, [type_col], context=t("churn.context"))
        out["winback_type"] = [
            _resolve(v, WINBACK_TYPES, WINBACK_ALIASES, t("churn.what.winback")) for v in df[type_col]
        ]
        out["winback_basis"] = "column"
        return out
    require_columns(df, [reason_col, cause_col], context=t("churn.context"))
    rules = {**DEFAULT_WINBACK_BY_CAUSE, **(by_cause or {})}
    for value in rules.values():
        _resolve(value, WINBACK_TYPES, WINBACK_ALIASES, t("churn.what.winback"))
    table = dict(keywords) if keywords is not None else DEFAULT_WINBACK_KEYWORDS
    matcher = _Matcher.build(
        {k: _resolve(v, WINBACK_TYPES, WINBACK_ALIASES, t("churn.what.winback")) for k, v in table.items()},
        WINBACK_TYPES,
    )
    found = [matcher.match(_normalise(r))[0] for r in df[reason_col]]
    unknown = sorted(set(df[cause_col]) - set(rules))
    if unknown:
        raise InputError(t("churn.error.unknown_cause", values=", ".join(map(str, unknown)), column=cause_col))
    out["winback_type"] = [
        f or _resolve(rules[c], WINBACK_TYPES, WINBACK_ALIASES, "") for f, c in zip(found, df[cause_col], strict=True)
    ]
    out["winback_basis"] = ["keyword" if f else "cause" for f in found]
    return out


@dataclass(frozen=True)
class WinBack:
    """Win-back ranking and recommendation.

    Attributes
    ----------
    ranking
        One row per lost customer, recommended ones first, then by ``expected_value``:
        ``winback_type``, ``second_life_value`` (yearly profit x second-life years),
        ``success_rate``, ``expected_value`` (success rate x second-life value) and ``recommend``.
    summary
        Per type: ``customers``, ``win_back`` (the table's rule), ``recommended``,
        ``expected_value`` (sum) and ``recommended_value`` (sum over recommended customers).
    """

    ranking: pd.DataFrame
    summary: pd.DataFrame


def winback_table(overrides: Mapping[str, Mapping[str, float | bool]] | None = None) -> pd.DataFrame:
    """The recommendation table, `DEFAULT_WINBACK_TABLE` with ``overrides`` applied (per type, per field)."""
    merged = {k: dict(v) for k, v in DEFAULT_WINBACK_TABLE.items()}
    for key, fields in (overrides or {}).items():
        kind = _resolve(key, WINBACK_TYPES, WINBACK_ALIASES, t("churn.what.winback"))
        unknown = set(fields) - {"win_back", "success_rate"}
        if unknown:
            raise ParameterError(t("churn.error.table_field", fields=", ".join(sorted(unknown))))
        merged[kind].update(fields)
    table = pd.DataFrame.from_dict(merged, orient="index").rename_axis("winback_type")
    table["win_back"] = table["win_back"].astype(bool)
    table["success_rate"] = [_check_share(float(v), "success_rate") for v in table["success_rate"]]
    return table


def win_back(
    df: pd.DataFrame,
    *,
    table: Mapping[str, Mapping[str, float | bool]] | None = None,
    second_life_years: float = 3.0,
    min_value: float = 0.0,
    reason_col: str = "reason",
    cause_col: str = "cause",
    type_col: str | None = None,
    keywords: Mapping[str, str] | None = None,
    by_cause: Mapping[str, str] | None = None,
) -> WinBack:
    """Rank lost customers by expected second-life value and recommend whom to win back (赢返).

    A customer is recommended when the table says to win back their type and their expected
    second-life value is at least ``min_value``.

    Parameters
    ----------
    df
        Lost customers with ``revenue`` and ``margin`` (e.g. `ExitCosts.per_customer`) and a
        ``cause`` column (from `cause_distribution`) or a win-back type column.
    table
        Overrides of `DEFAULT_WINBACK_TABLE`, e.g. ``{"price_seeker": {"win_back": True}}``.
    second_life_years
        Years a won-back customer is expected to stay.
    min_value
        Smallest expected second-life value worth an attempt.
    reason_col, cause_col, type_col, keywords, by_cause
        See `classify_winback`.

    Returns
    -------
    WinBack
    """
    _check_nonnegative(second_life_years=second_life_years)
    rules = winback_table(table)
    require_columns(df, ["revenue", "margin"], context=t("churn.context"))
    ranked = classify_winback(
        df, reason_col=reason_col, cause_col=cause_col, type_col=type_col, keywords=keywords, by_cause=by_cause
    )
    ranked["second_life_value"] = ranked["revenue"] * ranked["margin"] * second_life_years
    ranked["success_rate"] = ranked["winback_type"].map(rules["success_rate"])
    ranked["expected_value"] = ranked["success_rate"] * ranked["second_life_value"]
    ranked["recommend"] = ranked["winback_type"].map(rules["win_back"]) & (ranked["expected_value"] >= min_value)
    ranked = ranked.sort_values(["recommend", "expected_value"], ascending=[False, False], kind="stable")
    grouped = ranked.groupby("winback_type")
    summary = pd.DataFrame(
        {
            "customers": grouped.size(),
            "recommended": grouped["recommend"].sum().astype(int),
            "expected_value": grouped["expected_value"].sum(),
            "recommended_value": ranked["expected_value"]
            .where(ranked["recommend"], 0.0)
            .groupby(ranked["winback_type"])
            .sum(),
        }
    ).reindex(list(WINBACK_TYPES), fill_value=0)
    summary.insert(1, "win_back", rules["win_back"].reindex(summary.index))
    return WinBack(ranking=ranked, summary=summary.reset_index())


# ------------------------------------------------------------------------------- reporting


def _label(value: object, lang: str | None) -> object:
    """The translated name of an exit or win-back type, else ``value`` unchanged."""
    for prefix in ("churn.cause.", "churn.winback."):
        if isinstance(value, str) and prefix + value in catalogue():
            return t(prefix + value, lang)
    return value


def localize(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """A copy of a result table for a report: type names and column names in ``lang``.

    Exit types and win-back types (in ``cause`` / ``winback_type`` columns, or as column names) and
    the known column names are translated; everything else is unchanged.

    >>> localize(pd.DataFrame({"cause": ["price"], "share": [0.4]}), "zh").columns.tolist()
    ['流失类型', '占比']
    """
    out = table.copy()
    for column in ("cause", "winback_type"):
        if column in out.columns:
            out[column] = out[column].map(lambda v: _label(v, lang))
    names = {c: t(f"churn.col.{c}", lang) if f"churn.col.{c}" in catalogue() else _label(c, lang) for c in out.columns}
    out = out.rename(columns=names)
    if out.index.name and f"churn.col.{out.index.name}" in catalogue():
        out.index.name = t(f"churn.col.{out.index.name}", lang)
    return out
