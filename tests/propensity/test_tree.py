"""Tests of crmlab.propensity.tree: the one leaf walker and rule induction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from crmlab import propensity as P
from crmlab.core.errors import ParameterError
from tests.conftest import zh_message


def test_leaf_paths_match_sklearns_decision_path() -> None:
    # oracle: scikit-learn's decision_path gives the nodes each case passes through
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(300, 5))
    y = (X[:, 0] & X[:, 1]) | X[:, 2]
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    paths = P.leaf_paths(tree)
    assert set(paths) == set(np.flatnonzero(tree.tree_.children_left == -1))
    assert list(paths) == sorted(paths, key=lambda leaf: [right for _, right in paths[leaf]])  # left first
    assert P.leaf_paths(tree.tree_) == paths
    visited = tree.decision_path(X)
    for row, leaf in enumerate(tree.apply(X)):
        nodes = list(visited[row].indices)
        assert [node for node, _ in paths[leaf]] == nodes[:-1]
        assert [tree.tree_.children_right[node] == nxt for node, nxt in zip(nodes, nodes[1:], strict=False)] == [
            right for _, right in paths[leaf]
        ]
        # right means "has the attribute" for 0/1 features
        assert all(bool(X[row, tree.tree_.feature[node]]) == right for node, right in paths[leaf])


def test_leaf_paths_of_a_stump() -> None:
    stump = DecisionTreeClassifier().fit([[0], [1]], [0, 1])
    assert P.leaf_paths(stump) == {1: [(0, False)], 2: [(0, True)]}
    single = DecisionTreeClassifier().fit([[0], [1]], [1, 1])
    assert P.leaf_paths(single) == {0: []}


def test_rules_state_the_planted_segment(fitted: dict) -> None:
    parts = fitted["parts"]
    rules = P.extract_rules(fitted["models"]["tree"], parts.test.X, parts.test.y, lang="en")
    top = rules.iloc[0]
    assert top["conditions"]["kind"] == {"eq": "a"}
    assert 28 <= top["conditions"]["age"]["le"] < 30
    assert "kind = a" in top["rule"] and "age ≤ 29" in top["rule"]
    assert top["precision"] > 0.4 and top["lift"] > 5
    assert rules["cases"].sum() == len(parts.test.y)
    assert np.isclose(rules["support"].sum(), 1.0)
    zh = P.extract_rules(fitted["models"]["tree"], parts.test.X, parts.test.y, lang="zh")
    assert "，且" in zh["rule"].iloc[0]


def test_extract_rules_needs_the_tree(fitted: dict) -> None:
    parts = fitted["parts"]
    with pytest.raises(ParameterError, match="'tree' model"):
        P.extract_rules(fitted["models"]["logistic"], parts.test.X, parts.test.y)
    zh_message(
        lambda: P.extract_rules(fitted["models"]["mlp"], parts.test.X, pd.Series(parts.test.y)), ParameterError
    )
