"""The summary page: the latest successful report of every analysis, on the more / longer / deeper frame."""

from __future__ import annotations

import functools
import html
import json
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from crmlab.reports.index import render_index
from crmlab.reports.summary import FRAME, latest_successful, render_summary, write_summary
from tests.conftest import english_runs, make_notebook

NOTEBOOKS = ["20-value-analysis", "50-churn-causes", "70-relationship-growth", "90-never-run"]


def version(reports: Path, notebook: str, number: int, *, status="ok", lang="en", figures=(), dataset="d") -> Path:
    folder = reports / notebook / f"v{number:04d}"
    folder.mkdir(parents=True)
    manifest = {
        "notebook": notebook,
        "status": status,
        "lang": lang,
        "parameters": {"input_path": "", "dataset": dataset},
        "figures": [{"name": n, "value": v, "label": f"{n} label"} for n, v in figures],
        "finished": f"2026-01-0{number}T10:00:00+00:00",
        "files": {"reader_html": "reader.html", "full_html": "full.html"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "reader.html").write_text(f"<h1>{notebook} {folder.name}</h1>", encoding="utf-8")
    return folder


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    r = tmp_path / "reports"
    version(r, "20-value-analysis", 1, figures=[("top20_share", 0.5), ("finding", "old finding")])
    version(
        r, "20-value-analysis", 2, figures=[("top20_share", 0.61), ("gini", 0.7), ("finding", "Top 20% bring 61%.")]
    )
    version(r, "20-value-analysis", 3, status="failed", figures=[("top20_share", 0.99)])
    version(r, "20-value-analysis", 4, lang="zh", figures=[("top20_share", 0.62), ("finding", "前 20% 的客户")])
    version(r, "50-churn-causes", 1, figures=[("churn_rate", 0.12), ("top_cause", "Price")], dataset="")
    version(r, "70-relationship-growth", 1, figures=[("new_customers", 347), ("profit_uplift_5pt", 0.18)])
    return r


def links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


def test_the_latest_successful_version_in_the_language_is_used(reports):
    sources = latest_successful(reports, "en")
    assert {n: f.name for n, (f, _) in sources.items()} == {
        "20-value-analysis": "v0002",  # v0003 failed, v0004 is Chinese
        "50-churn-causes": "v0001",
        "70-relationship-growth": "v0001",
    }
    assert latest_successful(reports, "zh")["20-value-analysis"][0].name == "v0004"


def test_the_page_lists_and_links_every_analysis_with_a_successful_version(reports):
    page = render_summary(reports, NOTEBOOKS, lang="en")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for notebook, folder in [
        ("20-value-analysis", "v0002"),
        ("50-churn-causes", "v0001"),
        ("70-relationship-growth", "v0001"),
    ]:
        assert f"{notebook}/{folder}/reader.html" in links(page)
    assert all((reports / link).exists() for link in links(page) if link != "index.html")
    assert "Top 20% bring 61%." in text and "old finding" not in text and "0.99" not in text
    assert "This version records no finding sentence." in text  # 50 recorded none
    assert "its default data" in text and "2026-01-02 10:00" in text
    assert "crmlab run 90-never-run --lang en" in text


def test_figures_sit_under_their_direction(reports):
    page = render_summary(reports, NOTEBOOKS, lang="en")
    sections = dict(re.findall(r'<section class="frame" id="(\w+)">(.*?)</section>', page))
    assert "new_customers label" in sections["more"] and "profit_uplift_5pt label" in sections["longer"]
    assert "churn_rate label" in sections["longer"] and "top20_share label" in sections["deeper"]
    assert "gini label" not in page  # not a key figure of the frame
    assert "30-basket-analysis" in sections["deeper"]  # said to be missing
    assert {n for pairs in FRAME.values() for n, _ in pairs} >= {"70-relationship-growth", "50-churn-causes"}


def test_the_chinese_page_is_in_chinese(reports):
    page = render_summary(reports, NOTEBOOKS, lang="zh")
    assert "前 20% 的客户" in page and 'lang="zh-CN"' in page
    chrome = html.unescape(re.sub(r"<[^>]+>", "\n", page)).splitlines()
    assert [line for line in chrome if english_runs(line) and "label" not in line and "crmlab run" not in line] == []


def test_written_atomically_and_linked_from_the_index(reports, tmp_path):
    notebooks = tmp_path / "notebooks"
    make_notebook(notebooks, "20-value-analysis")
    assert 'href="summary.html"' not in render_index(reports)
    target = write_summary(reports, notebooks, lang="en")
    assert target == reports / "summary.html" and not list(reports.glob(".summary-*"))
    assert 'href="summary.html"' in render_index(reports)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.mark.slow
def test_summary_renders_in_chromium_and_links_to_every_latest_report(chromium, tmp_path):
    from tests.reports.test_browser import QuietHandler
    from tests.reports.test_runner import crmlab

    playwright = pytest.importorskip("playwright.sync_api")
    make_notebook(tmp_path / "notebooks", "01-smoke")
    make_notebook(tmp_path / "notebooks", "02-other")
    assert crmlab(tmp_path, "run", "01-smoke", "02-other")[0] == 0
    assert crmlab(tmp_path, "run", "01-smoke", "-p", "n=5")[0] == 0  # a newer version of 01
    assert crmlab(tmp_path, "run", "02-other", "-p", "fail=true")[0] == 1  # a newer, failed version of 02
    reports = tmp_path / "reports"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(reports)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.route(
                "**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort()
            )
            assert page.goto(f"{base}/index.html").ok
            page.click("text=Summary 摘要")
            assert page.url.endswith("/summary.html") and page.locator("h1").first.is_visible()
            hrefs = page.eval_on_selector_all("#sources ~ table a", "els => els.map(e => e.href)")
            assert sorted(h.removeprefix(base) for h in hrefs) == [
                "/01-smoke/v0002/reader.html",
                "/02-other/v0001/reader.html",
            ]
            for href in hrefs:
                response = page.goto(href)
                assert response is not None and response.ok and page.locator("h1").first.is_visible()
            browser.close()
    finally:
        server.shutdown()


def test_shares_are_percentages(reports):
    page = render_summary(reports, NOTEBOOKS, lang="en")
    assert ">12.0%<" in page and ">18.0%<" in page and ">347<" in page  # churn_rate, profit_uplift_5pt, a count


def test_the_summary_command(reports, tmp_path, zh):  # zh: the language main() sets is reset afterwards
    from crmlab.reports.cli import main

    make_notebook(tmp_path / "notebooks", "20-value-analysis")
    args = ["--notebooks", str(tmp_path / "notebooks"), "--reports", str(reports), "summary", "--lang", "zh"]
    assert main(args) == 0
    page = (reports / "summary.html").read_text(encoding="utf-8")
    assert "前 20% 的客户" in page and 'href="summary.html"' in (reports / "index.html").read_text(encoding="utf-8")
