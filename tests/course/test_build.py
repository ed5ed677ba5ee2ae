"""Builds: no solution or hidden test reaches a student, both languages ask the same, a failed build changes nothing."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from crmlab.core.errors import ParameterError
from crmlab.course.build import Built, build_assignment, built
from crmlab.course.grading import autograder_points
from crmlab.course.masters import DIST, MASTERS, read_master
from tests.conftest import english_runs, zh_message
from tests.course.conftest import MASTER_FILES, TINY, crmlab, tiny_master

NAMES = [p.stem for p in MASTER_FILES]
SOLUTION_LINE = re.compile(r"^(.*?)\s*# SOLUTION\s*$")


def strings(value: Any) -> list[str]:
    """Every string in a JSON document (sources, metadata, outputs)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def secrets(master: Path, lang: str) -> list[set[str]]:
    """What a student must never see, each in the forms it may take: solution lines, hidden tests
    (also as otter-grader rewrites them, ``ast.unparse``), the model answers of the language."""
    found: list[str] = []
    tests: list[str] = []
    in_solution = False
    for cell in read_master(master).cells:
        if cell.cell_type == "raw":
            in_solution = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(cell.source.strip(), in_solution)
            continue
        lines = cell.source.splitlines()
        if cell.cell_type == "code" and lines and lines[0].startswith("# HIDDEN"):
            tests += [line.strip() for line in lines[1:] if line.strip()]
        elif cell.cell_type == "code":
            found += [m.group(1).strip() for m in map(SOLUTION_LINE.match, lines) if m]
        elif in_solution and lang in cell.metadata.get("tags", []):
            found += [line.strip() for line in lines if len(line.strip()) > 20]
    return [{text} for text in found] + [{line, ast.unparse(ast.parse(line))} for line in tests]


def student_texts(build: Built) -> str:
    return "\n".join(strings(json.loads(build.student.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_holds_no_solution_and_no_hidden_test(built_course, name, lang):
    build = built_course[name, lang]
    hidden = secrets(next(p for p in MASTER_FILES if p.stem == name), lang)
    assert len(hidden) > 10
    solution = "\n".join(strings(json.loads(build.solution.read_text(encoding="utf-8"))))
    assert [s for s in hidden if not any(form in solution for form in s)] == [], "the search finds them in the solution"
    student = student_texts(build)
    assert [s for s in hidden if any(form in student for form in s)] == []
    assert student.count("= ...") >= 4, "placeholders are left where the answers go"


@pytest.mark.parametrize("name", NAMES)
def test_both_languages_ask_the_same_questions_for_the_same_points(built_course, name):
    en, zh = built_course[name, "en"], built_course[name, "zh"]
    assert autograder_points(en.autograder) == autograder_points(zh.autograder)

    def shape(build: Built) -> tuple[list[str], dict[str, Any], int]:
        nb = nbformat.read(build.student, as_version=4)
        checks = [m for c in nb.cells for m in re.findall(r'grader\.check\("(\w+)"\)', c.source)]
        tests = {
            name: (test["points"], [len(s["cases"]) for s in test["suites"]])
            for name, test in nb.metadata["otter"]["tests"].items()
        }
        answers = sum("otter_answer_cell" in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "markdown")
        return checks, tests, answers

    assert shape(en) == shape(zh)
    assert len(shape(en)[0]) >= 4 and shape(en)[2] >= 1


@pytest.mark.parametrize("name", NAMES)
def test_chinese_build_is_in_chinese(built_course, name):
    nb = nbformat.read(built_course[name, "zh"].student, as_version=4)
    assert not any("en" in c.metadata.get("tags", []) for c in nb.cells)
    prose = [
        c.source
        for c in nb.cells
        if c.cell_type == "markdown" and "otter_answer_cell" not in c.metadata.get("tags", [])
    ]
    leaks = {text[:40]: english_runs(re.sub(r"<!--.*?-->", "", text)) for text in prose}
    assert {k: v for k, v in leaks.items() if v} == {}


@pytest.mark.parametrize("name", NAMES)
def test_build_writes_the_three_files(built_course, name):
    build = built_course[name, "en"]
    assert build.folder.name == "en" and build.folder.parent.name == name
    for path in (build.student, build.solution):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5) and all("id" in c for c in nb["cells"])
        assert nb["metadata"]["otter"]["assignment_name"] == name
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    assert set(autograder_points(build.autograder)) == {
        k for k in json.loads(build.solution.read_text(encoding="utf-8"))["metadata"]["otter"]["tests"]
    }
    assert built(build.folder.parent.parent, name, "en") == build


def test_cli_build_and_a_failed_build_that_changes_nothing(tiny_course: Path):
    code, out = crmlab("course", "build", "99", "--lang", "zh", "--course", str(tiny_course))
    assert code == 0, out
    assert "99-tiny（zh）：3 道题，自动评分 3 分，人工评分 3 分" in out
    build = built(tiny_course / DIST, TINY, "zh")
    before = build.student.read_bytes()
    broken = tiny_master()
    broken.cells[3].source = "# BEGIN QUESTION\nname: q1"  # no points
    nbformat.write(broken, tiny_course / MASTERS / f"{TINY}.ipynb")
    message = zh_message(
        lambda: build_assignment(tiny_course / MASTERS / f"{TINY}.ipynb", tiny_course / DIST, "zh"), ParameterError
    )
    assert "'q1'" in message
    assert build.student.read_bytes() == before
    assert sorted(p.name for p in (tiny_course / DIST / TINY).iterdir()) == ["zh"], "no staging folder is left"
    broken.cells[3].source = "# BEGIN QUESTION\nname: q1\npoints: 2"
    broken.cells[8].source = "# END TESTS"  # an end without its begin
    nbformat.write(broken, tiny_course / MASTERS / f"{TINY}.ipynb")
    code, out = crmlab("course", "build", TINY, "--lang", "en", "--course", str(tiny_course))
    assert code == 2 and "otter-grader could not build 99-tiny.ipynb" in out
    assert not (tiny_course / DIST / TINY / "en").exists()


def test_grading_needs_a_build(tiny_course: Path):
    message = zh_message(lambda: built(tiny_course / DIST, TINY, "zh"), ParameterError)
    assert f"crmlab course build {TINY} --lang zh" in message
