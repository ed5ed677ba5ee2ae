"""Notebook 30's summary is generated from the data: it flips when the baskets hold no associated pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.reports.runner import execute, plan
from crmlab.reports.specs import read_spec
from tests.conftest import NOTEBOOKS

SPEC = read_spec(NOTEBOOKS / "30-basket-analysis.ipynb")


@pytest.mark.slow
def test_the_cross_sell_finding_flips_with_the_data(tmp_path: Path) -> None:
    """Planted pairs (tea with milk): recommended; items drawn independently: no pair, and no chart of nothing."""
    rng = np.random.default_rng(0)
    items = ["tea", "milk", "bread", "eggs", "rice", "soap"]
    independent = [[i for i in items if rng.random() < 0.3] or ["soap"] for _ in range(2000)]
    planted = [b + ["milk"] if "tea" in b and "milk" not in b and rng.random() < 0.9 else b for b in independent]
    planted = [[i for i in b if i != "milk"] if "tea" not in b and rng.random() < 0.8 else b for b in planted]
    results = {}
    for name, baskets in (("planted", planted), ("independent", independent)):
        path = tmp_path / f"{name}.csv"
        lines = pd.DataFrame([(f"B{k}", i) for k, b in enumerate(baskets) for i in b], columns=["invoice_id", "item"])
        lines.to_csv(path, index=False)
        result = execute(plan(SPEC, {"input_path": str(path)}, lang="en"), tmp_path / name)
        assert result.status == "ok", result.message
        results[name] = result
    figures = {f["name"]: f for f in results["planted"].figures}
    assert figures["cross_sell_pairs"]["value"] >= 1 and "milk + tea" in figures["cross_sell_pairs"]["meaning"]
    page = (results["planted"].folder / "reader.html").read_text(encoding="utf-8")
    assert "Offer and shelve together the pairs" in page and "milk + tea (" in page
    assert "synthetic supermarket baskets" not in page  # no claim written for the default data
    figures = {f["name"]: f for f in results["independent"].figures}
    assert figures["cross_sell_pairs"]["value"] == 0
    page = (results["independent"].folder / "reader.html").read_text(encoding="utf-8")
    assert "these baskets give no cross-sell or shelf pair to act on" in page
    assert "no spider web to draw" in page and page.count("<img") == 0
