"""Every committed notebook is thin, clean and follows the notebook contract."""

import json

import pytest

from crmlab.reports.specs import read_spec
from tests.conftest import NOTEBOOKS

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_follows_the_contract(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    spec = read_spec(path)
    assert spec.description, "the first English markdown cell needs a '# title' line"
    names = {p.name for p in spec.parameters}
    assert {"lang", "output_dir"} <= names
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert any("en" in t for t in tags) and any("zh" in t for t in tags), "explain in English and Chinese"
    assert all(isinstance(c["source"], list) for c in nb["cells"]), "store sources as lists of lines"
    assert max(len(c["source"]) for c in code) <= 40, "keep code cells short; logic belongs in crmlab"
