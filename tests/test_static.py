"""Static checks of the code base: ruff lint and mypy, run with the tools of the test interpreter's venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_check() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    result = _run([str(ruff), "check", "src", "tests", "benchmarks"])
    assert result.returncode == 0, f"ruff check failed:\n{result.stdout}{result.stderr}"


def test_mypy() -> None:
    result = _run([sys.executable, "-m", "mypy", "src"])
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"
