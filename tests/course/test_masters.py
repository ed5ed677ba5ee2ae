"""The masters: one per method notebook, each a complete bilingual assignment; finding and reading them."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from crmlab.core.errors import ParameterError
from crmlab.course.masters import (
    Question,
    course_dir,
    find_masters,
    for_language,
    questions,
    read_master,
    select_masters,
)
from tests.conftest import NOTEBOOKS, english_runs, zh_message
from tests.course.conftest import COURSE, MASTER_FILES, TINY, tiny_master

BLOCK = re.compile(r"#\s+(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)", re.IGNORECASE)


def blocks(nb: nbformat.NotebookNode) -> list[dict]:
    """Each question of a master: its config, prompts by language, public and hidden tests, answers by language."""
    found: list[dict] = []
    inside: list[str] = []
    for cell in nb.cells:
        marker = BLOCK.match(cell.source) if cell.cell_type == "raw" else None
        if marker:
            begin, kind = marker.group(1).upper() == "BEGIN", marker.group(2).upper()
            if begin and kind == "QUESTION":
                found.append({"lines": cell.source, "prompt": set(), "answer": set(), "public": 0, "hidden": 0})
            inside = [*inside, kind] if begin else inside[:-1]
            continue
        if not inside:
            continue
        tags = set(cell.metadata.get("tags", []))
        if inside[-1] == "QUESTION" and cell.cell_type == "markdown":
            found[-1]["prompt"] |= tags
        elif inside[-1] == "SOLUTION" and cell.cell_type == "markdown":
            found[-1]["answer"] |= tags
        elif inside[-1] == "TESTS":
            found[-1]["hidden" if cell.source.startswith("# HIDDEN") else "public"] += 1
    return found


def test_one_master_per_method_notebook():
    methods = {p.stem for p in NOTEBOOKS.glob("*.ipynb")} - {"00-data-profile"}
    assert {p.stem for p in MASTER_FILES} == methods


@pytest.mark.parametrize("path", MASTER_FILES, ids=lambda p: p.stem)
def test_master_is_a_complete_bilingual_assignment(path: Path):
    nb = read_master(path)
    assert f"name: {path.stem}\n" in nb.cells[0].source, "the assignment is named after its file"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    intro = {tag: cell.source for cell in nb.cells[1:3] for tag in cell.metadata["tags"]}
    assert "**Learning goals.**" in intro["en"] and "**Estimated time:**" in intro["en"]
    assert "**学习目标。**" in intro["zh"] and "**预计用时：**" in intro["zh"]
    asked = questions(nb, where=path.name)
    assert 4 <= len(asked) <= 8
    assert [q.name for q in asked] == [f"q{i}" for i in range(1, len(asked) + 1)]
    assert any(q.manual for q in asked) and any(not q.manual for q in asked)
    for question, block in zip(asked, blocks(nb), strict=True):
        assert block["prompt"] == {"en", "zh"}, question
        assert question.points > 0
        if question.manual:
            assert block["answer"] == {"en", "zh"}, f"{question.name}: a model answer in both languages"
        else:
            assert block["public"] >= 1 and block["hidden"] >= 1, f"{question.name}: public and hidden tests"
            assert "all_or_nothing: true" in block["lines"], f"{question.name}: one wrong answer loses the question"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "strip outputs"


#: A row of the syllabus table: assignment, method, questions auto + by hand, points auto + by hand, time.
SYLLABUS_ROW = re.compile(
    r"^\| `(?P<name>[\w-]+)` \|.*\| (?P<asked>\d+ \+ \d+) \| (?P<points>\d+ \+ \d+) \| (?P<time>\d+) (?:min|分钟) \|$"
)
MINUTES = {
    "en": re.compile(r"\*\*Estimated time:\*\* (\d+) minutes"),
    "zh": re.compile(r"\*\*预计用时：\*\* (\d+) 分钟"),
}


def test_the_syllabus_lists_every_master_with_its_questions_points_and_time():
    """Both languages' tables of course/README.md, row by row, against the masters."""
    rows = [m.groupdict() for m in map(SYLLABUS_ROW.match, (COURSE / "README.md").read_text("utf-8").splitlines()) if m]
    expected = []
    for path in MASTER_FILES:
        nb = read_master(path)
        asked = questions(nb, where=path.name)
        auto, manual = [q for q in asked if not q.manual], [q for q in asked if q.manual]
        intro = {tag: cell.source for cell in nb.cells[1:3] for tag in cell.metadata["tags"]}
        minutes = {lang: pattern.search(intro[lang]).group(1) for lang, pattern in MINUTES.items()}
        assert minutes["en"] == minutes["zh"], path.name
        expected.append(
            {
                "name": path.stem,
                "asked": f"{len(auto)} + {len(manual)}",
                "points": f"{sum(q.points for q in auto):g} + {sum(q.points for q in manual):g}",
                "time": minutes["en"],
            }
        )
    assert rows == expected + expected, "one row per master in the English table, then in the Chinese one"


@pytest.mark.parametrize("path", MASTER_FILES, ids=lambda p: p.stem)
def test_chinese_cells_hold_no_english_sentence(path: Path):
    zh = [c.source for c in read_master(path).cells if "zh" in c.metadata.get("tags", [])]
    assert zh and {text[:40]: english_runs(text) for text in zh if english_runs(text)} == {}


def test_for_language_keeps_one_language_and_writes_the_points():
    nb = tiny_master()
    zh = for_language(nb, "zh")
    assert all("en" not in c.metadata.get("tags", []) for c in zh.cells)
    prompts = [c.source for c in zh.cells if c.cell_type == "markdown" and c.source.startswith("**问题")]
    assert prompts[0].endswith("*分值：2 分*") and prompts[1].endswith("*分值：1 分*")
    assert prompts[2].endswith("*分值：3 分，由教师评分*")
    en = for_language(nb, "en")
    assert [c.source.splitlines()[-1] for c in en.cells if c.source.startswith("**Question")] == [
        "*Points: 2*",
        "*Points: 1*",
        "*Points: 3, graded by your teacher*",
    ]
    assert len(nb.cells) == len(en.cells) + 5, "the master itself is left as it was"


def test_questions_are_read_with_their_points():
    assert questions(tiny_master()) == [
        Question("q1", 2.0, False),
        Question("q2", 1.0, False),
        Question("q3", 3.0, True),
    ]


def test_a_question_without_points_is_refused():
    nb = tiny_master()
    nb.cells[3].source = "# BEGIN QUESTION\nname: q1"
    message = zh_message(lambda: questions(nb, where="tiny.ipynb"), ParameterError)
    assert "'q1'" in message and "points: N" in message


def test_select_masters_by_name_or_prefix(tiny_course: Path):
    masters = find_masters(COURSE.resolve())
    assert select_masters(masters, ["20"])[0].stem == "20-value-analysis"
    assert select_masters(masters, ["4", "30-basket-analysis.ipynb"]) == [masters[3], masters[2]]
    assert select_masters(masters, []) == masters
    message = zh_message(lambda: select_masters(masters, ["10-exit-clasification"]), ParameterError)
    assert "'10-exit-clasification'" in message and "'10-exit-classification'" in message
    with pytest.raises(ParameterError, match="matches several assignments: 10-exit-classification, 10-other"):
        select_masters([*masters, masters[0].with_name("10-other.ipynb")], ["10"])
    assert [m.stem for m in find_masters(tiny_course)] == [TINY]


def test_course_dir_needs_a_masters_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    assert course_dir(str(COURSE)) == COURSE.resolve()
    monkeypatch.setenv("CRMLAB_COURSE", str(COURSE))
    assert course_dir() == COURSE.resolve()
    message = zh_message(lambda: course_dir(str(tmp_path)), ParameterError)
    assert "masters/" in message and "--course" in message
