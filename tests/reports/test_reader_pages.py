"""The newest reader pages in Chromium at 1280 px: title, summary first, finished tables, no sideways scroll.

`problems` lists what a manager would stumble over on one page. It runs on a small demo notebook
made here (which adopts the summary) and on every shipped notebook in both languages.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from crmlab.reports.specs import find_notebooks
from tests.conftest import NOTEBOOKS, require_system
from tests.reports.notebooks import tiny_notebook
from tests.reports.test_browser import CHROMIUM_ARGS
from tests.reports.test_runner import crmlab

pytestmark = pytest.mark.slow
WIDTH = 1280

#: Runs in the page: everything `problems` judges, gathered in one pass.
_INSPECT = """() => {
  const text = e => (e ? e.textContent : "").trim();
  const summary = document.querySelector(".crmlab-summary");
  const sections = [...document.querySelectorAll("main h2")].filter(h => !(summary && summary.contains(h)));
  const before = summary && sections.length
    ? Boolean(summary.compareDocumentPosition(sections[0]) & Node.DOCUMENT_POSITION_FOLLOWING) : Boolean(summary);
  return {
    title: document.title,
    figures: summary ? [...summary.querySelectorAll(".crmlab-figure")].map(
      f => [text(f.querySelector(".crmlab-label")), text(f.querySelector(".crmlab-value"))]) : [],
    summary_first: before,
    row_numbers: [...document.querySelectorAll("tbody th")].map(text).filter(t => /^\\d+$/.test(t)).length,
    scroll_width: Math.max(document.documentElement.scrollWidth,
      ...[...document.querySelectorAll("main *")].filter(e => e.scrollWidth > e.clientWidth + 1
        && ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX) && e.tagName !== "PRE")
        .map(e => e.scrollWidth + e.getBoundingClientRect().left)),
    cells: [...document.querySelectorAll("td")].map(text),
    headers: [...document.querySelectorAll("thead th")].map(text),
  };
}"""
RAW_DECIMALS = r"\d\.\d{5,}"
NO_SEPARATOR = r"^-?\d{4,}\.\d+$"
CODE_NAME = r"^[A-Za-z]+(_[A-Za-z0-9]+)+$"


def problems(page, url: str, lang: str) -> list[str]:
    """What is wrong with the reader page at ``url`` (empty: nothing)."""
    import re

    page.goto(url)
    seen = page.evaluate(_INSPECT)
    found = []
    if not seen["title"] or seen["title"] in ("Notebook", "reader"):
        found.append(f"no title of its own: {seen['title']!r}")
    labelled = [(label, value) for label, value in seen["figures"] if label and value]
    if len(labelled) < 3:
        found.append(f"{len(labelled)} labelled headline figures in the summary, need 3")
    if not seen["summary_first"]:
        found.append("the summary is not before the first section")
    if seen["row_numbers"]:
        found.append(f"{seen['row_numbers']} pandas row numbers")
    if seen["scroll_width"] > WIDTH:
        found.append(f"scrolls sideways: {seen['scroll_width']} px wide")
    shown = seen["cells"] + [value for _, value in labelled]
    raw = [c for c in shown if re.search(RAW_DECIMALS, c) or re.match(NO_SEPARATOR, c)]
    if raw:
        found.append(f"raw numbers: {raw[:5]}")
    if lang == "zh":
        code = [h for h in seen["headers"] if re.match(CODE_NAME, h)]
        if code:
            found.append(f"code names as table headers: {code[:5]}")
    return found


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    require_system(chromium is not None, "Chromium", "sudo apt-get install chromium")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = launched.new_page(viewport={"width": WIDTH, "height": 900})
        yield page
        launched.close()


def make_demo(folder: Path) -> Path:
    """A notebook that adopts the summary: headline figures, a recommendation, a long and wide table."""
    path = tiny_notebook(
        folder,
        "01-demo",
        'lang: str = "en"  # report language: en or zh\noutput_dir: str = "."  # set by the runner',
        "import crmlab, numpy as np, pandas as pd\nfrom pathlib import Path\n"
        "from crmlab.core.display import display_table\ncrmlab.setup(lang)\n"
        "zh = lang == 'zh'\n"
        "crmlab.record('customers', 23570, label='客户' if zh else 'Customers', kind='count', headline=True,\n"
        "              meaning='本期有购买的客户。' if zh else 'Customers who bought in the period.')\n"
        "crmlab.record('top20_share', 0.677812, label='前20%收入占比' if zh else 'Revenue of the top 20%',\n"
        "              kind='percent', headline=True, meaning='收入集中。' if zh else 'Revenue is concentrated.')\n"
        "crmlab.record('campaign_value', 136846.2, label='活动价值' if zh else 'Campaign value', kind='money',\n"
        "              headline=True, meaning='值得开展。' if zh else 'Worth running.')\n"
        "crmlab.record('lift', 2.8612, label='提升度' if zh else 'Lift', kind='ratio')\n"
        "crmlab.recommend('联系前756位客户。' if zh else 'Contact the top 756 customers.')",
        "rng = np.random.default_rng(0)\n"
        "factor, customer, reasons = ('因素 ', '客户', '原因') if zh else ('Factor ', 'Customer', 'Reasons')\n"
        "wide = pd.DataFrame({f'{factor}{i}': rng.random(300) * 12345.678 for i in range(14)})\n"
        "wide.insert(0, customer, [f'C{i:05d}' for i in range(300)])\n"
        "wide[reasons] = 'the customer pays late, buys less every quarter and complained twice ' * 2\n"
        "display_table(wide, kinds={c: 'money' for c in wide if c.startswith(factor)}, max_rows=15,\n"
        "              full_csv=Path(output_dir) / 'wide.csv', columns=list(wide.columns[:8]) + [reasons])",
        "wide[[customer, factor + '1']].head(3)",
        title="Demo value report",
    )
    nb = nbformat.read(path, as_version=4)
    md = nbformat.v4.new_markdown_cell
    nb.cells[1:1] = [md("# 价值演示报告\n谁带来收入。", metadata={"tags": ["zh"]})]
    nb.cells[3:3] = [md("Set `input_path` to your file first.", metadata={"tags": ["researcher"]})]
    nb.cells[5:5] = [md("## Method", metadata={"tags": ["en"]}), md("## 方法", metadata={"tags": ["zh"]})]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = tmp_path_factory.mktemp("demo")
    make_demo(ws / "notebooks")
    for lang in ("en", "zh"):
        code, out = crmlab(ws, "run", "01-demo", "--lang", lang, "--currency", "€")
        assert code == 0, out
    return ws / "reports" / "01-demo"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_demo_reader_page_reads_as_a_finished_report(browser, demo, lang):
    folder = next(f for f in sorted(demo.glob("v*")) if json.loads((f / "manifest.json").read_text())["lang"] == lang)
    assert problems(browser, (folder / "reader.html").as_uri(), lang) == []
    body = browser.inner_text("main")
    assert "€136,846" in body and "67.8%" in body and ("23,570" in body)
    assert "input_path" not in body  # the researcher's cell
    assert (folder / "wide.csv").exists() and browser.locator('a[href="wide.csv"]').count() == 1


def test_the_checker_sees_a_scratch_pad_page(browser, tmp_path):
    """A page with pandas' own table, no summary and a table too wide for the screen fails every check."""
    import pandas as pd

    table = pd.DataFrame({f"col_name_{i}": [123456.789012] * 3 for i in range(30)})
    page = tmp_path / "bad.html"
    page.write_text(f"<html><head><title>Notebook</title></head><body><main><h1>x</h1><h2>Method</h2>"
                    f"{table.to_html()}</main></body></html>", encoding="utf-8")
    found = problems(browser, page.as_uri(), "zh")
    assert [p.split(":")[0].split(" ")[0] for p in found] == ["no", "0", "the", "3", "scrolls", "raw", "code"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    from crmlab.reports.runner import plan, run_all

    reports = tmp_path_factory.mktemp("shipped")
    for lang in ("en", "zh"):
        run_all([plan(spec, {}, lang=lang) for spec in find_notebooks(NOTEBOOKS)], reports, jobs=2)
    return reports


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", [s.name for s in find_notebooks(NOTEBOOKS)])
def test_every_newest_reader_page_reads_as_a_finished_report(browser, shipped, name, lang):
    latest = shipped / name / f"latest-{lang}.html"
    assert latest.exists(), f"no successful {lang} version of {name}"
    folder = shipped / name / latest.read_text().split("url=")[1].split("/")[0]
    assert problems(browser, (folder / "reader.html").as_uri(), lang) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_newest_reader_page_scrolls_sideways_on_a_phone(browser, shipped, lang):
    """At 390 px a table too wide for the screen scrolls by itself; the page never does."""
    browser.set_viewport_size({"width": 390, "height": 844})
    try:
        widths = {}
        for latest in sorted(shipped.glob(f"*/latest-{lang}.html")):
            folder = latest.parent / latest.read_text().split("url=")[1].split("/")[0]
            browser.goto((folder / "reader.html").as_uri())
            widths[latest.parent.name] = browser.evaluate("document.documentElement.scrollWidth")
    finally:
        browser.set_viewport_size({"width": WIDTH, "height": 900})
    assert len(widths) == len(find_notebooks(NOTEBOOKS))
    assert {name: width for name, width in widths.items() if width > 390} == {}
