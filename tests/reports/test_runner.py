"""The runner end to end on a tiny notebook: versions, reuse, failures, bad parameters, HTML."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from crmlab.reports.cli import main
from tests.conftest import make_notebook

pytestmark = pytest.mark.slow


def crmlab(workspace: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(["--notebooks", str(workspace / "notebooks"), "--reports", str(workspace / "reports"), *args])
    return code, out.getvalue()


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def text_of(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run the smoke notebook: ok in Chinese, again unchanged, then failing on purpose."""
    ws = tmp_path_factory.mktemp("ws")
    make_notebook(ws / "notebooks")
    first = crmlab(ws, "run", "01-smoke", "-p", "n=4", "--lang", "zh")
    before_rerun = snapshot(ws / "reports" / "01-smoke")
    rerun = crmlab(ws, "run", "01", "-p", "n=4", "--lang", "zh")
    after_rerun = snapshot(ws / "reports" / "01-smoke")
    failed = crmlab(ws, "run", "01-smoke", "-p", "fail=true")
    return {"ws": ws, "first": first, "rerun": rerun, "failed": failed, "before": before_rerun, "after": after_rerun}


def test_first_run_writes_a_complete_version(runs):
    code, out = runs["first"]
    assert code == 0, out
    v1 = runs["ws"] / "reports" / "01-smoke" / "v0001"
    assert {p.name for p in v1.iterdir()} == {"01-smoke.ipynb", "full.html", "reader.html", "manifest.json"}
    manifest = json.loads((v1 / "manifest.json").read_text())
    assert manifest["status"] == "ok"
    assert manifest["parameters"]["n"] == 4 and manifest["lang"] == "zh"
    assert manifest["figures"] == [{"name": "n_squared", "value": 16, "label": "n²"}]
    assert {"crmlab", "pandas", "papermill"} <= set(manifest["versions"])
    assert manifest["started"] <= manifest["finished"]


def test_reader_has_no_code_and_a_toc_in_the_report_language(runs):
    v1 = runs["ws"] / "reports" / "01-smoke" / "v0001"
    reader, full = text_of(v1 / "reader.html"), text_of(v1 / "full.html")
    assert "import crmlab" not in reader and "import crmlab" in full
    assert "冒烟测试" in reader and "Smoke test" not in reader
    assert 'class="crmlab-toc"' in (v1 / "reader.html").read_text()
    assert "目录" in reader


def test_pages_carry_their_title_and_the_run_header_with_the_published_version(runs):
    for number, lang, status in ((1, "zh", "完成"), (2, "en", "failed")):
        folder = runs["ws"] / "reports" / "01-smoke" / f"v{number:04d}"
        source = (folder / "reader.html").read_text(encoding="utf-8")
        title = "冒烟测试" if lang == "zh" else "Smoke test"
        assert f"<title>{title}</title>" in source and f"<title>{title}</title>" in (folder / "full.html").read_text()
        header = text_of(folder / "reader.html").split("\n")
        line = next(h for h in header if f"v{number:04d}" in h)
        assert status in line and "01-smoke" in line and ("中文" if lang == "zh" else "English") in line
        assert json.loads((folder / "manifest.json").read_text())["version"] == f"v{number:04d}"
        assert 'class="crmlab-version">v?<' not in source


def test_provenance_comes_from_the_runner(runs):
    """The notebook writes no provenance; the report ends with the runner's record of this run."""
    v1 = runs["ws"] / "reports" / "01-smoke" / "v0001"
    reader = text_of(v1 / "reader.html")
    manifest = json.loads((v1 / "manifest.json").read_text())
    provenance = reader[reader.index("数据来源与版本") :]
    assert "n = 4" in provenance and 'lang = "zh"' in provenance and "output_dir" not in provenance
    assert f"pandas {manifest['versions']['pandas']}" in provenance


def test_reports_fetch_nothing_from_the_network(runs):
    for page in (runs["ws"] / "reports").rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', source), page
        assert "<img" not in source or 'src="data:image/png;base64' in source


def test_unchanged_rerun_is_reused_and_changes_nothing(runs):
    code, out = runs["rerun"]
    assert code == 0
    assert "已复用" in out and "v0001" in out  # a Chinese run speaks Chinese
    assert runs["before"] == runs["after"]


def test_failing_notebook_gives_one_clear_message_and_a_failed_report(runs):
    code, out = runs["failed"]
    assert code == 1
    assert "01-smoke failed in cell In [" in out and "ValueError: planned failure" in out
    v2 = runs["ws"] / "reports" / "01-smoke" / "v0002"
    assert json.loads((v2 / "manifest.json").read_text())["status"] == "failed"
    reader = text_of(v2 / "reader.html")
    assert 'raise ValueError("planned failure")' in reader  # the failing cell shows even without code
    index = (runs["ws"] / "reports" / "index.html").read_text()
    assert index.index(">v0001<") < index.index('id="failed"') < index.index("01-smoke v0002")  # failed runs apart
    assert 'class="failed"' in index and 'class="ok"' in index
    assert runs["before"].items() <= snapshot(runs["ws"] / "reports" / "01-smoke").items()


def test_bad_parameters_fail_before_running_and_write_nothing(runs):
    ws = runs["ws"]
    before = snapshot(ws / "reports")
    code, out = crmlab(ws, "run", "01-smoke", "-p", "n=abc")
    assert code == 2 and "Parameter 'n' of 01-smoke expects int, got 'abc'" in out
    code, out = crmlab(ws, "run", "01-smoke", "-p", "nn=3")
    assert code == 2 and "Did you mean 'n'" in out
    code, out = crmlab(ws, "run", "01-smoke", "-p", "n=3", "--lang", "zh", "-f", str(ws / "missing.yaml"))
    assert code == 2
    assert snapshot(ws / "reports") == before


def test_params_file_with_sections(runs, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("01-smoke:\n  n: 4\n", encoding="utf-8")
    code, out = crmlab(runs["ws"], "run", "01-smoke", "-f", str(params), "--lang", "zh")
    assert code == 0 and "已复用" in out


def test_list_and_describe(runs):
    code, out = crmlab(runs["ws"], "list")
    assert code == 0 and "01-smoke  Smoke test" in out
    code, out = crmlab(runs["ws"], "describe", "01-smoke")
    assert code == 0 and re.search(r"n\s+int\s+3\s+how many points", out)
