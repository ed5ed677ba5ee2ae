"""Every notebook runs on its default data in both languages, records its figures, and stays small."""

from __future__ import annotations

import json

import pytest

from crmlab.core.style import find_cjk_font_file
from crmlab.reports.runner import plan, run_all
from crmlab.reports.specs import find_notebooks
from tests.conftest import NOTEBOOKS, require_system

SPECS = find_notebooks(NOTEBOOKS)
MAX_READER_BYTES = 500_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    requests = [plan(spec, {}, lang=lang) for spec in SPECS for lang in ("en", "zh")]
    by_lang: dict[str, dict[str, object]] = {"en": {}, "zh": {}}
    for lang in ("en", "zh"):
        chosen = [r for r in requests if r.parameters["lang"] == lang]
        for result in run_all(chosen, reports, jobs=2):
            by_lang[lang][result.notebook] = result
    return by_lang


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_notebook_runs_on_default_data(built, spec, lang):
    result = built[lang][spec.name]
    assert result.status == "ok", result.message
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lang"] == lang
    assert manifest["figures"], "a notebook records its headline figures"
    reader = result.folder / "reader.html"
    assert reader.stat().st_size <= MAX_READER_BYTES, f"{reader.stat().st_size:,} bytes"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_chinese_report_prints_no_warnings(built, spec):
    """No missing-glyph (or any other) warning reaches the Chinese report."""
    require_system(find_cjk_font_file() is not None, "The Noto Sans CJK font", "sudo apt-get install fonts-noto-cjk")
    result = built["zh"][spec.name]
    nb = json.loads((result.folder / f"{spec.name}.ipynb").read_text(encoding="utf-8"))
    stderr = [
        "".join(out.get("text", ""))
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert stderr == []


def _runs_as_formula(cell: str) -> bool:
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    try:
        float(cell)  # a negative number written as a number
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_saved_lists_are_excel_safe(built, spec):
    """Every CSV a report saves went through crmlab.write_csv: UTF-8 with a BOM, no cell runs as a formula."""
    import pandas as pd

    for lang in ("en", "zh"):
        for path in built[lang][spec.name].folder.glob("*.csv"):
            assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path
            frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            assert [c for c in [*frame.columns, *frame.to_numpy().ravel()] if _runs_as_formula(c)] == [], path
