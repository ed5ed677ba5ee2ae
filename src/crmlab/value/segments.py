"""Segments found by clustering, for when the classes are not known in advance (method 2).

``one row per customer (recency_days, orders, revenue) -> k-means segments, their profile, and a
shallow decision tree that says in plain words who belongs where``.

The hotel thesis: cluster customers when the classes are not known in advance; use a decision tree
(or a neural network) when they are. So k-means runs on the standardised logarithms of recency,
frequency and spend (log, because all three are strongly skewed), for every number of segments in
a range, and the number with the highest silhouette (Rousseeuw 1987: how much closer each customer is
to their own segment than to the next one, from -1 to 1) is kept; the number is chosen on a seeded
sample of `SAMPLE` customers, then every customer is segmented. Segments are numbered by their
share of revenue. A tree of depth `TREE_DEPTH` fitted to the segments on the raw features (days,
orders, money) then describes each segment by rules a reader can check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.checks import check_whole
from crmlab.core.display import display_table
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

FEATURES = ("recency_days", "orders", "revenue")
TREE_DEPTH = 3
#: Customers the number of segments is chosen on (a seeded sample: the silhouette is quadratic in customers).
SAMPLE = 3000
#: k-means starts per fit (the best of them is kept).
STARTS = 4


@dataclass(frozen=True)
class Segments:
    """k-means segments.

    ``customers``: the input with ``segment`` (1 = the largest share of revenue). ``profile``: one row
    per segment: ``segment``, ``customers``, ``customer_share``, mean ``recency_days``, ``orders`` and
    ``revenue``, ``revenue_share``, and ``<feature>_level`` (the word of `LEVELS` against the mean
    customer; `segment_names` puts them in a language).
    ``scores``: ``k`` and ``silhouette`` for each number of segments tried. ``rules``: per segment, the
    tree leaf that holds most of its customers: ``segment``, ``bounds`` (``(feature, threshold,
    above)`` per condition), ``customers`` in the leaf, ``precision`` (share of them in the segment).
    ``tree_accuracy``: the share of all customers the tree puts in their own segment.
    """

    customers: pd.DataFrame
    profile: pd.DataFrame
    scores: pd.DataFrame
    k: int
    silhouette: float
    rules: pd.DataFrame
    tree_accuracy: float


def _features(customers: pd.DataFrame) -> np.ndarray:
    from sklearn.preprocessing import StandardScaler

    logged = np.log1p(customers[list(FEATURES)].astype(float).clip(lower=0).to_numpy())
    return np.asarray(StandardScaler().fit_transform(logged))


def kmeans_segments(
    customers: pd.DataFrame, *, min_segments: int = 2, max_segments: int = 8, seed: int = 0
) -> Segments:
    """Cluster customers with k-means, choosing the number of segments by silhouette.

    Parameters
    ----------
    customers : DataFrame
        One row per customer with ``recency_days``, ``orders`` and ``revenue``
        (`crmlab.data.summary.customer_summary`).
    min_segments, max_segments : int
        The range of numbers of segments tried (both included).
    seed : int
        Seed of k-means and of the sample the number of segments is chosen on.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> groups = [(5, 20, 2000.0), (300, 1, 20.0)]
    >>> df = pd.concat([pd.DataFrame({"recency_days": rng.poisson(r, 200), "orders": 1 + rng.poisson(o, 200),
    ...                               "revenue": rng.gamma(4, m / 4, 200)}) for r, o, m in groups])
    >>> found = kmeans_segments(df, max_segments=4)
    >>> found.k, round(found.silhouette, 2) > 0.5, found.profile["customers"].tolist()
    (2, True, [200, 200])
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    require_columns(customers, list(FEATURES), context="k-means segments")
    check_whole(min_segments, "min_segments", low=2)
    check_whole(max_segments, "max_segments", low=min_segments)
    x = _features(customers)
    distinct = len(np.unique(x, axis=0))
    if distinct <= min_segments:
        raise InputError(t("value.segments.too_few", n=distinct, k=min_segments))
    rng = np.random.default_rng(seed)
    chosen = x[np.sort(rng.choice(len(x), size=min(SAMPLE, len(x)), replace=False))]
    scores = []
    for k in range(min_segments, min(max_segments, distinct - 1) + 1):
        found = KMeans(n_clusters=k, n_init=STARTS, random_state=seed).fit_predict(chosen)
        scores.append((k, float(silhouette_score(chosen, found)) if len(set(found)) > 1 else -1.0))
    table = pd.DataFrame(scores, columns=["k", "silhouette"])
    best = table.iloc[int(table["silhouette"].to_numpy().argmax())]
    k = int(best["k"])
    labels = KMeans(n_clusters=k, n_init=STARTS, random_state=seed).fit_predict(x)
    out = customers.copy()
    revenue = out["revenue"].astype(float)
    order = revenue.groupby(labels).sum().sort_values(ascending=False).index
    out["segment"] = pd.Series(labels, index=out.index).map({c: i + 1 for i, c in enumerate(order)})
    profile = _profile(out)
    rules, accuracy = _rules(out, seed)
    return Segments(out, profile, table, k, float(best["silhouette"]), rules, accuracy)


#: The words of a segment's profile: feature -> (word when above the mean customer, word when not).
LEVELS: dict[str, tuple[str, str]] = {
    "recency_days": ("lapsed", "recent"),
    "orders": ("frequent", "occasional"),
    "revenue": ("high_spend", "low_spend"),
}


def _profile(customers: pd.DataFrame) -> pd.DataFrame:
    by = customers.groupby("segment")
    profile = by[list(FEATURES)].mean()
    profile["customers"] = by.size()
    profile["customer_share"] = profile["customers"] / len(customers)
    profile["revenue_share"] = by["revenue"].sum() / customers["revenue"].sum()
    means = customers[list(FEATURES)].astype(float).mean()
    for feature, (above, below) in LEVELS.items():
        profile[f"{feature}_level"] = np.where(profile[feature] > means[feature], above, below)
    columns = ["segment", "customers", "customer_share", *FEATURES, "revenue_share"]
    return profile.reset_index()[columns + [f"{f}_level" for f in LEVELS]]


def segment_names(segments: Segments, lang: str | None = None) -> list[str]:
    """Each segment in words, against the mean customer: recent or long silent, frequent or not, spend."""
    levels = segments.profile[[f"{f}_level" for f in LEVELS]].to_numpy()
    return [
        t(
            "value.segments.name",
            lang,
            **{k: t(f"value.segments.{w}", lang) for k, w in zip(("recency", "frequency", "spend"), row, strict=True)},
        )
        for row in levels
    ]


def _condition(feature: str, threshold: float, above: bool, lang: str | None) -> str:
    """One split in words: whole numbers for days and orders, money with two decimals."""
    what = t(f"value.segments.{feature}", lang)
    if feature == "revenue":
        return t(
            "value.segments.above" if above else "value.segments.at_most", lang, what=what, value=f"{threshold:,.2f}"
        )
    whole = math.floor(threshold)
    key = "value.segments.at_least" if above else "value.segments.at_most"
    return t(key, lang, what=what, value=f"{whole + 1 if above else whole:,}")


def _rules(customers: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, float]:
    """The leaf of a shallow tree that holds most of each segment, with the bounds of its path."""
    from sklearn.tree import DecisionTreeClassifier

    from crmlab.propensity.tree import leaf_paths

    x = customers[list(FEATURES)].astype(float).to_numpy()
    y = customers["segment"].to_numpy()
    tree = DecisionTreeClassifier(max_depth=TREE_DEPTH, random_state=seed).fit(x, y)
    structure = tree.tree_
    leaf_of = tree.apply(x)
    rows = []
    for leaf, path in leaf_paths(tree).items():
        members = y[leaf_of == leaf]
        segment = int(tree.classes_[int(np.argmax(structure.value[leaf][0]))])
        bounds: dict[tuple[str, bool], float] = {}
        for node, right in path:  # keep the tightest bound of each feature and side
            feature, threshold = FEATURES[structure.feature[node]], float(structure.threshold[node])
            previous = bounds.get((feature, right))
            bounds[(feature, right)] = threshold if previous is None else (max if right else min)(previous, threshold)
        ordered = tuple(
            (f, v, right) for (f, right), v in sorted(bounds.items(), key=lambda kv: FEATURES.index(kv[0][0]))
        )
        rows.append((segment, ordered, int((members == segment).sum()), len(members)))
    leaves = pd.DataFrame(rows, columns=["segment", "bounds", "in_segment", "customers"])
    leaves["precision"] = leaves["in_segment"] / leaves["customers"]
    best = leaves.sort_values(["segment", "in_segment"], ascending=[True, False]).drop_duplicates("segment")
    accuracy = float((tree.predict(x) == y).mean())
    return best.drop(columns="in_segment").reset_index(drop=True), accuracy


def choice_text(segments: Segments, lang: str | None = None) -> str:
    """How many segments were chosen, with what silhouette, and how clear the separation is."""
    scores = segments.scores
    quality = (
        "value.segments.strong"
        if segments.silhouette >= 0.5
        else ("value.segments.fair" if segments.silhouette >= 0.25 else "value.segments.weak")
    )
    return (
        t(
            "value.segments.choice",
            lang,
            low=int(scores["k"].min()),
            high=int(scores["k"].max()),
            k=segments.k,
            silhouette=segments.silhouette,
        )
        + " "
        + t(quality, lang)
    )


def rules_text(segments: Segments, lang: str | None = None) -> str:
    """One sentence per segment from the tree, and how often the tree agrees with k-means."""
    names = dict(zip(segments.profile["segment"], segment_names(segments, lang), strict=True))
    lines = [
        "- "
        + t(
            "value.segments.rule",
            lang,
            segment=int(row["segment"]),
            name=names[row["segment"]],
            conditions=t("value.segments.and", lang).join(_condition(f, v, up, lang) for f, v, up in row["bounds"]),
            customers=int(row["customers"]),
            precision=row["precision"],
        )
        for row in segments.rules.to_dict("records")
    ]
    return t("value.segments.tree", lang, depth=TREE_DEPTH, accuracy=segments.tree_accuracy) + "\n\n" + "\n".join(lines)


def segments_table(segments: Segments, lang: str | None = None) -> Styler:
    """The profile per segment, in business words."""
    kinds = {
        "segment": "count",
        "customers": "count",
        "customer_share": "percent",
        "recency_days": "number",
        "orders": "number",
        "revenue": "money",
        "revenue_share": "percent",
    }
    table = segments.profile.assign(name=segment_names(segments, lang))
    columns = ["segment", "name", "customers", "customer_share", *FEATURES, "revenue_share"]
    return display_table(table, headings=["value.col_segments", "value.col"], kinds=kinds, columns=columns, lang=lang)
