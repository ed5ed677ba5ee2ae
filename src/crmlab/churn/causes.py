"""Why customers leave: reasons mapped onto exit types, and the churn-cause distribution (step 3 of notebook 50).

Free-text or coded reasons (any language) are mapped onto the exit types (`CAUSES`): the source text's
price 价格, product 产品, technology 技术 and political/social 政治, plus service 服务 (the text's
worked example: customers lost to poor service), other 其他 and unknown 未知 ("Don't know", blank).
The reason vocabulary is data (``keywords.yaml``, English and Chinese); `map_causes` documents the
order in which it is tried and how a ``mapping`` of your own extends or overrides it. Reasons that
nothing matches are kept as ``"unmapped"`` and listed with a ready-to-paste mapping for them
(`mapping_template`), never dropped; neither they nor unknown answers are ever the top cause.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from crmlab.churn.keywords import (
    CAUSES,
    UNKNOWN,
    UNMAPPED,
    KeywordMatcher,
    keyword_tables,
    normalise,
    resolve_type,
)
from crmlab.churn.status import churned_rows
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

__all__ = ["NOT_CAUSES", "CauseDistribution", "cause_distribution", "cause_matchers", "map_causes", "mapping_template"]

#: Groups that are shown and counted but never reported as a cause: unknown answers and unmapped reasons.
NOT_CAUSES = (UNKNOWN, UNMAPPED)


def cause_matchers(mapping: Mapping[str, str] | None = None, *, extend_default: bool = True) -> list[KeywordMatcher]:
    """The matchers `map_causes` tries, in order: ``mapping``, then the default vocabulary's three tiers.

    Values of ``mapping`` may be type names (``price``, ...) or their Chinese names (价格, 产品, 服务,
    技术, 政治, 其他, 未知); an unknown type raises ParameterError.

    >>> [m.match("续费太麻烦")[0] for m in cause_matchers({"续费": "价格"}, extend_default=False)]
    ['price']
    """
    tables = keyword_tables()
    what = t("churn.what.cause")
    own = {str(k): resolve_type(v, CAUSES, tables.cause_aliases, what) for k, v in (mapping or {}).items()}
    matchers = [KeywordMatcher.build(own, CAUSES)]
    if extend_default:
        matchers += [
            KeywordMatcher(exact=dict(tables.whole_answers), patterns=()),
            KeywordMatcher.build(tables.cause_mapping, CAUSES),
            KeywordMatcher.build(tables.cause_fallback, CAUSES),
        ]
    return matchers


def map_causes(
    reasons: pd.Series, *, mapping: Mapping[str, str] | None = None, extend_default: bool = True
) -> pd.DataFrame:
    """Map reason texts (any language) or cause codes onto exit types.

    The order (``keywords.yaml`` documents it too): (1) ``mapping``, (2) the default short answers
    matched only whole ("Don't know", "不知道", "Other"), (3) the default reason vocabulary, (4) the
    default fallback words that name no cause by themselves ("competitor", "转网": price). Within
    each, a reason equal to a key wins, else the longest key found in the reason (ties: the type
    listed first in `CAUSES`). Case, spaces, curly apostrophes and a final full stop do not matter.

    Parameters
    ----------
    reasons
        Free-text reasons or category labels.
    mapping
        Reason text or keyword -> exit type; tried before the default vocabulary, so it overrides it.
    extend_default
        Try the default vocabulary of ``keywords.yaml`` after ``mapping`` (True) or use ``mapping``
        alone (False).

    Returns
    -------
    DataFrame
        Same index as ``reasons``: ``reason`` (as given), ``cause`` (one of `CAUSES`, or
        ``"unmapped"`` when nothing matches) and ``keyword`` (the matching key). A missing or
        empty reason is ``"unknown"``.

    Examples
    --------
    >>> map_causes(pd.Series(["Too expensive", "搬家了", "Don't know", "see notes"]))["cause"].tolist()
    ['price', 'product', 'unknown', 'unmapped']
    """
    matchers = cause_matchers(mapping, extend_default=extend_default)

    def first_match(text: str) -> tuple[str | None, str | None]:
        for matcher in matchers:
            found = matcher.match(text)
            if found[0] is not None:
                return found
        return UNMAPPED, None

    texts = reasons.map(normalise)
    found = {text: first_match(text) for text in texts.unique() if text}
    cause = texts.map(lambda s: found[s][0] if s else UNKNOWN)
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
        ``cause, count, share, cumulative_share``: the exit types most frequent first (Pareto order),
        then ``unknown`` and ``unmapped`` when present, which are never counted as a cause.
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
    def causes(self) -> pd.DataFrame:
        """The rows of ``distribution`` that are exit types (without unknown and unmapped)."""
        return self.distribution[~self.distribution["cause"].isin(NOT_CAUSES)]

    @property
    def top_cause(self) -> str | None:
        """The most frequent exit type (never unknown or unmapped); None when no reason was classified."""
        return str(self.causes["cause"].iloc[0]) if len(self.causes) else None

    @property
    def top_cause_share(self) -> float:
        """Share of all churners with the most frequent exit type (0 when there is none)."""
        return float(self.causes["share"].iloc[0]) if len(self.causes) else 0.0

    @property
    def top2_share(self) -> float:
        """Share of all churners with one of the two most frequent exit types."""
        return float(self.causes["share"].iloc[:2].sum())

    def n_causes_to(self, share: float = 0.8) -> int | None:
        """How many exit types, most frequent first, make up ``share`` of all exits (the Pareto count).

        None when all the exit types together stay below ``share`` (too many unknown or unmapped reasons).

        >>> cause_distribution(pd.DataFrame({"reason": ["price"] * 6 + ["product"] * 3 + ["?"]})).n_causes_to(0.8)
        2
        """
        reached = self.causes["cumulative_share"].to_numpy() >= share - 1e-9
        return int(reached.argmax()) + 1 if reached.any() else None

    @property
    def top_by_segment(self) -> pd.DataFrame | None:
        """Per segment: ``segment``, its lost customers ``churned``, its top exit type ``cause`` and its ``share``.

        ``cause`` is None for a segment none of whose reasons was classified; None without segments.
        """
        if self.by_segment is None:
            return None
        shares = self.by_segment[[c for c in self.by_segment.columns if c in CAUSES and c not in NOT_CAUSES]]
        top = shares.max(axis=1) if len(shares.columns) else pd.Series(0.0, index=self.by_segment.index)
        cause = shares.idxmax(axis=1).where(top > 0) if len(shares.columns) else top.where(top > 0)
        out = pd.DataFrame({"churned": self.by_segment["customers"], "cause": cause, "share": top})
        return out.reset_index().sort_values("churned", ascending=False, kind="stable", ignore_index=True)

    @property
    def n_unmapped(self) -> int:
        """Churners whose reason matched no entry of the mapping."""
        return int(self.unmapped["count"].sum())

    def share_of(self, cause: str) -> float:
        """Share of all churners in ``cause`` (an exit type, ``unknown`` or ``unmapped``); 0 if absent."""
        shares = self.distribution.set_index("cause")["share"]
        return float(shares.get(cause, 0.0))

    @property
    def unmapped_share(self) -> float:
        """Share of all churners whose reason matched nothing."""
        return self.share_of(UNMAPPED)

    @property
    def unknown_share(self) -> float:
        """Share of all churners without a usable reason (blank, "Don't know", ...)."""
        return self.share_of(UNKNOWN)


def _order(counts: pd.Series) -> list[str]:
    """Exit types by count (ties: the order of `CAUSES`), then unknown and unmapped."""
    known = [c for c in counts.index if c not in NOT_CAUSES]
    return sorted(known, key=lambda c: (-counts[c], CAUSES.index(c))) + [c for c in NOT_CAUSES if c in counts.index]


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
    >>> result = cause_distribution(pd.DataFrame({"reason": ["too expensive", "价格太高", "搬家", "?", "?"]}))
    >>> (result.top_cause, round(result.top_cause_share, 3), result.unknown_share)
    ('price', 0.4, 0.4)
    """
    churners = churned_rows(df)
    require_columns(churners, [reason_col], context=t("churn.context"))
    mapped = map_causes(churners[reason_col], mapping=mapping, extend_default=extend_default)
    assigned = churners.assign(cause=mapped["cause"], keyword=mapped["keyword"])
    counts = assigned["cause"].value_counts()
    order = _order(counts)
    distribution = pd.DataFrame({"cause": order, "count": [int(counts[c]) for c in order]})
    distribution["share"] = distribution["count"] / distribution["count"].sum()
    distribution["cumulative_share"] = distribution["share"].cumsum()
    missed = assigned.loc[assigned["cause"] == UNMAPPED, reason_col].astype(str).str.strip()
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


def mapping_template(result: CauseDistribution, *, cause: str = "other") -> str:
    """A ready-to-paste ``cause_mapping`` for every unmapped reason, each set to ``cause``.

    The text is valid Python, JSON and YAML: paste it as notebook 50's ``cause_mapping`` (or
    ``-p cause_mapping=...``) after setting each reason's exit type.

    >>> mapping_template(cause_distribution(pd.DataFrame({"reason": ["see notes", "详见备注", "see notes"]})))
    '{"see notes": "other", "详见备注": "other"}'
    """
    return json.dumps(dict.fromkeys(result.unmapped["reason"], cause), ensure_ascii=False)
