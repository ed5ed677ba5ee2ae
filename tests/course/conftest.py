"""Course fixtures: the real masters built once, a tiny fast master, and notebooks with planted faults."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat
import pytest

from crmlab.course.build import Built, build_assignment
from crmlab.course.masters import DIST, MASTERS
from crmlab.reports.cli import main
from tests.conftest import ROOT

COURSE = ROOT / "course"
MASTER_FILES = sorted((COURSE / MASTERS).glob("*.ipynb"))
TINY = "99-tiny"


def crmlab(*args: str) -> tuple[int, str]:
    """Run the ``crmlab`` command in-process: exit code and everything it printed."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


def copy_course(target: Path) -> Path:
    """A copy of the repository's masters in ``target`` (builds then go to ``target/dist``)."""
    shutil.copytree(COURSE / MASTERS, target / MASTERS)
    return target


@pytest.fixture(scope="session")
def built_course(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Built]:
    """Every master built in English and Chinese, by (name, lang)."""
    course = copy_course(tmp_path_factory.mktemp("course"))
    return {
        (master.stem, lang): build_assignment(master, course / DIST, lang)
        for master in sorted((course / MASTERS).glob("*.ipynb"))
        for lang in ("en", "zh")
    }


def tiny_master() -> nbformat.NotebookNode:
    """A master that runs in a second: two auto-graded questions (2 and 1 points) and one graded by hand."""
    md, code, raw = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell, nbformat.v4.new_raw_cell

    def question(name: str, points: int, en: str, zh: str, solution: str, public: str, hidden: str) -> list:
        return [
            raw(f"# BEGIN QUESTION\nname: {name}\npoints: {points}\nall_or_nothing: true"),
            md(en, metadata={"tags": ["en"]}),
            md(zh, metadata={"tags": ["zh"]}),
            raw("# BEGIN SOLUTION"),
            code(f"{solution}  # SOLUTION"),
            raw("# END SOLUTION"),
            raw("# BEGIN TESTS"),
            code(public),
            code(f"# HIDDEN\n{hidden}"),
            raw("# END TESTS"),
            raw("# END QUESTION"),
        ]

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        raw(f"# ASSIGNMENT CONFIG\nname: {TINY}\ncheck_all_cell: false\nexport_cell: false\ngenerate:\n  pdf: false"),
        md("# Tiny\nLearning goals: none. Estimated time: 1 minute.", metadata={"tags": ["en"]}),
        md("# 小作业\n学习目标：无。预计用时：1 分钟。", metadata={"tags": ["zh"]}),
        *question(
            "q1",
            2,
            "**Question 1.** Multiply six by seven.",
            "**问题 1。** 计算六乘以七。",
            "answer = 6 * 7",
            "assert isinstance(answer, int)",
            "assert answer == 42",
        ),
        *question(
            "q2",
            1,
            "**Question 2.** Write crm in capitals.",
            "**问题 2。** 用大写字母写出 crm。",
            'word = "crm".upper()',
            "assert isinstance(word, str)",
            'assert word == "CRM"',
        ),
        raw("# BEGIN QUESTION\nname: q3\nmanual: true\npoints: 3"),
        md("**Question 3.** Why?", metadata={"tags": ["en"]}),
        md("**问题 3。** 为什么？", metadata={"tags": ["zh"]}),
        raw("# BEGIN SOLUTION"),
        md("Because the tiny master says so.", metadata={"tags": ["en"]}),
        md("因为小作业这样规定。", metadata={"tags": ["zh"]}),
        raw("# END SOLUTION"),
        raw("# END QUESTION"),
    ]
    return nb


@pytest.fixture
def tiny_course(tmp_path: Path) -> Path:
    """A course folder holding only the tiny master."""
    (tmp_path / "course" / MASTERS).mkdir(parents=True)
    nbformat.write(tiny_master(), tmp_path / "course" / MASTERS / f"{TINY}.ipynb")
    return tmp_path / "course"


def answer_cell(nb: nbformat.NotebookNode, question: str) -> nbformat.NotebookNode:
    """The last code cell before ``grader.check(question)``: where a student writes the answer."""
    check = next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and f'grader.check("{question}")' in c.source
    )
    return nb.cells[max(i for i in range(check) if nb.cells[i].cell_type == "code")]


def variant(solution: Path, target: Path, question: str, *, before: str = "", after: str = "") -> Path:
    """A copy of the solution notebook with code put before or after the answer of ``question``."""
    nb = nbformat.read(solution, as_version=4)
    cell = answer_cell(nb, question)
    cell.source = before + cell.source + after
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target
