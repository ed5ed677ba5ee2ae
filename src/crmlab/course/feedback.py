"""What a student and a teacher read about one graded notebook, in the teacher's language.

Notes say which question lost points and why: a failed public or hidden test (a hidden test's code
is never shown), a cell that raised or ran past the time limit (named by its number and first line),
or the reason the whole notebook could not be graded.
"""

from __future__ import annotations

from typing import Any

from crmlab.core.i18n import t
from crmlab.course.masters import Question, points_text
from crmlab.course.worker import TIMEOUT_MARKER, Limits, Outcome


def error_note(error: dict[str, Any], limits: Limits, lang: str) -> str:
    """One cell's error: stopped at the time limit, or the exception it raised."""
    where = {"cell": error["cell"], "line": error["first_line"]}
    if error["ename"] == "TimeoutError" and TIMEOUT_MARKER in error["evalue"]:
        return t("course.note.cell_timeout", lang, seconds=limits.cell_seconds, **where)
    return t("course.note.cell_error", lang, ename=error["ename"], evalue=error["evalue"], **where)


def failure_note(outcome: Outcome, limits: Limits, lang: str) -> str:
    """Why the notebook could not be graded at all ("" when it was)."""
    if outcome.failure is None:
        return ""
    seconds = limits.total_seconds
    return t(f"course.note.{outcome.failure['kind']}", lang, seconds=seconds, detail=outcome.failure.get("detail", ""))


def score_of(outcome: Outcome, question: Question) -> float:
    """The points ``question`` earned (0 when the notebook failed or the question is missing)."""
    result = outcome.questions.get(question.name)
    return float(result["score"]) if result and outcome.failure is None else 0.0


def question_notes(outcome: Outcome, question: Question, limits: Limits, lang: str) -> list[str]:
    """Why ``question`` lost points: the whole notebook, its cells' errors, earlier errors, its tests."""
    if question.manual:
        return [t("course.note.manual", lang)]
    if outcome.failure is not None:
        return [failure_note(outcome, limits, lang)]
    result = outcome.questions.get(question.name)
    if result is None:
        return [t("course.note.no_result", lang)]
    if result["score"] >= result["possible"]:
        return []
    notes = [error_note(e, limits, lang) for e in outcome.errors if e["question"] in {question.name, None}]
    if result["public_failures"]:
        notes.append(t("course.note.public_failed", lang))
    if result["hidden_failed"]:
        notes.append(t("course.note.hidden_failed", lang))
    return notes


def feedback_text(
    assignment: str, student: str, outcome: Outcome, questions: list[Question], limits: Limits, lang: str
) -> str:
    """The feedback file of one student (Markdown)."""
    auto = [q for q in questions if not q.manual]
    manual = sum(q.points for q in questions if q.manual)
    score = sum(score_of(outcome, q) for q in auto)
    lines = [
        t("course.feedback.title", lang, assignment=assignment, student=student),
        "",
        t("course.feedback.score", lang, score=points_text(score), possible=points_text(sum(q.points for q in auto))),
    ]
    if manual:
        lines.append(t("course.feedback.manual", lang, points=points_text(manual)))
    if outcome.failure is not None:
        lines += ["", failure_note(outcome, limits, lang)]
    headings = [t(f"course.feedback.{c}", lang) for c in ("question", "points", "of", "result")]
    lines += ["", "| " + " | ".join(headings) + " |", "|---|---:|---:|---|"]
    for q in questions:
        failed_all = outcome.failure is not None and not q.manual
        notes = [t("course.note.not_graded", lang)] if failed_all else question_notes(outcome, q, limits, lang)
        earned = "–" if q.manual else points_text(score_of(outcome, q))
        result = t("course.note_sep", lang).join(notes) or t("course.note.passed", lang)
        lines.append(f"| {q.name} | {earned} | {points_text(q.points)} | {result.replace('|', '/')} |")
    failed = {name: r["public_failures"] for name, r in outcome.questions.items() if r["public_failures"]}
    if failed:
        lines += ["", t("course.feedback.public_output", lang)]
        for name, messages in failed.items():
            lines += ["", f"### {name}", "", "```", *[m.strip() for m in messages], "```"]
    return "\n".join(lines) + "\n"


def check_text(outcome: Outcome, limits: Limits, lang: str) -> str:
    """What ``crmlab course check`` prints: each question's public tests, then the total."""
    if outcome.failure is not None:
        return failure_note(outcome, limits, lang)
    lines = []
    for name, result in outcome.questions.items():
        question = Question(name, float(result["possible"]), manual=False)
        notes = question_notes(outcome, question, limits, lang) or [t("course.note.passed", lang)]
        lines.append(
            t(
                "course.check.line",
                lang,
                question=name,
                score=points_text(result["score"]),
                possible=points_text(result["possible"]),
                result=t("course.note_sep", lang).join(notes),
            )
        )
        lines += ["    " + line for m in result["public_failures"] for line in m.strip().splitlines()]
    score = sum(r["score"] for r in outcome.questions.values())
    possible = sum(r["possible"] for r in outcome.questions.values())
    lines.append(t("course.check.summary", lang, score=points_text(score), possible=points_text(possible)))
    return "\n".join(lines)
