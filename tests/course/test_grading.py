"""Grading: known answers give known points, faulty submissions never stop the batch, students check their work."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.course.build import build_assignment
from crmlab.course.grading import (
    Grades,
    check_build,
    find_submissions,
    grade_all,
    grade_notebook,
    write_grades,
)
from crmlab.course.masters import DIST, MASTERS, Question, questions, read_master
from crmlab.course.worker import Limits, Outcome
from tests.conftest import zh_message
from tests.course.conftest import MASTER_FILES, TINY, crmlab, tiny_master, variant

#: One plausible wrong answer per assignment: (question, the line a student might have written last).
MISTAKES = {
    "10-exit-classification": ("q2", "may_use = True"),
    "20-value-analysis": ("q3", "min_share_80 = 0.2"),
    "30-basket-analysis": ("q2", 'top_lift = rules.table["confidence"].iloc[0]'),
    "40-fraud-propensity": ("q4", "threshold_100 = 0.5"),
    "50-churn-causes": ("q2", "example_profit_lost = example.revenue_lost"),
    "60-retention-targeting": ("q5", "n_pilot = n_simple"),
    "70-relationship-growth": ("q2", 'first_cohort_retention_m1 = cohorts.curve["retention"].iloc[1]'),
}
FAST = Limits(cell_seconds=10, total_seconds=60)


def test_every_assignment_has_a_planted_mistake():
    assert set(MISTAKES) == {p.stem for p in MASTER_FILES}


def test_find_submissions(tmp_path: Path):
    for name in ("alice.ipynb", "group 2/bob.ipynb", ".ipynb_checkpoints/alice-checkpoint.ipynb", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert find_submissions(tmp_path) == {
        "alice": tmp_path / "alice.ipynb",
        "group 2/bob": tmp_path / "group 2/bob.ipynb",
    }
    (tmp_path / "empty").mkdir()
    assert str(tmp_path / "empty") in zh_message(lambda: find_submissions(tmp_path / "empty"), InputError)
    assert "missing" in zh_message(lambda: find_submissions(tmp_path / "missing"), ParameterError)


def test_a_stale_build_is_refused(tiny_course: Path):
    build = build_assignment(tiny_course / MASTERS / f"{TINY}.ipynb", tiny_course / DIST, "en")
    asked = questions(tiny_master())
    check_build(TINY, "en", build.autograder, asked)
    changed = [Question("q1", 3.0, False), *asked[1:]]
    message = zh_message(lambda: check_build(TINY, "en", build.autograder, changed), ParameterError)
    assert f"crmlab course build {TINY} --lang en" in message and "'q1': 2.0" in message and "'q1': 3.0" in message


def test_unreadable_and_foreign_notebooks_are_noted_not_run(tmp_path: Path):
    junk = tmp_path / "junk.ipynb"
    junk.write_text("{not json", encoding="utf-8")
    outcome = grade_notebook(junk, tmp_path / "no.zip", FAST, assignment=TINY)
    assert outcome.failure is not None and outcome.failure["kind"] == "unreadable"
    nb = tiny_master()
    nb.metadata["otter"] = {"assignment_name": "20-value-analysis"}
    nbformat.write(nb, tmp_path / "other.ipynb")
    outcome = grade_notebook(tmp_path / "other.ipynb", tmp_path / "no.zip", FAST, assignment=TINY)
    assert outcome.failure == {"kind": "wrong_assignment", "detail": "20-value-analysis"}
    nbformat.write(tiny_master(), tmp_path / "none.ipynb")
    assert grade_notebook(tmp_path / "none.ipynb", tmp_path / "no.zip", FAST, assignment=TINY).failure == {
        "kind": "wrong_assignment",
        "detail": "?",
    }


def test_write_grades(tmp_path: Path):
    table = pd.DataFrame(
        [["group 2/bob", "q1", 2.0, 2.0, ""], ["group 2/bob", "q3", None, 3.0, "graded by hand"]],
        columns=["student", "question", "points", "total", "note"],
    )
    csv, feedback = write_grades(Grades(table, {"group 2/bob": "# feedback\n"}, {"group 2/bob": Outcome()}), tmp_path)
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfstudent,question,points,total,note\n"), (
        "Excel reads UTF-8 with BOM"
    )
    back = pd.read_csv(csv, encoding="utf-8-sig").fillna({"note": ""})
    pd.testing.assert_frame_equal(back, table.astype({"points": float}))
    assert (feedback / "group 2_bob.md").read_text(encoding="utf-8") == "# feedback\n"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_solution_scores_full_blank_scores_zero_one_mistake_loses_one_question(built_course, tmp_path, name):
    build = built_course[name, "en"]
    question, mistake = MISTAKES[name]
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "solution.ipynb").write_bytes(build.solution.read_bytes())
    (submissions / "blank.ipynb").write_bytes(build.student.read_bytes())
    variant(build.solution, submissions / "mistake.ipynb", question, after="\n" + mistake)
    course = build.folder.parents[2]
    code, out = crmlab("course", "grade", name, str(submissions), "--course", str(course), "-j", "2")
    assert code == 0, out
    grades = pd.read_csv(submissions / "grades.csv", encoding="utf-8-sig")
    asked = questions(read_master(course / MASTERS / f"{name}.ipynb"))
    auto = {q.name: q.points for q in asked if not q.manual}
    points = {s: g.set_index("question")["points"] for s, g in grades.groupby("student")}
    assert points["solution"][list(auto)].to_dict() == auto, grades.to_string()
    assert points["blank"][list(auto)].to_dict() == dict.fromkeys(auto, 0.0), grades.to_string()
    assert points["mistake"][list(auto)].to_dict() == {**auto, question: 0.0}, grades.to_string()
    manual = grades[grades["question"].isin([q.name for q in asked if q.manual])]
    assert manual["points"].isna().all() and (manual["note"] == "graded by hand").all()
    mistake_note = grades.set_index(["student", "question"]).loc[("mistake", question), "note"]
    assert "a hidden test failed" in mistake_note
    assert sorted(p.name for p in (submissions / "feedback").iterdir()) == ["blank.md", "mistake.md", "solution.md"]
    assert f"solution: {sum(auto.values()):g} of {sum(auto.values()):g} auto-graded points" in out


@pytest.fixture
def faulty(tiny_course: Path, tmp_path: Path) -> dict[str, Path]:
    """The tiny assignment built, and submissions that raise, loop, loop past any cell limit, or kill their kernel."""
    build = build_assignment(tiny_course / MASTERS / f"{TINY}.ipynb", tiny_course / DIST, "en")
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "good.ipynb").write_bytes(build.solution.read_bytes())
    variant(build.solution, folder / "raises.ipynb", "q1", before='raise ZeroDivisionError("planned")\n')
    variant(build.solution, folder / "loops.ipynb", "q2", before="while True:\n    pass\n")
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except BaseException:\n        pass\n"
    variant(build.solution, folder / "forever.ipynb", "q1", before=stubborn)
    variant(build.solution, folder / "dies.ipynb", "q2", before="import os\nos._exit(1)\n")
    return {"autograder": build.autograder, "folder": folder, "student": build.student, "solution": build.solution}


@pytest.mark.slow
def test_raising_looping_and_crashing_submissions_never_stop_the_batch(faulty):
    grades = grade_all(
        TINY,
        find_submissions(faulty["folder"]),
        faulty["autograder"],
        questions(tiny_master()),
        limits=FAST,
        lang="en",
        jobs=2,
    )
    table = grades.table.set_index(["student", "question"])
    points = table["points"].unstack()[["q1", "q2"]].to_dict("index")
    assert points == {
        "good": {"q1": 2.0, "q2": 1.0},
        "raises": {"q1": 0.0, "q2": 1.0},
        "loops": {"q1": 2.0, "q2": 0.0},
        "forever": {"q1": 0.0, "q2": 0.0},
        "dies": {"q1": 0.0, "q2": 0.0},
    }
    assert "raised ZeroDivisionError: planned" in table.loc[("raises", "q1"), "note"]
    assert "(`while True:`) ran longer than 10 s and was stopped" in table.loc[("loops", "q2"), "note"]
    assert grades.outcomes["forever"].failure == {"kind": "timeout"}
    assert "ran longer than 60 s in total" in table.loc[("forever", "q2"), "note"]
    assert grades.outcomes["dies"].failure is not None and grades.outcomes["dies"].failure["kind"] == "crashed"
    assert "DeadKernelError" in table.loc[("dies", "q1"), "note"]


@pytest.mark.slow
def test_check_runs_the_public_tests_of_a_student_notebook(faulty, tmp_path):
    code, out = crmlab("course", "check", str(faulty["student"]), "--cell-timeout", "10", "--timeout", "60")
    assert code == 1
    assert out.splitlines()[0] == "q1 (0/2): a public test failed"
    answered = nbformat.read(faulty["solution"], as_version=4)
    answered.metadata["otter"] = nbformat.read(faulty["student"], as_version=4).metadata["otter"]  # public tests only
    nbformat.write(answered, tmp_path / "answered.ipynb")
    code, out = crmlab("course", "check", str(tmp_path / "answered.ipynb"), "--lang", "zh")
    assert code == 0, out
    assert out.splitlines()[-1] == "公开测试：3 分（满分 3 分）。提交后，隐藏测试将为你的笔记本评分。"
