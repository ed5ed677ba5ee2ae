"""Rule induction: a fitted decision tree's leaves as plain-language rules.

`leaf_paths` is THE walker of a fitted scikit-learn tree (also used by `crmlab.basket` for its
one-hot attribute trees); `extract_rules` turns the leaves of the ``"tree"`` model of
`crmlab.propensity.models.build_models` into rules in the data's own columns and units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier

from crmlab.core.display import heading
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import catalogue, get_lang, t

__all__ = ["extract_rules", "leaf_paths"]


def leaf_paths(tree: Any) -> dict[int, list[tuple[int, bool]]]:
    """Every leaf of a fitted decision tree and the path from the root to it.

    Parameters
    ----------
    tree : fitted DecisionTreeClassifier, DecisionTreeRegressor or its ``tree_``
        A split sends a case left when ``feature <= threshold`` and right otherwise; for a one-hot
        (0/1) feature, left means "does not have it" and right "has it".

    Returns
    -------
    dict
        Leaf node -> list of ``(node, went_right)`` for each split on the way, root first. Leaves
        come in depth-first order, left branch first (left to right in a drawing of the tree).

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> fitted = DecisionTreeClassifier(random_state=0).fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])
    >>> leaf_paths(fitted)
    {1: [(0, False)], 3: [(0, True), (2, False)], 4: [(0, True), (2, True)]}
    """
    structure = getattr(tree, "tree_", tree)
    left, right = structure.children_left, structure.children_right
    paths: dict[int, list[tuple[int, bool]]] = {}
    stack: list[tuple[int, list[tuple[int, bool]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if left[node] == right[node]:  # both -1 at a leaf
            paths[node] = path
            continue
        stack.append((int(right[node]), [*path, (node, True)]))
        stack.append((int(left[node]), [*path, (node, False)]))
    return paths


def _output_conditions(preprocess: ColumnTransformer) -> list[tuple[str, str, Any]]:
    """For each output column of the fitted preprocessing: (source column, kind, value).

    kind is ``"num"`` (the column itself), ``"missing"`` (its missing-value indicator) or ``"cat"``
    (one-hot of category ``value``; a tuple value is the group of rare categories).
    """
    out: list[tuple[str, str, Any]] = []
    for kind, transformer, names in preprocess.transformers_:
        if kind == "num" and len(names):
            indicator = transformer.named_steps["impute"].indicator_
            out += [(n, "num", None) for n in names]
            if indicator is not None:
                out += [(names[i], "missing", None) for i in indicator.features_]
        elif kind == "cat" and len(names):
            encoder = transformer.named_steps["onehot"]
            for i, name in enumerate(names):
                rare = encoder.infrequent_categories_[i]
                rare_set = set() if rare is None else set(rare)
                out += [(name, "cat", c) for c in encoder.categories_[i] if c not in rare_set]
                if rare_set:
                    out.append((name, "cat", tuple(sorted(rare_set))))
    expected = len(preprocess.get_feature_names_out())
    if len(out) != expected:
        raise RuntimeError(t("propensity.err.unmapped_columns", n=expected))
    return out


def _fmt(value: float) -> str:
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _describe_numeric(column: str, bounds: dict[str, Any], integer: bool, lang: str) -> str | None:
    low, high = bounds.get("gt"), bounds.get("le")
    if low is None and high is None:
        return None
    if integer:
        low_text = None if low is None else _fmt(np.floor(low) + 1)
        high_text = None if high is None else _fmt(np.floor(high))
        low_key = "ge"
    else:
        low_text = None if low is None else _fmt(low)
        high_text = None if high is None else _fmt(high)
        low_key = "gt"
    if low_text is not None and high_text is not None:
        return t(f"propensity.rule.between_{low_key}", lang, column=column, low=low_text, high=high_text)
    if high_text is not None:
        return t("propensity.rule.le", lang, column=column, value=high_text)
    return t(f"propensity.rule.{low_key}", lang, column=column, value=low_text)


def _value(value: Any, values: str | None, lang: str) -> str:
    """A category as the reader reads it: the message ``<values>.<value>`` when there is one, else as it is."""
    key = f"{values}.{value}"
    return t(key, lang) if values and key in catalogue() else str(value)


def _category_text(column: str, value: Any, lang: str, values: str | None) -> str:
    if isinstance(value, tuple):
        shown = t("common.list_sep", lang).join(_value(v, values, lang) for v in value)
        return t("propensity.rule.in_rare", lang, column=column, values=shown)
    return t("propensity.rule.eq", lang, column=column, value=_value(value, values, lang))


def _describe(
    column: str, bounds: dict[str, Any], *, integer: bool, categories: list[Any], lang: str, values: str | None = None
) -> str:
    """Plain-language text of the conditions a path puts on one column (``column`` as the reader reads it).

    ``categories`` are the column's one-hot categories; excluding all but one reads as "= that one".
    """
    parts = []
    if "missing" in bounds:
        parts.append(
            t("propensity.rule.missing" if bounds["missing"] else "propensity.rule.present", lang, column=column)
        )
    if "eq" in bounds:
        parts.append(_category_text(column, bounds["eq"], lang, values))
    elif "neq" in bounds:
        left = [c for c in categories if c not in bounds["neq"]]
        if len(left) == 1:
            parts.append(_category_text(column, left[0], lang, values))
        else:
            excluded = [
                t("common.list_sep", lang).join(_value(x, values, lang) for x in v)
                if isinstance(v, tuple)
                else _value(v, values, lang)
                for v in bounds["neq"]
            ]
            parts.append(
                t("propensity.rule.not_in", lang, column=column, values=t("common.list_sep", lang).join(excluded))
            )
    numeric = _describe_numeric(column, bounds, integer, lang)
    if numeric is not None:
        parts.append(numeric)
    return t("propensity.rule.and", lang).join(parts)


def _path_conditions(
    path: list[tuple[int, bool]], columns: list[tuple[str, str, Any]], structure: Any
) -> dict[str, dict[str, Any]]:
    """Column -> bounds that the splits on ``path`` put on it (see `extract_rules`)."""
    conditions: dict[str, dict[str, Any]] = {}
    for node, right in path:
        column, kind, value = columns[structure.feature[node]]
        threshold = structure.threshold[node]
        bounds = conditions.setdefault(column, {})
        if kind == "num":
            key = "gt" if right else "le"
            pick = max if right else min
            bounds[key] = threshold if key not in bounds else pick(bounds[key], threshold)
        elif kind == "missing":
            bounds["missing"] = right
        elif right:
            bounds.pop("neq", None)
            bounds["eq"] = value
        elif "eq" not in bounds:
            bounds.setdefault("neq", []).append(value)
    return conditions


def extract_rules(
    model: Pipeline,
    X: pd.DataFrame,
    y: Any,
    *,
    lang: str | None = None,
    headings: Sequence[str] = (),
    values: str | None = None,
) -> pd.DataFrame:
    """The fitted decision tree's leaves as rules in plain language, with support and precision on ``X``, ``y``.

    Parameters
    ----------
    model : Pipeline
        The fitted ``"tree"`` model of `crmlab.propensity.models.build_models`.
    X, y : DataFrame, Series
        The cases on which to measure each rule (use the test set for an honest precision).
    lang : str, optional
        Language of the rule text.
    headings : sequence of str, optional
        Message prefixes naming the columns in the rule text, as in `crmlab.core.display.display_table`
        (``("fraud.col",)``: ``bill_trend_12m`` reads as the message ``fraud.col.bill_trend_12m``).
    values : str, optional
        Message prefix naming the categories (``"fraud.value"``: ``non-local`` reads as
        ``fraud.value.non-local``). Columns and categories without a message keep their names.

    Returns
    -------
    DataFrame
        One row per leaf, by precision descending: leaf, rule (conditions joined by "and"),
        conditions (column -> bounds: ``le`` / ``gt`` thresholds, ``eq`` category, ``neq`` list of
        excluded categories, ``missing`` flag; a tuple category is the group of rare ones), cases,
        support (share of cases), positives, precision (share positive among them), lift (precision
        / base rate), score (the model's probability for the leaf).
    """
    preprocess: ColumnTransformer = model.named_steps["prepare"]
    balanced = model.named_steps["model"]
    tree = balanced.estimator_.steps[-1][1]
    if not isinstance(tree, DecisionTreeClassifier):
        raise ParameterError(t("propensity.err.not_a_tree"))
    lang = lang or get_lang()
    columns = _output_conditions(preprocess)
    categories: dict[str, list[Any]] = {}
    for column, kind, value in columns:
        if kind == "cat":
            categories.setdefault(column, []).append(value)
    integer = {c: bool(np.all(np.mod(X[c].dropna(), 1) == 0)) for c in X.columns if pd.api.types.is_numeric_dtype(X[c])}
    y_arr = np.asarray(y, dtype=float)
    features = preprocess.transform(X)
    leaves = tree.apply(features)
    leaf_scores = balanced.predict_proba(features)[:, 1]
    base = y_arr.mean() if len(y_arr) else np.nan
    and_word = t("propensity.rule.and", lang)
    rows = []
    for leaf, path in leaf_paths(tree).items():
        conditions = _path_conditions(path, columns, tree.tree_)
        texts = [
            _describe(
                heading(c, headings, lang),
                b,
                integer=integer.get(c, False),
                categories=categories.get(c, []),
                lang=lang,
                values=values,
            )
            for c, b in conditions.items()
        ]
        mask = leaves == leaf
        cases = int(mask.sum())
        positives = int(y_arr[mask].sum())
        precision = positives / cases if cases else np.nan
        rows.append(
            {
                "leaf": leaf,
                "rule": and_word.join(texts) or t("propensity.rule.all", lang),
                "conditions": conditions,
                "cases": cases,
                "support": cases / len(y_arr) if len(y_arr) else np.nan,
                "positives": positives,
                "precision": precision,
                "lift": precision / base if base else np.nan,
                "score": float(leaf_scores[mask][0]) if cases else np.nan,
            }
        )
    return pd.DataFrame(rows).sort_values(["precision", "cases"], ascending=False, ignore_index=True)
