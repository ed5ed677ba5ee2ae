"""``crmlab course grade`` and ``crmlab course check``: submissions graded one process each.

Every submission runs in its own worker process (`crmlab.course.worker`) under two time limits: a
cell that runs too long is stopped and the notebook goes on; a worker that runs past the limit of a
whole submission is killed with its kernel. A notebook that cannot be read, belongs to another
assignment, crashes or runs too long scores 0 on the questions it could not answer, with a note,
and the next submission is graded. ``grades.csv`` has one row per student and question.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from crmlab.core.csvfile import write_csv
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.course.feedback import feedback_text, question_notes, score_of
from crmlab.course.masters import Question
from crmlab.course.worker import Limits, Outcome

GRADES_CSV = "grades.csv"
FEEDBACK = "feedback"
COLUMNS = ["student", "question", "points", "total", "note"]


@dataclass(frozen=True)
class Grades:
    """The grades of a batch: ``table`` (student, question, points, total, note) and each student's feedback."""

    table: pd.DataFrame
    feedback: dict[str, str]
    outcomes: dict[str, Outcome]


def find_submissions(folder: Path) -> dict[str, Path]:
    """Every notebook under ``folder`` by student (its path below ``folder`` without ``.ipynb``)."""
    if not folder.is_dir():
        raise ParameterError(t("course.no_folder", folder=str(folder)))
    found = {
        path.relative_to(folder).with_suffix("").as_posix(): path
        for path in sorted(folder.rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in path.parts
    }
    if not found:
        raise InputError(t("course.no_submissions", folder=str(folder)))
    return found


def autograder_points(autograder: Path) -> dict[str, float]:
    """The points of each question the autograder grades, as otter-grader reads its tests."""
    from otter.test_files import create_test_file

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(autograder) as archive:
        tests = [name for name in archive.namelist() if name.startswith("tests/") and name.endswith(".py")]
        archive.extractall(tmp, members=tests)
        return {Path(name).stem: round(create_test_file(str(Path(tmp) / name), None).possible, 6) for name in tests}


def check_build(name: str, lang: str, autograder: Path, questions: list[Question]) -> None:
    """Stop when the build's auto-graded questions or points differ from the master's (rebuild needed)."""
    built = autograder_points(autograder)
    master = {q.name: q.points for q in questions if not q.manual}
    if built != master:
        raise ParameterError(t("course.stale_build", name=name, lang=lang, built=built, master=master))


def _kill(process: subprocess.Popen[str]) -> None:
    """Kill a worker and everything it started (its kernel runs in a session of its own)."""
    import psutil

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.kill()
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    process.wait()


def run_worker(notebook: Path, autograder: Path, limits: Limits) -> Outcome:
    """Grade ``notebook`` with ``autograder`` in a worker process, killed after ``limits.total_seconds``."""
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "crmlab.course.worker", str(notebook), str(autograder), str(result)]
        command += ["--cell-seconds", str(limits.cell_seconds)]
        with open(Path(tmp) / "stderr.txt", "w+", encoding="utf-8", errors="replace") as stderr:
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "TMPDIR": tmp}, text=True
            )
            try:
                process.wait(timeout=limits.total_seconds)
            except subprocess.TimeoutExpired:
                _kill(process)
                return Outcome(failure={"kind": "timeout"})
            stderr.seek(0)
            last = [line for line in stderr.read().splitlines() if line.strip()][-1:]
        if process.returncode != 0 or not result.is_file():
            return Outcome(failure={"kind": "crashed", "detail": last[0] if last else f"exit {process.returncode}"})
        return Outcome(**json.loads(result.read_text(encoding="utf-8")))


def grade_notebook(notebook: Path, autograder: Path, limits: Limits, *, assignment: str) -> Outcome:
    """Grade one submission; one that cannot be read or belongs to another assignment is not run."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # any unreadable file: the note says why, the batch goes on
        return Outcome(failure={"kind": "unreadable", "detail": f"{type(exc).__name__}: {exc}"[:300]})
    found = nb.get("metadata", {}).get("otter", {}).get("assignment_name")
    if found != assignment:
        return Outcome(failure={"kind": "wrong_assignment", "detail": str(found or "?")})
    return run_worker(notebook, autograder, limits)


def grade_all(
    assignment: str,
    submissions: dict[str, Path],
    autograder: Path,
    questions: list[Question],
    *,
    limits: Limits,
    lang: str,
    jobs: int = 1,
    report: Callable[[str, Outcome], Any] = lambda student, outcome: None,
) -> Grades:
    """Grade every submission (``jobs`` at a time): the grades table and each student's feedback."""

    def one(student: str) -> Outcome:
        outcome = grade_notebook(submissions[student], autograder, limits, assignment=assignment)
        report(student, outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        outcomes = dict(zip(submissions, pool.map(one, submissions), strict=True))
    sep = t("course.note_sep", lang)
    rows = [
        {
            "student": student,
            "question": q.name,
            "points": None if q.manual else score_of(outcome, q),
            "total": q.points,
            "note": sep.join(question_notes(outcome, q, limits, lang)),
        }
        for student, outcome in outcomes.items()
        for q in questions
    ]
    feedback = {s: feedback_text(assignment, s, o, questions, limits, lang) for s, o in outcomes.items()}
    return Grades(table=pd.DataFrame(rows, columns=COLUMNS), feedback=feedback, outcomes=outcomes)


def write_grades(grades: Grades, folder: Path) -> tuple[Path, Path]:
    """Write ``grades.csv`` and ``feedback/STUDENT.md`` into ``folder``."""
    feedback = folder / FEEDBACK
    feedback.mkdir(parents=True, exist_ok=True)
    csv = folder / GRADES_CSV
    write_csv(grades.table, csv)  # student names may start with = + - @: neutralised for spreadsheets
    for student, text in grades.feedback.items():
        (feedback / f"{student.replace('/', '_')}.md").write_text(text, encoding="utf-8")
    return csv, feedback


def check_notebook(notebook: Path, limits: Limits) -> Outcome:
    """Run a student notebook with the public tests it carries (what ``grader.check`` runs in class)."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:  # not a notebook: say so in the user's language
        raise InputError(t("course.unreadable", path=str(notebook), error=f"{type(exc).__name__}: {exc}")) from exc
    tests = nb.get("metadata", {}).get("otter", {}).get("tests")
    if not tests:
        raise InputError(t("course.no_public_tests", path=str(notebook)))
    with tempfile.TemporaryDirectory() as tmp:
        autograder = Path(tmp) / "public.zip"
        with zipfile.ZipFile(autograder, "w") as archive:
            for name, test in tests.items():
                plain = json.loads(json.dumps(test))
                archive.writestr(f"tests/{name}.py", f"OK_FORMAT = True\n\ntest = {plain!r}\n")
        return run_worker(notebook, autograder, limits)
