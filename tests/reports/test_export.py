"""The reader page's parts: title, run header, summary boxes, researcher cells, version stamp."""

from __future__ import annotations

import json

import nbformat

from crmlab.core.notebook import RECOMMEND_MIME, RECORD_MIME
from crmlab.reports.export import for_reader, report_title, run_header, summary_box
from crmlab.reports.store import VERSION_SLOT, publish


def figure(name, value, **extra):
    payload = {"name": name, "value": value, "label": name.title(), **extra}
    return nbformat.v4.new_output("display_data", data={RECORD_MIME: payload, "text/plain": name})


def notebook(*outputs):
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("x")
    code.outputs = list(outputs)
    nb.cells = [nbformat.v4.new_markdown_cell("Intro\n\n# Value *analysis*: who [pays](x.html)\ntext"), code]
    return nb


def test_title_is_the_first_level_one_heading_without_markup():
    assert report_title(notebook()) == "Value analysis: who pays"
    assert report_title(nbformat.v4.new_notebook()) == ""


def test_summary_shows_headline_figures_formatted_with_their_meaning_then_the_actions(monkeypatch):
    monkeypatch.setenv("CRMLAB_CURRENCY", "€")
    nb = notebook(
        figure("share", 0.6778, kind="percent", headline=True, meaning="Two thirds of revenue."),
        figure("detail", 0.123456),  # not a headline
        figure("value", 136846.2, kind="money", headline=True, meaning="Worth it."),
        nbformat.v4.new_output("display_data", data={RECOMMEND_MIME: {"action": "Mail the top 756."}}),
    )
    box = summary_box(nb, "en")
    assert box.index("67.8%") < box.index("Two thirds of revenue.") < box.index("€136,846")
    assert "0.1235" not in box and "Detail" not in box and "136,846.20" not in box
    assert box.index("Recommended actions") < box.index("Mail the top 756.")
    assert "要点" in summary_box(nb, "zh")


def test_no_summary_for_a_notebook_that_records_no_headline():
    assert summary_box(notebook(figure("n", 3)), "en") == ""


def test_at_most_five_boxes():
    nb = notebook(*(figure(f"f{i}", i, kind="count", headline=True) for i in range(7)))
    assert summary_box(nb, "en").count('class="crmlab-figure"') == 5


def test_researcher_cells_never_reach_the_reader():
    nb = notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("Set `input_path` first.", metadata={"tags": ["researcher"]}))
    assert all("input_path" not in c.source for c in for_reader(nb).cells)


def test_run_header_and_the_version_stamped_at_publish(tmp_path):
    manifest = {
        "notebook": "20-value",
        "lang": "zh",
        "status": "ok",
        "started": "2026-11-30T10:00:00+00:00",
        "inputs": {"input_path": {"path": "/d/cdnow.csv", "fingerprint": "sha256:" + "c" * 64}},
    }
    header = run_header(manifest, "价值分析")
    assert "价值分析 (20-value)" in header and "cdnow.csv (cccccccccccc)" in header and "完成" in header
    assert VERSION_SLOT in header
    (tmp_path / "20-value" / "v0001").mkdir(parents=True)
    tmp = tmp_path / "20-value" / ".tmp-1-ab"
    tmp.mkdir()
    (tmp / "reader.html").write_text(f"<main>{header}</main>", encoding="utf-8")
    (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    published = publish(tmp, tmp_path / "20-value")
    assert published.name == "v0002"
    assert '<span class="crmlab-version">v0002</span>' in (published / "reader.html").read_text(encoding="utf-8")
    assert json.loads((published / "manifest.json").read_text())["version"] == "v0002"
