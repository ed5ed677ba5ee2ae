"""Pairs of items: their association both ways, the cross-sell table and the spider web (蜘蛛网图).

``Itemsets -> pair metrics -> cross-sell offers (item, offer, why) | SpiderWeb (nodes, edges)``
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.basket.rules import HEADINGS, Itemsets, check_metric, rule_metrics
from crmlab.core.checks import check_range, check_whole
from crmlab.core.display import display_table
from crmlab.core.i18n import t

__all__ = [
    "CROSS_SELL_LIFT",
    "SpiderWeb",
    "cross_sell",
    "cross_sell_advice",
    "cross_sell_table",
    "pair_metrics",
    "spider_web",
    "strong_pairs",
    "web_caption",
]

#: The lift from which a pair counts as bought together (cross-sell offers, spider-web lines).
CROSS_SELL_LIFT = 1.5


def pair_metrics(itemsets: Itemsets) -> pd.DataFrame:
    """Association of every frequent pair, in both directions.

    Returns
    -------
    DataFrame
        ``item``, ``other``, ``count`` (baskets with both), ``support``, ``confidence`` (share of
        baskets with ``item`` that have ``other``), ``lift``, ``leverage``, ``conviction``; two
        rows per pair.

    Examples
    --------
    >>> from crmlab.basket.rules import mine
    >>> pairs = pair_metrics(mine([["tea", "milk"], ["tea"], ["milk", "tea"], ["milk"]], min_support=0.5))
    >>> pairs[["item", "other", "count", "confidence"]].values.tolist()
    [['milk', 'tea', 2, 0.6666666666666666], ['tea', 'milk', 2, 0.6666666666666666]]
    """
    single = itemsets.counts(1)
    rows = []
    for itemset, both in itemsets.counts(2).items():
        a, b = sorted(itemset, key=str)
        rows += [(a, b, both, single[frozenset([a])], single[frozenset([b])])]
        rows += [(b, a, both, single[frozenset([b])], single[frozenset([a])])]
    frame = pd.DataFrame(rows, columns=["item", "other", "count", "item_count", "other_count"])
    metrics = rule_metrics(
        frame["item_count"].to_numpy(), frame["other_count"].to_numpy(), frame["count"].to_numpy(), itemsets.n_baskets
    )
    return frame[["item", "other", "count"]].assign(**metrics)


def strong_pairs(itemsets: Itemsets, *, min_lift: float = CROSS_SELL_LIFT) -> pd.DataFrame:
    """The frequent pairs bought together at least ``min_lift`` times as often as by chance, strongest first.

    One row per pair (lift is the same both ways): ``item``, ``other``, ``count``, ``support``,
    ``lift``, ordered by lift, then by count.
    """
    check_range(min_lift, "min_lift", low=1)
    pairs = pair_metrics(itemsets)
    pairs = pairs[(pairs["lift"] >= min_lift) & (pairs["item"].map(str) < pairs["other"].map(str))]
    pairs = pairs.sort_values(["lift", "count"], ascending=False, kind="stable", ignore_index=True)
    return pairs[["item", "other", "count", "support", "lift"]]


def cross_sell_advice(
    pairs: pd.DataFrame, *, min_lift: float = CROSS_SELL_LIFT, top: int = 3, lang: str | None = None
) -> str:
    """The recommendation from `strong_pairs`: the ``top`` pairs to offer and shelve together, or that none is."""
    if not len(pairs):
        return t("basket.say.cross_sell_none", lang, lift=min_lift)
    shown = [
        t("basket.pair_lift", lang, a=a, b=b, lift=lift)
        for a, b, lift in zip(pairs["item"], pairs["other"], pairs["lift"], strict=True)
    ][:top]
    return t("basket.say.cross_sell", lang, pairs=t("common.list_sep", lang).join(shown), n=len(pairs), lift=min_lift)


def cross_sell(
    itemsets: Itemsets,
    *,
    top_items: int = 10,
    per_item: int = 3,
    min_lift: float = CROSS_SELL_LIFT,
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
    check_whole(top_items, "top_items", low=1)
    check_whole(per_item, "per_item", low=1)
    pairs = pair_metrics(itemsets)
    pairs = pairs[pairs["lift"] >= min_lift]
    support = {next(iter(s)): c for s, c in itemsets.counts(1).items()}
    top = sorted(set(pairs["item"]), key=lambda i: (-support[i], str(i)))[:top_items]
    rows = []
    for item in top:
        best = pairs[pairs["item"] == item].sort_values(["lift", "confidence"], ascending=False).head(per_item)
        for row in best.itertuples():
            why = t("basket.why", lang, item=item, offer=row.other, confidence=row.confidence, lift=row.lift)
            rows.append((item, row.other, row.confidence, row.lift, row.count, why))
    return pd.DataFrame(rows, columns=["item", "offer", "confidence", "lift", "count", "why"])


def cross_sell_table(table: pd.DataFrame, *, lang: str | None = None) -> Styler:
    """`cross_sell`'s table as a report shows it: headings in ``lang``, figures rounded, no row numbers."""
    return display_table(
        table,
        headings=HEADINGS,
        kinds={"confidence": "percent", "lift": "ratio", "count": "count", "why": "text"},
        columns=["item", "offer", "confidence", "lift", "count", "why"],
        lang=lang,
    )


@dataclass(frozen=True)
class SpiderWeb:
    """Nodes and edges of the spider-web chart (蜘蛛网图).

    ``nodes``: ``item``, ``support``, in the order items join the chart (the items of the strongest
    pair first, so associated items sit next to each other). ``edges``: ``source``,
    ``target``, ``strength`` (the metric; for directed metrics the stronger direction),
    ``support``, ordered by strength. ``metric`` names the strength; ``min_lift`` is the lift
    cut-off of the edges and ``lift`` the lift of each edge.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    metric: str
    min_lift: float = CROSS_SELL_LIFT
    lift: tuple[float, ...] = ()


def spider_web(
    itemsets: Itemsets,
    *,
    top_n: int = 20,
    metric: str = "lift",
    min_lift: float = CROSS_SELL_LIFT,
    max_edges: int | None = None,
) -> SpiderWeb:
    """The items of the strongest pairs (up to ``top_n``) and the frequent pairs joining them.

    Pairs are the frequent 2-itemsets with lift >= ``min_lift`` (default the cross-sell cut-off:
    pairs just above 1 are mostly chance); the strength of a pair is its ``metric`` (the larger of
    its two directions for confidence and conviction). Items are taken from the strongest pairs
    down until there are ``top_n``; items without such a pair are left out. At most ``max_edges``
    edges (default ``2 * top_n``) are kept, the strongest first, so the chart stays readable.
    """
    check_metric(metric)
    check_whole(top_n, "top_n", low=2)
    pairs = pair_metrics(itemsets)
    check_range(min_lift, "min_lift", low=1)
    pairs = pairs[pairs["lift"] >= min_lift]
    in_order = np.array([str(a) <= str(b) for a, b in zip(pairs["item"], pairs["other"], strict=True)], dtype=bool)
    pairs = pairs.assign(
        source=pairs["item"].where(in_order, pairs["other"]), target=pairs["other"].where(in_order, pairs["item"])
    )
    best = pairs.sort_values([metric, "count"], ascending=False, kind="stable").drop_duplicates(["source", "target"])
    table = itemsets.table
    singles = table[table["itemsets"].map(len) == 1].sort_values("support", ascending=False, kind="stable")
    support = dict(zip((next(iter(s)) for s in singles["itemsets"]), singles["support"], strict=True))
    chosen: dict[object, None] = {}
    for a, b in zip(best["item"], best["other"], strict=True):
        for item in (a, b):
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
    edges = edges.head(max_edges or 2 * top_n).reset_index(drop=True)
    return SpiderWeb(nodes=nodes, edges=edges, metric=metric, min_lift=float(min_lift), lift=_lifts(best, edges))


def _lifts(pairs: pd.DataFrame, edges: pd.DataFrame) -> tuple[float, ...]:
    """The lift of each edge (whatever metric weighs it), for the labels of the strongest pairs."""
    lift = {(s, t): v for s, t, v in zip(pairs["source"], pairs["target"], pairs["lift"], strict=True)}
    return tuple(float(lift[(s, t)]) for s, t in zip(edges["source"], edges["target"], strict=True))


def web_caption(web: SpiderWeb, *, lang: str | None = None) -> str:
    """The sentence under the spider web: how many pairs pass the lift cut-off, and the strongest."""
    if not len(web.edges):
        return t("basket.say.web_none", lang, lift=web.min_lift)
    top = int(np.argmax(web.lift))
    pair = t("basket.pair", lang, a=web.edges["source"].iloc[top], b=web.edges["target"].iloc[top])
    return t(
        "basket.say.web", lang, n=len(web.edges), items=len(web.nodes), lift=web.min_lift, pair=pair, top=web.lift[top]
    )
