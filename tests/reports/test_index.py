"""The index as an overview: by analysis and language, latest first, failed runs apart, links that resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

from crmlab.reports.index import render_index, write_index
from crmlab.reports.page import local_time


def version(reports: Path, name: str, number: int, *, lang: str, status: str = "ok", n: int = 3, value: int = 1):
    folder = reports / name / f"v{number:04d}"
    folder.mkdir(parents=True)
    (folder / "reader.html").write_text("<h1>x</h1>")
    (folder / "exit_list.csv").write_text("a\n1\n")
    manifest = {
        "notebook": name,
        "status": status,
        "error": "boom in cell 4" if status == "failed" else None,
        "lang": lang,
        "started": f"2026-11-30T10:{number:02d}:00+00:00",
        "parameters": {"n": n, "lang": lang, "dataset": "cdnow", "input_path": ""},
        "changed_parameters": {"n": n} if n != 3 else {},
        "inputs": {},
        "figures": [{"name": "customers", "value": value * 1000, "label": "Customers", "kind": "count"}],
        "files": {"reader_html": "reader.html"},
        "extra_files": ["exit_list.csv"],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def sections(page: str) -> dict[str, str]:
    """Each h3 heading (language) with the text up to the next heading."""
    parts = re.split(r"<h[23][^>]*>", page)
    return {part.split("<")[0].strip(" ·"): part for part in parts[1:]}


def test_grouped_by_analysis_and_language_latest_first(tmp_path):
    version(tmp_path, "20-value", 1, lang="en", value=1)
    version(tmp_path, "20-value", 2, lang="zh", value=1)
    version(tmp_path, "20-value", 3, lang="en", n=5, value=2)
    version(tmp_path, "20-value", 4, lang="en", status="failed")
    version(tmp_path, "10-exit", 1, lang="en")
    page = render_index(tmp_path)
    assert page.index('id="10-exit"') < page.index('id="20-value"') < page.index('id="failed"')
    english = sections(page)["English"]  # the last English section is 20-value's
    assert english.index("v0003") < english.index("v0001") and ">v0002<" not in english and "v0004" not in english
    assert "<code>n</code> = 5" in english and "cdnow" in english and "2,000" in english
    assert 'href="20-value/diff-v0001-v0003.html"' in english
    assert (tmp_path / "20-value" / "diff-v0001-v0003.html").exists()
    failed = page[page.index('id="failed"') :]
    assert "v0004" in failed and "boom in cell 4" in failed and "v0003" not in failed
    assert local_time("2026-11-30T10:03:00+00:00") in english


def test_latest_links_and_the_other_language_of_the_same_run(tmp_path):
    version(tmp_path, "20-value", 1, lang="en")
    version(tmp_path, "20-value", 2, lang="zh")
    version(tmp_path, "20-value", 3, lang="en", n=5)
    version(tmp_path, "20-value", 4, lang="en", status="failed")
    write_index(tmp_path)
    latest = (tmp_path / "20-value" / "latest-en.html").read_text()
    assert 'url=v0003/reader.html"' in latest
    assert 'url=v0002/reader.html"' in (tmp_path / "20-value" / "latest-zh.html").read_text()
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    row_v1 = page[page.index(">v0001<") :].split("</tr>")[0]
    row_v3 = page[page.index(">v0003<") :].split("</tr>")[0]
    assert 'href="20-value/v0002/reader.html">中文' in row_v1  # same parameters and data, other language
    assert "中文" not in row_v3  # n=5 was never run in Chinese
    assert 'href="20-value/v0003/exit_list.csv"' in row_v3
    links = re.findall(r'href="([^"#]+)"', page)
    assert links and all((tmp_path / link).exists() for link in links)
