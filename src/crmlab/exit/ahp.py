"""Analytic Hierarchy Process (AHP, 层次分析法): weights from pairwise-comparison matrices.

A pairwise-comparison matrix ``A`` on Saaty's 1-9 scale says how much more important element ``i``
is than element ``j`` (``A[i, j]``, with ``A[j, i] = 1 / A[i, j]``). The weights are the principal
eigenvector of ``A`` scaled to sum to one; its eigenvalue ``λmax`` measures consistency:
``CI = (λmax - n) / (n - 1)`` and ``CR = CI / RI(n)`` with Saaty's random index ``RI``. A matrix
with ``CR >= 0.10`` is too inconsistent to use and is rejected.

A hierarchy is a tree ``{criterion: [children]}``; an element's global weight is the product of the
local weights on the path from the root, summed over paths when an element appears under several
criteria (Saaty's distributive synthesis).

References
----------
Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
Saaty, T. L. (2008). Decision making with the analytic hierarchy process. *International Journal of
Services Sciences*, 1(1), 83-98.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t

#: Saaty's random consistency index RI for matrices of order n = 1..10.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
MAX_CR = 0.10
_RECIPROCAL_TOLERANCE = 0.02

Matrix = Sequence[Sequence[float | int | str]]


@dataclass(frozen=True)
class AHPResult:
    """The weights and consistency of one pairwise-comparison matrix.

    Attributes
    ----------
    name : str
        The matrix's name (used in messages).
    weights : pandas.Series
        Principal-eigenvector weights indexed by element label; they sum to one.
    lambda_max : float
        The principal eigenvalue.
    ci : float
        Consistency index ``(λmax - n) / (n - 1)``.
    ri : float
        Saaty's random index for this order.
    cr : float
        Consistency ratio ``CI / RI`` (0 for n <= 2, which are always consistent).
    """

    name: str
    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float


@dataclass(frozen=True)
class HierarchyResult:
    """Local and global weights of an AHP hierarchy.

    Attributes
    ----------
    nodes : dict[str, AHPResult]
        The result of each criterion's matrix, keyed by criterion.
    table : pandas.DataFrame
        One row per path to a leaf: ``leaf``, ``path`` (criteria from the root, joined by
        " > "), ``local_weight`` and ``global_weight``.
    global_weights : pandas.Series
        Global weight of each leaf (summed over paths), in leaf order; sums to one.
    """

    nodes: dict[str, AHPResult]
    table: pd.DataFrame
    global_weights: pd.Series


def _to_number(value: float | int | str, *, name: str, i: int, j: int) -> float:
    """A matrix cell as a float; strings such as ``"1/3"`` are read as fractions."""
    try:
        number = float(Fraction(value)) if isinstance(value, str) else float(value)
    except (ValueError, ZeroDivisionError, TypeError):
        raise ParameterError(t("exit.ahp.not_a_number", name=name, row=i + 1, col=j + 1, value=repr(value))) from None
    return number


def parse_matrix(matrix: Matrix, *, name: str = "matrix") -> np.ndarray:
    """Check a pairwise-comparison matrix and return it as a float array.

    Parameters
    ----------
    matrix : list of lists
        Square matrix; cells are numbers or fraction strings such as ``"1/3"``.
    name : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
        The matrix as floats.

    Raises
    ------
    ParameterError
        If the matrix is not square, has non-positive cells, a diagonal other than 1, or
        ``A[j, i]`` is not the reciprocal of ``A[i, j]`` (within 2%).

    Examples
    --------
    >>> parse_matrix([[1, 3], ["1/3", 1]]).round(3).tolist()
    [[1.0, 3.0], [0.333, 1.0]]
    """
    rows = [list(row) for row in matrix]
    n = len(rows)
    if n == 0 or any(len(row) != n for row in rows):
        raise ParameterError(t("exit.ahp.not_square", name=name, lengths=[len(row) for row in rows]))
    a = np.array([[_to_number(v, name=name, i=i, j=j) for j, v in enumerate(row)] for i, row in enumerate(rows)])
    if (a <= 0).any():
        i, j = np.argwhere(a <= 0)[0]
        raise ParameterError(t("exit.ahp.not_positive", name=name, row=i + 1, col=j + 1))
    if not np.allclose(np.diag(a), 1.0):
        raise ParameterError(t("exit.ahp.diagonal", name=name))
    product = a * a.T
    bad = np.argwhere(np.abs(product - 1.0) > _RECIPROCAL_TOLERANCE)
    if len(bad):
        i, j = bad[0]
        raise ParameterError(
            t("exit.ahp.not_reciprocal", name=name, i=i + 1, j=j + 1, a=a[i, j], b=a[j, i], reciprocal=1 / a[i, j])
        )
    return a


def ahp_weights(
    matrix: Matrix,
    *,
    labels: Sequence[str] | None = None,
    name: str = "matrix",
    max_cr: float = MAX_CR,
) -> AHPResult:
    """Weights, λmax, CI and CR of one pairwise-comparison matrix.

    Parameters
    ----------
    matrix : list of lists
        Square reciprocal matrix on Saaty's 1-9 scale (order 1 to 10).
    labels : sequence of str, optional
        Element names (default ``"1"``, ``"2"``, ...).
    name : str
        The matrix's name, used in messages.
    max_cr : float
        Matrices with ``CR >= max_cr`` are rejected (default 0.10, Saaty's rule).

    Returns
    -------
    AHPResult

    Raises
    ------
    ParameterError
        For a malformed matrix, wrong number of labels, order above 10, or ``CR >= max_cr``.

    Examples
    --------
    >>> r = ahp_weights([[1, 3], ["1/3", 1]], labels=["a", "b"])
    >>> r.weights.round(2).to_dict(), r.cr
    ({'a': 0.75, 'b': 0.25}, 0.0)
    """
    a = parse_matrix(matrix, name=name)
    n = a.shape[0]
    if n not in RANDOM_INDEX:
        raise ParameterError(t("exit.ahp.too_large", name=name, n=n))
    names = [str(i + 1) for i in range(n)] if labels is None else [str(x) for x in labels]
    if len(names) != n:
        raise ParameterError(t("exit.ahp.label_count", name=name, n=n, k=len(names), labels=names))
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    lambda_max = float(eigenvalues[k].real)
    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    if cr >= max_cr:
        raise ParameterError(
            t("exit.ahp.inconsistent", name=name, cr=cr, max_cr=max_cr, lambda_max=lambda_max, ci=ci, ri=ri)
        )
    weights = pd.Series(vector / vector.sum(), index=pd.Index(names, name="element"), name="weight")
    return AHPResult(name=name, weights=weights, lambda_max=lambda_max, ci=ci, ri=ri, cr=cr)


def hierarchy_weights(
    matrices: Mapping[str, Matrix],
    tree: Mapping[str, Sequence[str]],
    *,
    root: str,
    max_cr: float = MAX_CR,
) -> HierarchyResult:
    """Local and global weights of every element of an AHP hierarchy.

    Parameters
    ----------
    matrices : mapping of str to matrix
        One pairwise-comparison matrix per criterion of ``tree``, ordered like its children.
    tree : mapping of str to list of str
        ``{criterion: [children]}``; children that are not criteria are leaves.
    root : str
        The goal at the top of the hierarchy.
    max_cr : float
        Consistency-ratio limit for every matrix.

    Returns
    -------
    HierarchyResult

    Raises
    ------
    ParameterError
        If a criterion has no matrix, a matrix's size differs from its number of children, or
        any matrix fails `ahp_weights`.

    Examples
    --------
    >>> tree = {"goal": ["x", "y"], "y": ["y1", "y2"]}
    >>> h = hierarchy_weights({"goal": [[1, 1], [1, 1]], "y": [[1, 3], ["1/3", 1]]}, tree, root="goal")
    >>> h.global_weights.round(3).to_dict()
    {'x': 0.5, 'y1': 0.375, 'y2': 0.125}
    """
    missing = [c for c in tree if c not in matrices]
    if missing:
        raise ParameterError(t("exit.ahp.no_matrix", criteria=", ".join(map(repr, missing))))
    nodes: dict[str, AHPResult] = {}
    for criterion, children in tree.items():
        size = len(list(matrices[criterion]))
        if size != len(children):
            raise ParameterError(
                t(
                    "exit.ahp.wrong_size",
                    name=criterion,
                    size=size,
                    n=len(children),
                    children=", ".join(map(repr, children)),
                )
            )
        nodes[criterion] = ahp_weights(matrices[criterion], labels=children, name=criterion, max_cr=max_cr)

    rows: list[dict[str, object]] = []

    def walk(criterion: str, path: list[str], weight: float) -> None:
        for child, local in nodes[criterion].weights.items():
            if child in tree:
                walk(str(child), [*path, str(child)], weight * local)
            else:
                rows.append(
                    {"leaf": child, "path": " > ".join(path), "local_weight": local, "global_weight": weight * local}
                )

    walk(root, [root], 1.0)
    table = pd.DataFrame(rows, columns=["leaf", "path", "local_weight", "global_weight"])
    global_weights = table.groupby("leaf", sort=False)["global_weight"].sum().rename("weight")
    return HierarchyResult(nodes=nodes, table=table, global_weights=global_weights)
