"""Notes and feedback: why each question lost points, in English and in Chinese, hidden tests never shown."""

from __future__ import annotations

import re

from crmlab.course.feedback import check_text, feedback_text, question_notes, score_of
from crmlab.course.masters import Question
from crmlab.course.worker import TIMEOUT_MARKER, Limits, Outcome
from tests.conftest import english_runs

QUESTIONS = [Question("q1", 2.0, False), Question("q2", 1.0, False), Question("q3", 3.0, True)]
LIMITS = Limits(cell_seconds=15, total_seconds=300)
DOCTEST = "❌ Test case failed\nTrying:\n    assert isinstance(word, str)\nExpecting nothing"


def graded() -> Outcome:
    """q1 passed; q2 lost its point: its cell looped, an earlier cell raised, a public and a hidden test failed."""
    return Outcome(
        questions={
            "q1": {"score": 2.0, "possible": 2.0, "public_failures": [], "hidden_failed": False},
            "q2": {"score": 0.0, "possible": 1.0, "public_failures": [DOCTEST], "hidden_failed": True},
        },
        errors=[
            {"cell": 1, "question": None, "first_line": "import pandas", "ename": "ImportError", "evalue": "no pandas"},
            {
                "cell": 4,
                "question": "q2",
                "first_line": "while True:",
                "ename": "TimeoutError",
                "evalue": TIMEOUT_MARKER,
            },
            {"cell": 2, "question": "q1", "first_line": "x = 1", "ename": "ValueError", "evalue": "ignored: q1 passed"},
        ],
    )


def prose(text: str) -> str:
    """Feedback without the parts that stay as they are: code and test output, question names."""
    return re.sub(r"```.*?```|`[^`]*`|\bq\d\b", " ", text, flags=re.DOTALL)


def test_notes_say_why_a_question_lost_points():
    outcome = graded()
    assert question_notes(outcome, QUESTIONS[0], LIMITS, "en") == []
    assert question_notes(outcome, QUESTIONS[1], LIMITS, "en") == [
        "code cell 1 (`import pandas`) raised ImportError: no pandas",
        "code cell 4 (`while True:`) ran longer than 15 s and was stopped",
        "a public test failed",
        "a hidden test failed",
    ]
    assert question_notes(outcome, QUESTIONS[2], LIMITS, "zh") == ["人工评分"]
    assert [score_of(outcome, q) for q in QUESTIONS] == [2.0, 0.0, 0.0]


def test_a_notebook_that_could_not_be_graded_scores_zero_everywhere():
    outcome = Outcome(failure={"kind": "timeout"})
    assert [score_of(outcome, q) for q in QUESTIONS[:2]] == [0.0, 0.0]
    assert question_notes(outcome, QUESTIONS[0], LIMITS, "en") == [
        "the notebook ran longer than 300 s in total and was stopped; every auto-graded question scores 0"
    ]
    crashed = Outcome(failure={"kind": "crashed", "detail": "DeadKernelError: Kernel died"})
    assert "DeadKernelError: Kernel died" in question_notes(crashed, QUESTIONS[1], LIMITS, "zh")[0]
    wrong = Outcome(failure={"kind": "wrong_assignment", "detail": "20-value-analysis"})
    assert "'20-value-analysis'" in question_notes(wrong, QUESTIONS[1], LIMITS, "en")[0]
    assert question_notes(Outcome(), QUESTIONS[0], LIMITS, "en") == [
        "the autograder returned no result for this question"
    ]


def test_feedback_file_in_english():
    text = feedback_text("99-tiny", "alice", graded(), QUESTIONS, LIMITS, "en")
    assert text.startswith("# 99-tiny: alice\n\n**2 of 3** auto-graded points.\n")
    assert "The questions graded by hand (3 points) are added by your teacher." in text
    assert "| q1 | 2 | 2 | passed |" in text
    assert "| q2 | 0 | 1 | code cell 1 (`import pandas`) raised ImportError: no pandas; " in text
    assert "| q3 | – | 3 | graded by hand |" in text
    assert "## Public tests that failed\n\n### q2\n\n```\n❌ Test case failed" in text


def test_feedback_file_in_chinese_holds_no_english_sentence():
    text = feedback_text("99-tiny", "张三", graded(), QUESTIONS, LIMITS, "zh")
    assert text.startswith("# 99-tiny：张三\n\n自动评分：**2 分**（满分 3 分）。")
    assert "第 4 个代码单元格（`while True:`）运行超过 15 秒，已被停止" in text
    assert english_runs(prose(text)) == []
    failed = feedback_text("99-tiny", "李四", Outcome(failure={"kind": "timeout"}), QUESTIONS, LIMITS, "zh")
    assert "| q1 | 0 | 2 | 未能评分（见上文） |" in failed and english_runs(prose(failed)) == []


def test_check_text_lists_the_public_tests():
    text = check_text(graded(), LIMITS, "en")
    lines = text.splitlines()
    assert lines[0] == "q1 (2/2): passed"
    assert lines[1].startswith("q2 (0/1): code cell 1")
    assert "        assert isinstance(word, str)" in lines, "the failed test's output, indented"
    assert lines[-1] == "Public tests: 2 of 3 points. The hidden tests grade your notebook after you hand it in."
    assert check_text(Outcome(failure={"kind": "timeout"}), LIMITS, "zh").startswith("笔记本总运行时间超过 300 秒")
