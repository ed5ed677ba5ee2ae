"""Shared fixtures: small notebooks for the runner, and the system-package gate."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest

from crmlab.core.errors import CrmlabError, InputError
from crmlab.core.i18n import set_lang

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "src" / "crmlab" / "notebooks"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_system(ok: bool, what: str, install: str) -> None:
    """Skip (on a user's machine) or fail (in CI) when a system package is missing."""
    if ok:
        return
    message = f"{what} is not installed; install it with `{install}` (or `make system-deps`)."
    if IN_CI:
        pytest.fail(f"CI must not skip: {message}")
    pytest.skip(message)


@pytest.fixture
def chromium() -> str:
    """The path of Debian's Chromium."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require_system(path is not None, "Chromium", "sudo apt-get install chromium")
    return str(path)


def make_notebook(folder: Path, name: str = "01-smoke") -> Path:
    """A tiny bilingual notebook with a chart, a recorded figure and a switch to fail on purpose."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        md("# Smoke test\nA tiny notebook.", metadata={"tags": ["en"]}),
        md("# 冒烟测试\n一个小笔记本。", metadata={"tags": ["zh"]}),
        code(
            "n: int = 3  # how many points\n"
            "fail: bool = False  # raise on purpose\n"
            'lang: str = "en"  # report language: en or zh\n'
            'output_dir: str = "."  # folder for extra outputs (set by the runner)',
            metadata={"tags": ["parameters"]},
        ),
        code("import crmlab\ncrmlab.setup(lang)"),
        md("## Chart"),
        code(
            "import matplotlib.pyplot as plt\nfrom crmlab.core.style import apply_cjk_font\n"
            "fig, ax = plt.subplots(figsize=(4, 3))\nax.plot(range(n))\n"
            'ax.set_title("销售额 sales")\napply_cjk_font(ax)'
        ),
        code('if fail:\n    raise ValueError("planned failure")\ncrmlab.record("n_squared", n * n, label="n²")'),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


#: Three or more English words in a row: a sentence, not a column name, a value or a list of them.
_ENGLISH_RUN = re.compile(r"[A-Za-z'-]*[a-z][A-Za-z'-]*(?:\s+[A-Za-z'-]*[a-z][A-Za-z'-]*){2,}")
#: What may stay English inside a Chinese message: quoted names, code, placeholders.
_VERBATIM = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\{[^{}]*\}|“[^”]*”|‘[^’]*’|\([^()]*\)|（[^（）]*）")


def english_runs(text: str) -> list[str]:
    """The English word runs of ``text`` outside quotes, code, placeholders and brackets."""
    return [run.strip() for run in _ENGLISH_RUN.findall(_VERBATIM.sub(" ", text))]


@pytest.fixture
def zh() -> Iterator[None]:
    """Messages in Chinese for the duration of a test."""
    set_lang("zh")
    try:
        yield
    finally:
        set_lang("en")


def zh_message(call: Callable[[], object], error: type[CrmlabError] = InputError) -> str:
    """The message ``call`` raises with the language set to zh; it must be Chinese, with no English sentence."""
    set_lang("zh")
    try:
        with pytest.raises(error) as raised:
            call()
    finally:
        set_lang("en")
    message = str(raised.value)
    assert re.search(r"[\u4e00-\u9fff]", message), f"not in Chinese: {message}"
    assert english_runs(message) == [], f"English in a zh message: {message}"
    return message


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One Spark session (``local[2]``) shared by the tests of a module; needs pyspark and Java 17."""
    from crmlab.data.spark import missing, session

    lacking = missing("local[2]")
    require_system("java" not in lacking, "Java 17", "sudo apt-get install openjdk-17-jre-headless")
    if lacking:
        pytest.fail(f"{', '.join(lacking)} missing: install with pip install -c constraints.txt -e '.[test]'")
    spark = session("local[2]")
    yield spark
    spark.stop()
