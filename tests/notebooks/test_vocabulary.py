"""One name per concept across every notebook's parameters (crmlab.reports.specs.VOCABULARY)."""

from __future__ import annotations

import re

import pytest

from crmlab.reports.specs import ROLE_SUFFIXES, SYNONYMS, VOCABULARY, find_notebooks
from tests.conftest import NOTEBOOKS

SPECS = find_notebooks(NOTEBOOKS)


def expected_type(name: str) -> str | None:
    """The type the vocabulary gives ``name`` (exactly, or through a role suffix), else None."""
    if name in VOCABULARY:
        return VOCABULARY[name]
    if name.endswith("_cols"):
        return "list"
    return next((kind for suffix, kind in ROLE_SUFFIXES.items() if name.endswith(f"_{suffix}")), None)


def test_the_vocabulary_check_catches_drifted_names():
    assert expected_type("customer_col") == "str" and expected_type("product_cols") == "list"
    assert expected_type("response_path") == "str" and expected_type("horizon") is None
    drifted = [n for n in ("churn_column", "margin_rate", "test_size") if any(re.search(p, n) for p in SYNONYMS)]
    assert drifted == ["churn_column", "margin_rate", "test_size"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_parameters_follow_the_vocabulary(spec):
    names = {p.name: p.type for p in spec.parameters}
    mappings = {n for n, kind in names.items() if n.endswith("_columns") and kind == "dict"}  # <role>_columns
    synonyms = {n: use for n in set(names) - mappings for pattern, use in SYNONYMS.items() if re.search(pattern, n)}
    assert synonyms == {}, "use the project's name for each concept"
    wrong_types = {n: t for n, t in names.items() if expected_type(n) not in (None, t)}
    assert wrong_types == {}, "each concept has one type"
    assert {"seed", "lang", "output_dir"} <= set(names)
    if "input_path" in names:
        assert {"dataset", "columns", "sheet"} <= set(names), "a notebook that reads a file reads it the same way"
