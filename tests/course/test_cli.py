"""The ``crmlab course`` command: its steps, and the messages of what a teacher or student gets wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crmlab.course.cli import cmd_build, cmd_check, cmd_grade
from crmlab.reports.cli import build_parser
from tests.course.conftest import TINY, crmlab


def test_course_steps_and_their_defaults():
    parser = build_parser()
    build = parser.parse_args(["course", "build"])
    assert build.func is cmd_build and build.names == [] and build.langs is None, "no --lang builds both languages"
    assert parser.parse_args(["course", "build", "10", "--lang", "zh"]).langs == ["zh"]
    grade = parser.parse_args(["course", "grade", "10", "subs"])
    assert grade.func is cmd_grade and (grade.cell_timeout, grade.timeout) == (120, 900)
    assert not hasattr(grade, "lang"), "no --lang: the global language ($CRMLAB_LANG, else en)"
    for argv in (["--lang", "zh", "course", "grade", "10", "subs"], ["course", "grade", "10", "subs", "--lang", "zh"]):
        assert parser.parse_args(argv).lang == "zh", argv  # before the subcommand too, as for every command
    assert grade.jobs >= 1 and grade.output is None and grade.course is None
    check = parser.parse_args(["course", "check", "mine.ipynb", "--cell-timeout", "30"])
    assert check.func is cmd_check and check.cell_timeout == 30
    with pytest.raises(SystemExit):
        parser.parse_args(["course", "build", "--lang", "fr"])


def test_a_missing_course_folder_is_named(tmp_path: Path):
    code, out = crmlab("course", "build", "--course", str(tmp_path / "nowhere"))
    assert code == 2 and "No course folder at" in out and "--course DIR" in out
    code, out = crmlab("course", "build", "--course", str(tmp_path / "nowhere"), "--lang", "zh")
    assert code == 2 and "找不到课程文件夹" in out


def test_grade_names_what_is_missing(tiny_course: Path, tmp_path: Path):
    code, out = crmlab("course", "grade", "77", str(tmp_path), "--course", str(tiny_course))
    assert code == 2 and "'77' is not an assignment." in out and TINY in out
    code, out = crmlab("course", "grade", TINY, str(tmp_path), "--course", str(tiny_course), "--lang", "zh")
    assert code == 2 and f"`crmlab course build {TINY} --lang zh`" in out
    code, out = crmlab("course", "grade", TINY, str(tmp_path), "--course", str(tiny_course), "--timeout", "5")
    assert code == 2 and "--timeout" in out


def test_check_refuses_what_is_not_a_student_notebook(tmp_path: Path, tiny_course: Path):
    junk = tmp_path / "junk.ipynb"
    junk.write_text("{not json", encoding="utf-8")
    code, out = crmlab("course", "check", str(junk), "--lang", "zh")
    assert code == 2 and "不是可读取的笔记本" in "".join(out.split())  # the CLI wraps long lines
    master = tiny_course / "masters" / f"{TINY}.ipynb"
    code, out = crmlab("course", "check", str(master))
    assert code == 2 and "carries no public tests" in out


def test_without_otter_the_course_commands_say_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "otter", None)
    code, out = crmlab("course", "check", str(tmp_path / "x.ipynb"))
    assert code == 2 and "pip install 'crmlab[course]'" in out
