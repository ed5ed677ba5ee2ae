"""Purchase types: labelling baskets and customers by an itemset, and a readable tree of who they are.

``lines + {"trendy": ["wine", "sweets", "gourmet coffee"]} -> customer labels``
``customers + labels -> TypeRules ("trendy tends to be: gender = F, age = 25–45, income = 60+")``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.basket.attributes import band_attributes
from crmlab.basket.rules import HEADINGS
from crmlab.core.checks import check_range, check_whole, did_you_mean
from crmlab.core.display import display_table
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t

__all__ = [
    "MIN_GAIN",
    "TypeRules",
    "adds_over_baseline",
    "classifier_text",
    "describe_type_rules",
    "label_baskets",
    "label_customers",
    "type_rules",
    "type_rules_table",
    "type_advice",
    "types_text",
]

#: Accuracy above always guessing the commonest type (2 points) from which the tree counts as telling types apart.
MIN_GAIN = 0.02


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

    >>> lines = pd.DataFrame({"invoice_id": ["1", "1", "2"], "item": ["wine", "sweets", "wine"]})
    >>> label_baskets(lines, {"trendy": ["wine", "sweets"]}).tolist()
    ['trendy', <NA>]
    """
    if not types:
        raise ParameterError(t("basket.err.no_types", example="{'trendy': ['wine', 'sweets']}"))
    pairs = lines[[basket_col, item_col]].dropna().drop_duplicates()
    known = set(pairs[item_col])
    for name, items in types.items():
        missing = [i for i in items if i not in known]
        if missing:
            raise InputError(
                t(
                    "basket.err.type_unknown_item",
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
        raise InputError(t("basket.err.no_customer", column=customer_col))
    check_whole(min_baskets, "min_baskets", low=1)
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


def types_text(labels: pd.DataFrame, *, other: str = "other", lang: str | None = None) -> str:
    """The sentence under the labels: how many customers have a purchase type other than ``other``."""
    typed = int((labels["purchase_type"] != other).sum())
    return t("basket.types_sentence", lang, n_typed=typed, n=len(labels))


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
    test_share: float = 0.3,
    seed: int = 0,
    lang: str | None = None,
) -> TypeRules:
    """Fit a rule-induction classifier (a shallow decision tree) of purchase type on attributes.

    ``labels`` is what `label_customers` returns. Attributes are banded (`band_attributes`) and
    one-hot encoded, so each split reads "attribute = value" or its negation. The model is tested
    on an independent ``test_share`` of the customers, split with ``seed``.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    check_range(test_share, "test_share", low=0, high=1, low_open=True, high_open=True)
    check_whole(max_depth, "max_depth", low=1)
    check_whole(min_samples_leaf, "min_samples_leaf", low=1)
    banded = band_attributes(customers, bands=bands, customer_col=customer_col, lang=lang)
    data = banded.merge(labels[[customer_col, "purchase_type"]].astype({customer_col: "string"}), on=customer_col)
    if data["purchase_type"].nunique() < 2:
        raise InputError(t("basket.err.one_type"))
    features = pd.get_dummies(data.drop(columns=[customer_col, "purchase_type"]), prefix_sep=" = ").astype(np.int8)
    target = data["purchase_type"].astype(str).to_numpy()
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=test_share, random_state=seed, stratify=target
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
    """One row per leaf of the fitted ``tree`` (walked by `crmlab.propensity.tree.leaf_paths`), best first.

    A split on a one-hot column ``"gender = F"`` sends customers who have it right: the condition
    reads ``gender = F`` on the right and ``not gender = F`` on the left.
    """
    from crmlab.propensity.tree import leaf_paths  # with scikit-learn, only when a tree is fitted

    structure = tree.tree_  # type: ignore[attr-defined]
    classes = tree.classes_  # type: ignore[attr-defined]
    rows = []
    for leaf, path in leaf_paths(tree).items():
        attributes = [(names[structure.feature[node]], has) for node, has in path]
        conditions = tuple(name if has else t("basket.not", lang, condition=name) for name, has in attributes)
        dist = structure.value[leaf][0]
        best = int(np.argmax(dist))
        rows.append((classes[best], conditions, int(structure.n_node_samples[leaf]), float(dist[best] / dist.sum())))
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


def adds_over_baseline(result: TypeRules) -> bool:
    """Whether the tree beats always guessing the commonest type by at least `MIN_GAIN` on held-out customers."""
    return result.test_accuracy - result.baseline_accuracy >= MIN_GAIN


def classifier_text(result: TypeRules, *, lang: str | None = None) -> str:
    """The sentence under the tree: its accuracy on held-out customers against always guessing, and what that means."""
    key = "basket.classifier_beats" if adds_over_baseline(result) else "basket.classifier_ties"
    gain = 100 * (result.test_accuracy - result.baseline_accuracy)
    return t(key, lang, accuracy=result.test_accuracy, baseline=result.baseline_accuracy, gain=gain, bar=100 * MIN_GAIN)


def type_advice(result: TypeRules, *, other: str | None = "other", lang: str | None = None) -> str:
    """The recommendation: whom to aim a purchase-type promotion at (the best leaf), or not to select by attributes."""
    rules = result.rules[result.rules["purchase_type"] != other]
    if not adds_over_baseline(result) or not len(rules):
        return t("basket.say.type_no_target", lang)
    best = rules.iloc[0]
    negation = t("basket.not", lang, condition="")
    positive = [str(c) for c in best["conditions"] if not str(c).startswith(negation)] or list(
        map(str, best["conditions"])
    )
    return t(
        "basket.say.type_target",
        lang,
        type=best["purchase_type"],
        conditions=t("basket.and", lang).join(positive),
        share=float(best["share"]),
        base=float(best["base_share"]),
    )


def type_rules_table(result: TypeRules, *, lang: str | None = None) -> Styler:
    """The tree's leaves as a report table: type, conditions, customers, share of the type, base share."""
    table = result.rules.assign(
        conditions=[t("basket.and", lang).join(map(str, c)) for c in result.rules["conditions"]]
    )
    return display_table(
        table,
        headings=HEADINGS,
        kinds={"customers": "count", "share": "percent", "base_share": "percent"},
        columns=["purchase_type", "conditions", "customers", "share", "base_share"],
        lang=lang,
    )
