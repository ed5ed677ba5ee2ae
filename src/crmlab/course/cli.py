"""``crmlab course build | grade | check``: the teacher's and the student's commands.

`add_course_parser` adds the ``course`` subcommand to the ``crmlab`` parser; nothing here imports
otter-grader until a command runs, so ``crmlab run`` works without the ``course`` extra.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import LANGS, get_lang, set_lang, t


def _require_otter() -> None:
    try:
        import otter  # noqa: F401
    except ModuleNotFoundError:
        raise ParameterError(t("course.no_otter")) from None


def _limits(args: argparse.Namespace) -> Any:
    from crmlab.core.checks import check_whole
    from crmlab.course.worker import Limits

    cell = check_whole(args.cell_timeout, "--cell-timeout", low=1)
    return Limits(cell_seconds=cell, total_seconds=check_whole(args.timeout, "--timeout", low=cell))


def _masters(course_arg: str | None, names: list[str]) -> tuple[Path, list[tuple[Path, Any]]]:
    """The course folder and the masters named (all when none), each with its questions."""
    from crmlab.course.masters import course_dir, find_masters, questions, read_master, select_masters

    course = course_dir(course_arg)
    return course, [(m, questions(read_master(m), where=m.name)) for m in select_masters(find_masters(course), names)]


def cmd_build(args: argparse.Namespace) -> int:
    """`crmlab course build [NAME...] [--lang en|zh]`: student, solution and autograder per assignment."""
    _require_otter()
    from crmlab.course.build import build_assignment
    from crmlab.course.masters import DIST, points_text

    langs = args.langs or list(LANGS)
    if langs == ["zh"]:
        set_lang("zh")
    course, chosen = _masters(args.course, args.names)
    for master, asked in chosen:
        auto = points_text(sum(q.points for q in asked if not q.manual))
        manual = points_text(sum(q.points for q in asked if q.manual))
        for lang in langs:
            built = build_assignment(master, course / DIST, lang)
            print(t("course.built", name=built.name, lang=lang, n=len(asked), auto=auto, manual=manual))
            for key in ("student", "solution", "autograder"):
                print(f"  {t(f'course.path.{key}')}: {getattr(built, key)}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    """`crmlab course grade NAME SUBMISSIONS`: grades.csv and a feedback file per student."""
    _require_otter()
    from crmlab.course.build import built
    from crmlab.course.feedback import failure_note
    from crmlab.course.grading import check_build, find_submissions, grade_all, write_grades
    from crmlab.course.masters import DIST, points_text

    limits, lang = _limits(args), args.lang or get_lang()
    course, [(master, asked)] = _masters(args.course, [args.name])
    build = built(course / DIST, master.stem, lang)
    check_build(master.stem, lang, build.autograder, asked)
    folder = Path(args.submissions)
    submissions = find_submissions(folder)
    possible = points_text(sum(q.points for q in asked if not q.manual))

    def report(student: str, outcome: Any) -> None:
        score = points_text(sum(r["score"] for r in outcome.questions.values()))
        note = failure_note(outcome, limits, lang)
        print(t("course.graded", student=student, score=score, possible=possible) + (f" ({note})" if note else ""))

    grades = grade_all(
        master.stem, submissions, build.autograder, asked, limits=limits, lang=lang, jobs=args.jobs, report=report
    )
    csv, feedback = write_grades(grades, Path(args.output) if args.output else folder)
    print(t("course.written", csv=str(csv), feedback=str(feedback)))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """`crmlab course check NOTEBOOK`: run a student notebook with its public tests."""
    _require_otter()
    from crmlab.course.feedback import check_text
    from crmlab.course.grading import check_notebook

    limits = _limits(args)
    outcome = check_notebook(Path(args.notebook), limits)
    print(check_text(outcome, limits, args.lang or get_lang()))
    return 0 if outcome.failure is None and all(r["score"] >= r["possible"] for r in outcome.questions.values()) else 1


def _limit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds a code cell may run (default 120)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds a whole notebook may run (default 900)")


def add_course_parser(sub: Any) -> None:
    """Add ``crmlab course`` with its ``build``, ``grade`` and ``check`` steps to the subparsers ``sub``."""
    course = sub.add_parser("course", help="assignments for teachers: build, grade; check for students")
    steps = course.add_subparsers(dest="step", required=True)
    where = "folder holding masters/ (default: $CRMLAB_COURSE or ./course); builds go to its dist/"
    build = steps.add_parser("build", help="write student notebooks, solutions and autograders into course/dist/")
    build.add_argument("names", nargs="*", help="assignments (names or unique prefixes such as 10); none: all")
    build.add_argument("--lang", dest="langs", action="append", choices=LANGS, help="language (default: en and zh)")
    build.add_argument("--course", help=where)
    build.set_defaults(func=cmd_build)
    grade = steps.add_parser("grade", help="grade every notebook in a folder: grades.csv and feedback/")
    grade.add_argument("name", help="the assignment (name or unique prefix)")
    grade.add_argument("submissions", help="folder of submitted notebooks (.ipynb, also in subfolders)")
    grade.add_argument(
        "--lang", default=argparse.SUPPRESS, choices=LANGS, help="language of the build and the feedback (default: en)"
    )
    grade.add_argument("--output", help="folder for grades.csv and feedback/ (default: the submissions folder)")
    grade.add_argument("--course", help=where)
    grade.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once")
    _limit_options(grade)
    grade.set_defaults(func=cmd_grade)
    check = steps.add_parser("check", help="run a student notebook with its public tests")
    check.add_argument("notebook", help="the student notebook (.ipynb)")
    check.add_argument(
        "--lang", default=argparse.SUPPRESS, choices=LANGS, help="language of the messages (default: en)"
    )
    _limit_options(check)
    check.set_defaults(func=cmd_check)
