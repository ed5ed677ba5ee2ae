"""Grade one notebook in its own process: ``python -m crmlab.course.worker NOTEBOOK AUTOGRADER RESULT``.

`crmlab.course.grading` starts one worker per submission and kills it when it runs past the time
limit of a whole submission, so a submission that loops or crashes its kernel never stops the batch.
The worker copies the notebook, sets its kernel to ``python3``, stamps every code cell with its number
and the question whose ``grader.check`` follows it, and adds a first cell that stops any cell running
longer than ``--cell-seconds`` (SIGALRM, where the platform has it): the cell fails with
`TIMEOUT_MARKER`, the later cells still run. otter-grader then runs the notebook and the tests of the
autograder. The result, written as JSON, holds per question the score, the points possible, the
output of failed public tests and whether a hidden test failed, and the errors of the student's cells.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

TIMEOUT_MARKER = "crmlab-course-cell-time-limit"
STAMP = "crmlab_course"
CHECK_CALL = re.compile(r"""grader\.check\(\s*["']([^"']+)["']\s*\)""")
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
TIMER = f'''\
import signal as _crmlab_signal
if hasattr(_crmlab_signal, "SIGALRM"):
    def _crmlab_stop(signum, frame):
        raise TimeoutError("{TIMEOUT_MARKER}")
    _crmlab_signal.signal(_crmlab_signal.SIGALRM, _crmlab_stop)
    get_ipython().events.register("pre_run_cell", lambda info: _crmlab_signal.alarm({{seconds}}))
    get_ipython().events.register("post_run_cell", lambda result: _crmlab_signal.alarm(0))
'''


@dataclass(frozen=True)
class Limits:
    """Time limits of grading: per code cell (the cell is stopped) and per submission (the worker is)."""

    cell_seconds: int = 120
    total_seconds: int = 900


@dataclass(frozen=True)
class Outcome:
    """What grading one notebook gave.

    ``questions`` maps each auto-graded question to ``score``, ``possible``, ``public_failures`` (the
    output of its failed public tests) and ``hidden_failed``; ``errors`` lists the student's cells that
    raised (``cell``, ``question``, ``first_line``, ``ename``, ``evalue``); ``failure`` says why the
    notebook could not be graded at all (``kind``: timeout, crashed, unreadable, wrong_assignment;
    ``detail``), in which case every auto-graded question scores 0.
    """

    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    failure: dict[str, str] | None = None


def prepare(nb: Any, *, cell_seconds: int) -> Any:
    """Stamp the code cells (number, question), set the kernel, add the time-limit cell first."""
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    question_of: dict[int, str | None] = {}
    waiting: list[int] = []
    for number, cell in enumerate(code, start=1):
        waiting.append(number)
        check = CHECK_CALL.search(cell.source)
        if check:
            question_of.update({n: check.group(1) for n in waiting})
            waiting = []
    for number, cell in enumerate(code, start=1):
        cell.metadata[STAMP] = {"cell": number, "question": question_of.get(number)}
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.cells.insert(0, nbformat.v4.new_code_cell(TIMER.format(seconds=max(1, int(cell_seconds)))))
    return nb


def cell_errors(executed: Any) -> list[dict[str, Any]]:
    """The errors raised by the student's cells: number, question, first line, error name and value."""
    found = []
    for cell in executed.cells:
        stamp = cell.get("metadata", {}).get(STAMP)
        for output in cell.get("outputs", []) if stamp else []:
            if output.get("output_type") == "error":
                lines = [line for line in cell.source.splitlines() if line.strip()]
                found.append(
                    {
                        **stamp,
                        "first_line": lines[0].strip() if lines else "",
                        "ename": output.get("ename", ""),
                        "evalue": output.get("evalue", ""),
                    }
                )
    return found


def summarize(results: Any) -> Outcome:
    """otter-grader's results: per question, and the errors of the cells."""
    if results.catastrophic_error is not None:
        return Outcome(failure={"kind": "crashed", "detail": repr(results.catastrophic_error)})
    graded = {}
    for name, test_file in results.results.items():
        cases = test_file.test_case_results
        graded[name] = {
            "score": round(float(test_file.score), 6),  # test-case points are sums of fractions
            "possible": round(float(test_file.possible), 6),
            "public_failures": [r.message or "" for r in cases if not r.test_case.hidden and not r.passed],
            "hidden_failed": any(not r.passed for r in cases if r.test_case.hidden),
        }
    return Outcome(questions=graded, errors=cell_errors(results.notebook) if results.notebook else [])


def grade(notebook: Path, autograder: Path, *, cell_seconds: int) -> Outcome:
    """Run ``notebook`` with the tests in ``autograder`` (otter-grader, no container)."""
    from otter.api import grade_submission

    nb = prepare(nbformat.read(notebook, as_version=4), cell_seconds=cell_seconds)
    with tempfile.TemporaryDirectory() as tmp:  # named as its init cell expects: otter.Notebook("NAME.ipynb")
        copy = Path(tmp) / f"{nb.metadata.get('otter', {}).get('assignment_name') or 'submission'}.ipynb"
        nbformat.write(nb, copy)
        return summarize(grade_submission(str(copy), str(autograder), quiet=True))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the worker process."""
    parser = argparse.ArgumentParser(prog="python -m crmlab.course.worker")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("autograder", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--cell-seconds", type=int, default=120)
    args = parser.parse_args(argv)
    result = grade(args.notebook, args.autograder, cell_seconds=args.cell_seconds)
    args.result.write_text(json.dumps(asdict(result), ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
