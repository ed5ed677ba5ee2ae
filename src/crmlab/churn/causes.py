"""Why customers leave: reasons mapped onto exit types, and the churn-cause distribution (step 3 of notebook 50).

Free-text or coded reasons (any language) are mapped onto the exit types of the source text - price
价格, product 产品, technology 技术, political/social 政治 and other/unknown 其他 (`map_causes`).
Reasons that no entry of the mapping matches are kept as ``"unmapped"`` and listed, never dropped
(`cause_distribution`). The default mapping is data (``keywords.yaml``); pass your own to override or
extend it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from crmlab.churn.keywords import CAUSES, UNMAPPED, KeywordMatcher, keyword_tables, normalise, resolve_type
from crmlab.churn.status import churned_rows
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

__all__ = ["CauseDistribution", "cause_distribution", "cause_mapping", "map_causes"]


def cause_mapping(mapping: Mapping[str, str] | None = None, *, extend_default: bool = True) -> dict[str, str]:
    """The cause mapping to use: ``mapping`` on top of the default (or alone).

    Values may be type names (``price``, ...) or their Chinese names (价格, 产品, 技术, 政治, 其他);
    an unknown type raises ParameterError.

    >>> cause_mapping({"续费": "价格"}, extend_default=False)
    {'续费': 'price'}
    """
    tables = keyword_tables()
    merged = dict(tables.cause_mapping) if extend_default or not mapping else {}
    for key, value in (mapping or {}).items():
        merged[str(key)] = resolve_type(value, CAUSES, tables.cause_aliases, t("churn.what.cause"))
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
        Add ``mapping`` to the default mapping of ``keywords.yaml`` (True) or use it alone (False).

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
    matcher = KeywordMatcher.build(cause_mapping(mapping, extend_default=extend_default), CAUSES)
    texts = reasons.map(normalise)
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
        Share of each cause (columns) per segment (rows, index ``segment``), with ``customers``; or None.
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

    @property
    def top2_share(self) -> float:
        """Share of churners with one of the two most frequent exit types."""
        return float(self.distribution["share"].iloc[:2].sum())

    @property
    def n_unmapped(self) -> int:
        """Churners whose reason matched no entry of the mapping."""
        return int(self.unmapped["count"].sum())


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

    Examples
    --------
    >>> result = cause_distribution(pd.DataFrame({"reason": ["too expensive", "价格太高", "搬家"]}))
    >>> (result.top_cause, round(result.top_cause_share, 3))
    ('price', 0.667)
    """
    churners = churned_rows(df)
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
