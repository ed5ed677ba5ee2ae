"""crmlab.basket.miner must give exactly mlxtend fpgrowth's itemsets and supports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from mlxtend.frequent_patterns import fpgrowth
from mlxtend.preprocessing import TransactionEncoder

from crmlab.basket.miner import encode_baskets, frequent_itemsets, min_count
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.baskets import make_baskets


def _real_like(seed: int, n_baskets: int = 3000, n_items: int = 300) -> list[list[str]]:
    """Retail-like baskets: Zipf item popularity, geometric basket sizes, a few bundles bought together."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, n_items + 1) ** 1.1
    weights /= weights.sum()
    bundles = [rng.choice(n_items, size=k, replace=False) for k in (2, 3, 4, 5, 3)]
    baskets = []
    for _ in range(n_baskets):
        items = set(rng.choice(n_items, size=rng.geometric(0.2), p=weights).tolist())
        for bundle in bundles:
            if rng.random() < 0.04:
                items |= set(bundle.tolist())
        baskets.append([f"p{i}" for i in items] or ["p0"])
    return baskets


def _synthetic(seed: int) -> list[list[str]]:
    lines, _ = make_baskets(seed, n_customers=300)
    return lines.groupby("invoice_id")["item"].agg(list).tolist()


DATASETS = {
    "tiny": [["a", "b", "c"], ["a", "b"], ["a", "c"], ["b", "c"], ["a", "b", "c", "d"], ["d"]],
    "synthetic": _synthetic(1),
    "real_like_1": _real_like(1),
    "real_like_2": _real_like(2, n_baskets=1000, n_items=60),
}
CASES = [
    ("tiny", 0.3, None),
    ("tiny", 1 / 6, None),
    ("tiny", 0.5, 1),
    ("synthetic", 0.01, None),
    ("synthetic", 0.003, None),
    ("synthetic", 0.02, 2),
    ("real_like_1", 0.01, None),
    ("real_like_1", 0.002, None),
    ("real_like_1", 0.004, 3),
    ("real_like_2", 0.005, None),
    ("real_like_2", 0.05, None),
]


def _reference(baskets: list[list[str]], min_support: float, max_len: int | None) -> dict[frozenset, float]:
    encoder = TransactionEncoder()
    onehot = pd.DataFrame(encoder.fit(baskets).transform(baskets), columns=encoder.columns_)
    ref = fpgrowth(onehot, min_support=min_support, use_colnames=True, max_len=max_len)
    return dict(zip(ref["itemsets"], ref["support"], strict=True))


@pytest.mark.parametrize(("name", "min_support", "max_len"), CASES)
def test_same_itemsets_and_supports_as_mlxtend(name: str, min_support: float, max_len: int | None) -> None:
    baskets = DATASETS[name]
    expected = _reference(baskets, min_support, max_len)
    got = frequent_itemsets(baskets, min_support=min_support, max_len=max_len)
    assert len(got) == len(expected) > 0
    assert dict(zip(got["itemsets"], got["support"], strict=True)) == pytest.approx(expected, rel=0, abs=1e-15)
    assert (got["count"] == np.rint(got["support"] * len(baskets))).all()


@pytest.mark.parametrize("form", ["lists", "dense_onehot", "sparse_onehot", "scipy"])
def test_every_input_form_gives_the_same_result(form: str) -> None:
    baskets = DATASETS["real_like_2"]
    encoder = TransactionEncoder()
    dense = pd.DataFrame(encoder.fit(baskets).transform(baskets), columns=encoder.columns_)
    inputs = {
        "lists": baskets,
        "dense_onehot": dense,
        "sparse_onehot": pd.DataFrame.sparse.from_spmatrix(sp.csr_matrix(dense.to_numpy()), columns=dense.columns),
        "scipy": sp.csr_matrix(dense.to_numpy()),
    }
    got = frequent_itemsets(inputs[form], min_support=0.02)
    if form == "scipy":
        names = np.asarray(dense.columns)
        got["itemsets"] = got["itemsets"].map(lambda s: frozenset(names[list(s)]))
    expected = _reference(baskets, 0.02, None)
    assert dict(zip(got["itemsets"], got["support"], strict=True)) == pytest.approx(expected)


def test_hand_counted_tiny_case() -> None:
    got = frequent_itemsets(DATASETS["tiny"], min_support=0.5)
    counts = dict(zip(got["itemsets"], got["count"], strict=True))
    # a: 4 baskets, b: 4, c: 4, {a,b}: 3, {a,c}: 3, {b,c}: 3, {a,b,c}: 2 (< 3), d: 2
    assert counts == {
        frozenset("a"): 4,
        frozenset("b"): 4,
        frozenset("c"): 4,
        frozenset("ab"): 3,
        frozenset("ac"): 3,
        frozenset("bc"): 3,
    }


def test_repeated_items_in_a_basket_count_once() -> None:
    got = frequent_itemsets([["x", "x", "y"], ["x"]], min_support=0.5)
    assert dict(zip(got["itemsets"], got["count"], strict=True)) == {
        frozenset("x"): 2,
        frozenset("y"): 1,
        frozenset("xy"): 1,
    }


def test_min_count_matches_mlxtend_float_comparison() -> None:
    assert min_count(0.0005, 88162) == 45
    assert min_count(0.3, 10) == 3  # 0.3 * 10 is 3.0000000000000004 in floating point
    assert min_count(1.0, 7) == 7
    assert 3 / 10 >= 0.3


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "0.1", None, True])
def test_min_support_outside_0_1_is_refused(bad: object) -> None:
    with pytest.raises(ParameterError, match="min_support"):
        frequent_itemsets([["a", "b"]], min_support=bad)  # type: ignore[arg-type]


def test_empty_input_is_refused() -> None:
    with pytest.raises(InputError, match="no baskets"):
        frequent_itemsets([], min_support=0.1)


def test_bad_max_len_is_refused() -> None:
    with pytest.raises(ParameterError, match="max_len"):
        frequent_itemsets([["a", "b"]], min_support=0.1, max_len=0)


def test_encoding_keeps_labels_and_drops_duplicates() -> None:
    encoded = encode_baskets([["啤酒", "尿布", "啤酒"], ["尿布"]])
    assert list(encoded.items) == ["啤酒", "尿布"]
    assert encoded.matrix.toarray().tolist() == [[1, 1], [0, 1]]


def test_same_input_same_output() -> None:
    a = frequent_itemsets(DATASETS["real_like_1"], min_support=0.005)
    b = frequent_itemsets(DATASETS["real_like_1"], min_support=0.005)
    pd.testing.assert_frame_equal(a, b)
