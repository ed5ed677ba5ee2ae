"""Win-back (赢返): which lost customers are worth winning back (step 6 of notebook 50).

The textbook's five kinds of lost customer (`WINBACK_TYPES`: dropped by the firm, left although
retained, attracted by a competitor, low-price seeker, lost the condition to buy) come from a type
column, a keyword of the reason or the exit type (`classify_winback`). Each lost customer is ranked by
expected second-life value, and a recommendation table says which kinds to try (`win_back`). The
keywords, the rules by exit type and the table are data (``keywords.yaml``); parameters override them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from crmlab.churn.keywords import WINBACK_TYPES, KeywordMatcher, keyword_tables, normalise, resolve_type
from crmlab.core.checks import check_range
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns, require_nonempty

__all__ = ["WinBack", "classify_winback", "win_back", "winback_table"]

#: The fields of a row of the recommendation table.
TABLE_FIELDS = ("win_back", "success_rate")


def _winback_type(value: object) -> str:
    """The win-back type of a type name or alias (低价寻求者, ...), else ParameterError."""
    return resolve_type(value, WINBACK_TYPES, keyword_tables().winback_aliases, t("churn.what.winback"))


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
    the reason (``keywords``, default: the win-back keywords of ``keywords.yaml``), else the exit type
    (``by_cause``, added to the default rules by exit type).

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``winback_type`` and ``winback_basis`` (``column``, ``keyword`` or
        ``cause``).

    Examples
    --------
    >>> lost = pd.DataFrame({"reason": ["switched to a competitor", "too expensive", "?"],
    ...                      "cause": ["other", "price", "technology"]})
    >>> classify_winback(lost)["winback_type"].tolist()
    ['competitor_offer', 'price_seeker', 'competitor_offer']
    """
    require_nonempty(df, context=t("churn.context"))
    out = df.copy()
    if type_col is not None:
        require_columns(df, [type_col], context=t("churn.context"))
        out["winback_type"] = [_winback_type(v) for v in df[type_col]]
        out["winback_basis"] = "column"
        return out
    require_columns(df, [reason_col, cause_col], context=t("churn.context"))
    tables = keyword_tables()
    rules = {k: _winback_type(v) for k, v in {**tables.winback_by_cause, **(by_cause or {})}.items()}
    table = keywords if keywords is not None else tables.winback_keywords
    matcher = KeywordMatcher.build({k: _winback_type(v) for k, v in table.items()}, WINBACK_TYPES)
    found = [matcher.match(normalise(r))[0] for r in df[reason_col]]
    unknown = sorted(set(df[cause_col]) - set(rules), key=str)
    if unknown:
        raise InputError(t("churn.error.unknown_cause", values=", ".join(map(str, unknown)), column=cause_col))
    out["winback_type"] = [f or rules[c] for f, c in zip(found, df[cause_col], strict=True)]
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

    @property
    def n_recommended(self) -> int:
        """Lost customers recommended for a win-back attempt."""
        return int(self.ranking["recommend"].sum())

    @property
    def recommended_value(self) -> float:
        """Expected second-life value of the recommended customers."""
        return float(self.ranking.loc[self.ranking["recommend"], "expected_value"].sum())


def winback_table(overrides: Mapping[str, Mapping[str, float | bool]] | None = None) -> pd.DataFrame:
    """The recommendation table of ``keywords.yaml`` with ``overrides`` applied (per type, per field).

    Returns
    -------
    DataFrame
        ``win_back, success_rate``, indexed by ``winback_type`` (one row per type of `WINBACK_TYPES`).

    Examples
    --------
    >>> table = winback_table({"低价寻求者": {"win_back": True}})
    >>> bool(table.loc["price_seeker", "win_back"]), float(table.loc["price_seeker", "success_rate"])
    (True, 0.2)
    """
    merged = {k: dict(v) for k, v in keyword_tables().winback_table.items()}
    for key, fields in (overrides or {}).items():
        kind = _winback_type(key)
        unknown = sorted(set(fields) - set(TABLE_FIELDS))
        if unknown:
            raise ParameterError(t("churn.error.table_field", fields=", ".join(unknown)))
        merged[kind].update(fields)
    table = pd.DataFrame.from_dict(merged, orient="index").rename_axis("winback_type")
    table["win_back"] = table["win_back"].astype(bool)
    table["success_rate"] = [
        check_range(v, "success_rate", low=0, high=1, hint=t("churn.hint.share")) for v in table["success_rate"]
    ]
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
        Overrides of the recommendation table, e.g. ``{"price_seeker": {"win_back": True}}``.
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
    check_range(second_life_years, "second_life_years", low=0)
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
    return WinBack(ranking=ranked, summary=summary.rename_axis("winback_type").reset_index())
