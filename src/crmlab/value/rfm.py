"""RFM scores and RFM segments of a customer summary.

``one row per customer (crmlab.data.summary.customer_summary) -> r/f/m scores and a segment``
(`rfm_scores`), then ``-> one row per segment`` (`segment_profile`) and its report table
(`profile_table`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_whole
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

#: RFM segments: name -> ((lowest R, highest R), (lowest F, highest F)); the first match wins.
SEGMENTS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "champions": ((4, 5), (4, 5)),
    "loyal": ((3, 5), (3, 5)),
    "new": ((4, 5), (1, 1)),
    "promising": ((3, 5), (1, 2)),
    "at_risk": ((1, 2), (3, 5)),
    "hibernating": ((1, 2), (1, 2)),
}


def _score(values: pd.Series, bins: int) -> pd.Series:
    """Scores 1..bins by rank; ties share the lowest score of their rank range."""
    rank = values.rank(method="min").to_numpy()
    return pd.Series(np.floor(bins * (rank - 1) / len(values)).astype("int64") + 1, index=values.index)


def rfm_scores(
    summary: pd.DataFrame,
    *,
    bins: int = 5,
    segments: dict[str, tuple[tuple[int, int], tuple[int, int]]] | None = None,
) -> pd.DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score`` (1..``bins``, higher is better), ``rfm`` and ``segment``.

    R ranks ``recency_days`` (more recent scores higher), F ranks ``orders``, M ranks ``revenue``.
    ``segment`` is the first entry of ``segments`` (default `SEGMENTS`, defined for 5 bins) whose
    R and F ranges contain the customer's scores; customers matching none get ``"other"``.

    Examples
    --------
    >>> s = pd.DataFrame({"recency_days": [1, 50, 200, 300, 5], "orders": [9, 3, 1, 1, 2],
    ...                   "revenue": [900.0, 60.0, 10.0, 5.0, 40.0]})
    >>> rfm_scores(s)[["r_score", "f_score", "m_score", "segment"]].values.tolist()
    [[5, 5, 5, 'champions'], [3, 4, 4, 'loyal'], [2, 1, 2, 'hibernating'], [1, 1, 1, 'hibernating'], [4, 3, 3, 'loyal']]
    """
    require_columns(summary, ["recency_days", "orders", "revenue"], context="RFM scores")
    check_whole(bins, "bins", low=2)
    if summary.empty:
        raise InputError(t("value.no_customers", context="RFM"))
    rules = SEGMENTS if segments is None else segments
    out = summary.copy()
    out["r_score"] = _score(-summary["recency_days"], bins)
    out["f_score"] = _score(summary["orders"], bins)
    out["m_score"] = _score(summary["revenue"], bins)
    out["rfm"] = out["r_score"].astype(str) + out["f_score"].astype(str) + out["m_score"].astype(str)
    segment = pd.Series("other", index=out.index, dtype=object)
    for name, ((r_lo, r_hi), (f_lo, f_hi)) in reversed(list(rules.items())):
        hit = out["r_score"].between(r_lo, r_hi) & out["f_score"].between(f_lo, f_hi)
        segment = segment.mask(hit, name)
    out["segment"] = segment
    return out


def segment_profile(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per segment: customers, share, mean recency/orders/revenue, revenue share.

    Segments come in the order of `SEGMENTS` (then ``other``); empty segments are left out.
    """
    require_columns(scored, ["segment", "recency_days", "orders", "revenue"], context="segment profile")
    grouped = scored.groupby("segment", sort=False)
    profile = grouped.agg(
        customers=("segment", "size"),
        recency_days=("recency_days", "mean"),
        orders=("orders", "mean"),
        revenue=("revenue", "mean"),
        total_revenue=("revenue", "sum"),
    )
    profile["customer_share"] = profile["customers"] / len(scored)
    profile["revenue_share"] = profile["total_revenue"] / scored["revenue"].sum()
    order = [s for s in [*SEGMENTS, *sorted(set(profile.index) - set(SEGMENTS))] if s in profile.index]
    return profile.loc[order].drop(columns="total_revenue").rename_axis("segment").reset_index()


def profile_table(profile: pd.DataFrame, lang: str | None = None) -> Styler:
    """`segment_profile` for the report: segment names in words, shares as percentages, money with 2 decimals."""
    kinds = {
        "customers": "count",
        "customer_share": "percent",
        "recency_days": "{:,.0f}",
        "orders": "{:,.1f}",
        "revenue": "money",
        "revenue_share": "percent",
    }
    return display_table(
        profile,
        headings=("value.col_segments", "value.col"),
        kinds=kinds,
        values={"segment": "value.segment"},
        columns=["segment", *kinds],
        lang=lang,
    )
