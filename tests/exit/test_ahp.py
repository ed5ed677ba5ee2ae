"""AHP: published examples, consistency rejection and matrix checks."""

from __future__ import annotations

import numpy as np
import pytest

from crmlab.core.errors import ParameterError
from crmlab.exit.ahp import RANDOM_INDEX, ahp_weights, hierarchy_weights, parse_matrix

# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services Sciences
# 1(1): 83-98, table "Which drink is consumed more in the US?" Rows and columns in this order.
DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS_MATRIX = [
    [1, 9, 5, 2, 1, 1, "1/2"],
    ["1/9", 1, "1/3", "1/9", "1/9", "1/9", "1/9"],
    ["1/5", 3, 1, "1/3", "1/4", "1/3", "1/9"],
    ["1/2", 9, 3, 1, "1/2", 1, "1/3"],
    [1, 9, 4, 2, 1, 2, "1/2"],
    [1, 9, 3, 1, "1/2", 1, "1/3"],
    [2, 9, 9, 3, 2, 3, 1],
]
DRINKS_WEIGHTS = {
    "water": 0.327,
    "soda": 0.190,
    "coffee": 0.177,
    "milk": 0.129,
    "beer": 0.116,
    "tea": 0.042,
    "wine": 0.019,
}


def test_saaty_drinks_weights_and_consistency() -> None:
    result = ahp_weights(DRINKS_MATRIX, labels=DRINKS, name="drinks")
    assert result.weights.round(3).to_dict() == DRINKS_WEIGHTS
    assert result.cr == pytest.approx(0.022, abs=0.0005)
    assert result.ri == 1.32
    assert result.lambda_max == pytest.approx(7.177, abs=0.001)
    assert result.ci == pytest.approx((result.lambda_max - 7) / 6)


def _full(labels: list[str], upper: dict[tuple[str, str], float]) -> list[list[float]]:
    """A reciprocal matrix from the judgements ``{(a, b): how much a beats b}``."""
    index = {name: i for i, name in enumerate(labels)}
    matrix = np.ones((len(labels), len(labels)))
    for (a, b), value in upper.items():
        matrix[index[a], index[b]] = value
        matrix[index[b], index[a]] = 1 / value
    return matrix.tolist()


# Saaty (2005), Theory and Applications of the Analytic Network Process, RWS Publications: the "best
# city to live in" hierarchy (goal -> five criteria -> four cities), as transcribed in the test suite
# of the AHPy package (github.com/PhilipGriffith/AHPy). Published result: Pittsburgh .385,
# Boston .275, Bethesda .229, Santa Fe .111.
CRITERIA = ["culture", "family", "housing", "jobs", "transportation"]
CITIES = ["Bethesda", "Boston", "Pittsburgh", "Santa Fe"]
CITY_JUDGEMENTS = {
    "goal": (
        CRITERIA,
        {
            ("culture", "housing"): 3,
            ("culture", "transportation"): 5,
            ("family", "culture"): 5,
            ("family", "housing"): 7,
            ("family", "transportation"): 7,
            ("housing", "transportation"): 3,
            ("jobs", "culture"): 2,
            ("jobs", "housing"): 4,
            ("jobs", "transportation"): 7,
            ("family", "jobs"): 1,
        },
    ),
    "culture": (
        CITIES,
        {
            ("Bethesda", "Pittsburgh"): 1,
            ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 2.5,
            ("Boston", "Santa Fe"): 1,
            ("Santa Fe", "Bethesda"): 2,
            ("Santa Fe", "Pittsburgh"): 2.5,
        },
    ),
    "family": (
        CITIES,
        {
            ("Bethesda", "Boston"): 2,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Santa Fe"): 2,
            ("Pittsburgh", "Bethesda"): 3,
            ("Pittsburgh", "Boston"): 8,
            ("Pittsburgh", "Santa Fe"): 9,
        },
    ),
    "housing": (
        CITIES,
        {
            ("Bethesda", "Boston"): 5,
            ("Bethesda", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 9,
            ("Pittsburgh", "Santa Fe"): 7,
            ("Santa Fe", "Boston"): 4,
        },
    ),
    "jobs": (
        CITIES,
        {
            ("Bethesda", "Pittsburgh"): 3,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Bethesda"): 2,
            ("Boston", "Pittsburgh"): 6,
            ("Boston", "Santa Fe"): 8,
            ("Pittsburgh", "Santa Fe"): 1,
        },
    ),
    "transportation": (
        CITIES,
        {
            ("Bethesda", "Boston"): 1.5,
            ("Bethesda", "Santa Fe"): 4,
            ("Boston", "Santa Fe"): 2.5,
            ("Pittsburgh", "Bethesda"): 2,
            ("Pittsburgh", "Boston"): 3.5,
            ("Pittsburgh", "Santa Fe"): 9,
        },
    ),
}


def test_saaty_best_city_hierarchy() -> None:
    matrices = {name: _full(labels, judgements) for name, (labels, judgements) in CITY_JUDGEMENTS.items()}
    tree = {name: labels for name, (labels, _) in CITY_JUDGEMENTS.items()}
    result = hierarchy_weights(matrices, tree, root="goal")
    assert result.global_weights.round(3).to_dict() == {
        "Bethesda": 0.229,
        "Boston": 0.275,
        "Pittsburgh": 0.385,
        "Santa Fe": 0.111,
    }
    assert result.global_weights.sum() == pytest.approx(1.0)
    assert all(node.cr < 0.10 for node in result.nodes.values())
    # one row per path: 5 criteria x 4 cities
    assert len(result.table) == 20


def test_consistent_matrix_recovers_weights_exactly() -> None:
    w = np.array([0.5, 0.25, 0.15, 0.1])
    result = ahp_weights((w[:, None] / w[None, :]).tolist())
    np.testing.assert_allclose(result.weights.to_numpy(), w, atol=1e-12)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_inconsistent_matrix_is_rejected_with_name_and_cr() -> None:
    # a beats b, b beats c, c beats a - all strongly: a cycle no weights can honour.
    cycle = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]
    with pytest.raises(ParameterError, match=r"'loyalty' is too inconsistent: CR = \d+\.\d{3}"):
        ahp_weights(cycle, name="loyalty")


def test_cr_threshold_is_strict_at_the_limit() -> None:
    matrix = [[1, 2, 6], ["1/2", 1, 1], ["1/6", 1, 1]]
    cr = ahp_weights(matrix, max_cr=1.0).cr
    assert 0 < cr
    with pytest.raises(ParameterError):
        ahp_weights(matrix, max_cr=cr)


def test_two_by_two_is_always_consistent() -> None:
    result = ahp_weights([[1, 3], ["1/3", 1]], labels=["a", "b"])
    assert result.weights.to_dict() == pytest.approx({"a": 0.75, "b": 0.25})
    assert result.cr == 0.0


def test_random_index_table_is_saatys() -> None:
    assert list(RANDOM_INDEX.values()) == [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [0.5]], "must be square"),
        ([[1, "x"], [1, 1]], r"row 1, column 2: 'x' is not a number"),
        ([[1, -2], [-0.5, 1]], "must be positive"),
        ([[2, 2], [0.5, 1]], "diagonal"),
        ([[1, 3], [3, 1]], "must be the reciprocal"),
    ],
)
def test_bad_matrices_are_named(matrix: list[list[object]], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        parse_matrix(matrix, name="current")  # type: ignore[arg-type]


def test_rounded_reciprocals_are_accepted() -> None:
    assert parse_matrix([[1, 3], [0.333, 1]])[1, 0] == pytest.approx(0.333)


def test_order_above_ten_is_refused() -> None:
    with pytest.raises(ParameterError, match="1 to 10"):
        ahp_weights(np.ones((11, 11)).tolist())


def test_hierarchy_needs_a_matrix_of_the_right_size() -> None:
    tree = {"goal": ["a", "b"], "b": ["b1", "b2", "b3"]}
    with pytest.raises(ParameterError, match="No comparison matrix"):
        hierarchy_weights({"goal": [[1, 1], [1, 1]]}, tree, root="goal")
    with pytest.raises(ParameterError, match="'b' has 3 elements"):
        hierarchy_weights({"goal": [[1, 1], [1, 1]], "b": [[1, 1], [1, 1]]}, tree, root="goal")
