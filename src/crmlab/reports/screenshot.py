"""First-screen screenshots of report pages in headless Chromium, for ``docs/screenshots/``.

``python -m crmlab.reports.screenshot [--reports DIR] [--out DIR] [PAGE ...]`` (or ``make screenshots``)
opens each page (a path inside the reports folder; default: the index and the latest reader pages of
`DEFAULT_PAGES`) at 1280×800 and saves what a reader sees before scrolling as ``<page>.png``. It drives
Debian's Chromium through Playwright, as the browser tests do (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t

#: The pages shot by default: the index and three reader pages, one of them Chinese.
DEFAULT_PAGES = (
    "index.html",
    "20-value-analysis/latest-en.html",
    "60-retention-targeting/latest-en.html",
    "50-churn-causes/latest-zh.html",
)
WIDTH, HEIGHT = 1280, 800


def shot_name(page: str) -> str:
    """The screenshot file of a page: ``50-churn-causes/latest-zh.html`` -> ``50-churn-causes-zh.png``.

    >>> shot_name("index.html"), shot_name("50-churn-causes/latest-zh.html")
    ('index.png', '50-churn-causes-zh.png')
    """
    return page.replace("/latest-", "-").replace("/", "-").removesuffix(".html") + ".png"


def _followed(path: Path) -> Path:
    """The page a ``latest-<lang>.html`` redirect leads to (any other page as it is)."""
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', path.read_text(encoding="utf-8"))
    return path.parent / found[1] if found else path


def take(reports: Path, pages: list[str], out: Path) -> list[Path]:
    """Save the first screen of each page (paths inside ``reports``) into ``out``; return the files."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise ParameterError(t("reports.no_chromium"))
    missing = [p for p in pages if not (reports / p).is_file()]
    if missing:
        raise ParameterError(t("reports.no_page", pages=", ".join(missing), folder=str(reports)))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for name in pages:
            page.goto(_followed(reports / name).resolve().as_uri())
            target = out / shot_name(name)
            page.screenshot(path=str(target))
            written.append(target)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m crmlab.reports.screenshot", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", default=list(DEFAULT_PAGES), help="pages inside the reports folder")
    parser.add_argument("--reports", default="reports", help="the reports folder (default: ./reports)")
    parser.add_argument("--out", default="docs/screenshots", help="folder for the PNG files")
    args = parser.parse_args(argv)
    try:
        for path in take(Path(args.reports), args.pages, Path(args.out)):
            print(path)
    except ParameterError as exc:
        print(f"crmlab: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
