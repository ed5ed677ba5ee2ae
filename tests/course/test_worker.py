"""The worker's preparation of a submission and its reading of the executed notebook (no kernel here)."""

from __future__ import annotations

import nbformat

from crmlab.course.worker import STAMP, TIMEOUT_MARKER, cell_errors, prepare


def submission() -> nbformat.NotebookNode:
    code, md = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "my-env", "display_name": "Mine", "language": "python"}
    nb.cells = [
        code("import otter\ngrader = otter.Notebook('a.ipynb')"),
        md("**Question 1**"),
        code("x = 1"),
        code("\n\ny = x + 1"),
        code('grader.check("q1")'),
        code("z = 3"),
        code("grader.check( 'q2' )"),
        code("grader.check_all()"),
    ]
    return nb


def test_prepare_stamps_cells_with_their_number_and_question():
    nb = prepare(submission(), cell_seconds=7)
    stamps = [c.metadata.get(STAMP) for c in nb.cells[1:] if c.cell_type == "code"]
    assert stamps == [
        {"cell": 1, "question": "q1"},
        {"cell": 2, "question": "q1"},
        {"cell": 3, "question": "q1"},
        {"cell": 4, "question": "q1"},
        {"cell": 5, "question": "q2"},
        {"cell": 6, "question": "q2"},
        {"cell": 7, "question": None},
    ]
    assert nb.metadata["kernelspec"]["name"] == "python3", "a student's own kernel name cannot break grading"


def test_prepare_adds_the_time_limit_first():
    nb = prepare(submission(), cell_seconds=7)
    timer = nb.cells[0].source
    assert STAMP not in nb.cells[0].metadata, "the time-limit cell is not the student's"
    assert "alarm(7)" in timer and "alarm(0)" in timer and TIMEOUT_MARKER in timer
    compile(timer, "timer", "exec")
    assert "alarm(1)" in prepare(submission(), cell_seconds=0).cells[0].source


def test_cell_errors_name_the_cell_its_question_and_its_first_line():
    nb = prepare(submission(), cell_seconds=7)
    nb.cells[4].outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="name 'x' is not defined")]
    nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="OSError", evalue="not the student's")]
    nb.cells[6].outputs = [nbformat.v4.new_output("stream", name="stdout", text="fine")]
    assert cell_errors(nb) == [
        {
            "cell": 3,
            "question": "q1",
            "first_line": "y = x + 1",
            "ename": "NameError",
            "evalue": "name 'x' is not defined",
        }
    ]
