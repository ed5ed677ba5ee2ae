"""Open the reports index and a report in headless Chromium: it renders, links resolve, nothing leaves."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from tests.conftest import make_notebook
from tests.reports.test_runner import crmlab

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.slow


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def served_reports(tmp_path_factory):
    ws = tmp_path_factory.mktemp("browser")
    make_notebook(ws / "notebooks")
    assert crmlab(ws, "run", "01-smoke", "--lang", "zh")[0] == 0
    assert crmlab(ws, "run", "01-smoke", "-p", "fail=true")[0] == 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(ws / "reports")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", ws / "reports"
    server.shutdown()


def test_index_and_reports_render_with_working_links_and_no_outside_requests(chromium, served_reports, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    base, reports = served_reports
    requested: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def guard(route):
            requested.append(route.request.url)
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        page.route("**/*", guard)
        assert page.goto(f"{base}/index.html").ok
        assert "crmlab" in page.title()
        rows = page.locator("tbody tr")
        assert rows.count() == 2
        assert page.locator("td.failed").count() == 1 and page.locator("td.ok").count() == 1
        links = page.eval_on_selector_all("tbody a", "els => els.map(e => e.href)")
        assert len(links) == 4  # reader and full of each run
        latest = page.eval_on_selector_all("h3 a", "els => els.map(e => e.href)")
        assert len(latest) == 1 and page.goto(latest[0]).ok
        page.wait_for_url("**/v0001/reader.html")
        for link in links:
            response = page.goto(link)
            assert response is not None and response.ok, link
            assert page.locator("h1").first.is_visible()
            images = page.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
            assert images and all(images), f"an image did not render in {link}"
        page.goto(links[0])
        page.screenshot(path=str(tmp_path / "reader.png"), full_page=True)
        browser.close()
    outside = [u for u in requested if not u.startswith(base) and not u.startswith("data:")]
    assert outside == []
    assert len(requested) >= 5
