"""`crmlab diff`: parameters, input files and figures compared between two versions."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from crmlab.core.errors import ParameterError
from crmlab.reports.cli import main
from crmlab.reports.diff import compare, pick
from tests.conftest import zh_message


def version(reports: Path, number: int, *, lang: str = "en", n: int = 3, data: str = "sha256:" + "a" * 64, **figures):
    folder = reports / "01-smoke" / f"v{number:04d}"
    folder.mkdir(parents=True)
    manifest = {
        "notebook": "01-smoke",
        "status": "ok",
        "lang": lang,
        "started": f"2026-11-30T10:0{number}:00+00:00",
        "parameters": {"n": n, "lang": lang, "input_path": "/data/sales.csv"},
        "inputs": {"input_path": {"path": "/data/sales.csv", "fingerprint": data}},
        "figures": [
            {"name": k, "value": v, "label": k.title(), **({"kind": "percent"} if k == "share" else {})}
            for k, v in figures.items()
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def run(reports: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(["--reports", str(reports), "diff", *args])
    return code, out.getvalue()


def test_two_versions_with_different_parameters(tmp_path):
    version(tmp_path, 1, n=3, customers=1200, share=0.25)
    version(tmp_path, 2, n=5, customers=1500, share=0.3)
    code, out = run(tmp_path, "01")
    assert code == 0, out
    assert "n: 3 → 5" in out
    assert "Customers: 1,200 → 1,500 (+300)" in out
    assert "Share: 25.0% → 30.0% (+5.0 pts)" in out
    page = tmp_path / "01-smoke" / "diff-v0001-v0002.html"
    assert page.exists() and "Parameters changed" in page.read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert text.index("Input files changed") < text.index("No change.") < text.index("Recorded figures")


def test_two_versions_with_different_data(tmp_path):
    version(tmp_path, 1, customers=1200)
    version(tmp_path, 2, data="sha256:" + "b" * 64, customers=1100)
    rows = compare(*(json.loads((tmp_path / "01-smoke" / v / "manifest.json").read_text()) for v in ("v0001", "v0002")))
    assert rows["parameters"] == []
    assert rows["inputs"] == [("input_path", "sales.csv (aaaaaaaaaaaa)", "sales.csv (bbbbbbbbbbbb)", "")]
    assert rows["figures"] == [("Customers", "1,200", "1,100", "-100")]


def test_the_default_pair_is_the_two_newest_of_one_language(tmp_path):
    version(tmp_path, 1, lang="en", customers=1)
    version(tmp_path, 2, lang="zh", customers=2)
    version(tmp_path, 3, lang="en", customers=3)
    assert [p.name for p in pick(tmp_path, "01-smoke")] == ["v0001", "v0003"]
    with pytest.raises(ParameterError, match="1 version"):
        pick(tmp_path, "01-smoke", lang="zh")
    assert [p.name for p in pick(tmp_path, "01-smoke", "2", "v0003")] == ["v0002", "v0003"]
    assert [p.name for p in pick(tmp_path, "01-smoke", "1")] == ["v0001", "v0003"]


def test_a_figure_only_in_one_version_and_text_figures(tmp_path):
    version(tmp_path, 1, top_rule="milk → bread", gone=4)
    version(tmp_path, 2, top_rule="beer → chips", new_one=2.5)
    code, out = run(tmp_path, "01-smoke", "v0001", "v0002")
    assert code == 0
    assert "Top_Rule: milk → bread → beer → chips" in out
    assert "Gone: 4 → –" in out and "New_One: – → 2.5" in out


def test_bad_names_say_what_exists_in_both_languages(tmp_path):
    version(tmp_path, 1, customers=1)
    code, out = run(tmp_path, "01", "v0009")
    assert code == 2 and "v0001" in out
    assert "crmlab run 99" in zh_message(lambda: pick(tmp_path, "99"), ParameterError)
    zh_message(lambda: pick(tmp_path, "01"), ParameterError)


@pytest.mark.slow
def test_crmlab_diff_on_real_runs_with_other_parameters_and_other_data(tmp_path):
    from tests.reports.notebooks import tiny_notebook
    from tests.reports.test_runner import crmlab

    tiny_notebook(
        tmp_path / "notebooks",
        "01-rows",
        'input_path: str = ""  # a CSV file [file or empty]\ntop: int = 2  # rows counted twice\n'
        'lang: str = "en"  # report language\noutput_dir: str = "."  # set by the runner',
        "import crmlab, pandas as pd\ncrmlab.setup(lang)\nrows = len(pd.read_csv(input_path))\n"
        "crmlab.record('rows', rows + top, label='Rows', kind='count')",
        title="Rows",
    )
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text("a\n" + "1\n" * 10)
    large.write_text("a\n" + "1\n" * 2000)
    for args in ([f"input_path={small}"], [f"input_path={small}", "top=5"], [f"input_path={large}", "top=5"]):
        code, out = crmlab(tmp_path, "run", "01-rows", *(x for a in args for x in ("-p", a)))
        assert code == 0, out
    code, out = crmlab(tmp_path, "diff", "01", "1", "2")
    assert code == 0 and "top: 2 → 5" in out and "Rows: 12 → 15 (+3)" in out
    assert "Input files changed\n  No change." in out
    code, out = crmlab(tmp_path, "diff", "01")
    assert code == 0 and "small.csv (" in out and "large.csv (" in out and "Rows: 15 → 2,005 (+1,990)" in out
    assert "Parameters changed\n  input_path:" in out
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="01-rows/diff-v0002-v0003.html"' in index and 'href="01-rows/diff-v0001-v0002.html"' in index
