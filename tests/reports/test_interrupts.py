"""Signals and faults during a batch, as a user or an operator causes them, on tiny notebooks.

Ctrl-C (SIGINT) and SIGTERM stop everything at once and publish nothing; SIGKILL of the runner leaves
no process behind and the next run cleans up; a killed kernel fails only its notebook; two runners
share one reports folder.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from crmlab.reports.store import versions
from tests.reports.notebooks import RUNNER_PARAMETERS, tiny_notebook
from tests.reports.test_runner import crmlab

pytestmark = pytest.mark.slow


def notebook(folder: Path, name: str, code: str) -> None:
    """A notebook with a ``seconds`` parameter and one code cell."""
    seconds = "seconds: float = 0.0  # how long to wait [in [0, inf)]\n"
    tiny_notebook(folder, name, seconds + RUNNER_PARAMETERS, code, title=name)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    for name in ("a", "b", "c"):
        notebook(tmp_path / "notebooks", f"0{'abc'.index(name) + 1}-{name}", "import time\ntime.sleep(seconds)")
    return tmp_path


def start(ws: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "crmlab.reports.cli", "--notebooks", str(ws / "notebooks")]
    return subprocess.Popen(
        [*command, "--reports", str(ws / "reports"), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def kernels(pid: int) -> list[psutil.Process]:
    try:
        family = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [p for p in family if "ipykernel" in " ".join(p.cmdline())]


def wait_for_kernels(process: subprocess.Popen[str], n: int) -> list[psutil.Process]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if len(kernels(process.pid)) >= n:
            time.sleep(1.5)  # let the kernels reach the sleeping cell
            return psutil.Process(process.pid).children(recursive=True)
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"{n} kernels did not start: {process.communicate()}")


def alive(processes: list[psutil.Process]) -> list[int]:
    left = []
    for p in processes:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                left.append(p.pid)
        except psutil.NoSuchProcess:
            continue
    return left


def on_disk(reports: Path) -> set[str]:
    return {f"{v.parent.name}/{v.name}" for nb in reports.iterdir() if nb.is_dir() for v in versions(nb)}


def indexed(reports: Path) -> set[str]:
    page = (reports / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'href="([^"/]+/v\d+)/reader.html"', page))


def leftovers(reports: Path) -> list[str]:
    return [p.name for p in reports.rglob(".tmp-*")]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_batch_at_once_and_publishes_nothing(ws: Path, signum: int, code: int):
    assert crmlab(ws, "run", "01")[0] == 0  # one complete version before the batch
    batch = start(ws, "run", "01", "02", "03", "-j", "2", "-p", "seconds=120", "--force")
    family = wait_for_kernels(batch, 2)
    sent = time.monotonic()
    batch.send_signal(signum)
    _, err = batch.communicate(timeout=30)
    took = time.monotonic() - sent
    assert batch.returncode == code and took < 10, (took, err)
    assert err.strip().splitlines()[-1] == (
        "crmlab: interrupted: 2 notebook(s) stopped, 1 not started, nothing published after the signal"
    )
    assert "Traceback" not in err
    time.sleep(1)
    assert alive(family) == []
    reports = ws / "reports"
    assert on_disk(reports) == {"01-a/v0001"} == indexed(reports)
    assert leftovers(reports) == []
    assert crmlab(ws, "run", "02")[0] == 0  # the next run numbers its version and rebuilds the index
    assert on_disk(reports) == {"01-a/v0001", "02-b/v0001"} == indexed(reports)


def test_a_second_ctrl_c_exits_at_once(ws: Path):
    batch = start(ws, "run", "01", "02", "-j", "2", "-p", "seconds=120")
    family = wait_for_kernels(batch, 2)
    batch.send_signal(signal.SIGINT)
    batch.send_signal(signal.SIGINT)
    batch.communicate(timeout=10)
    assert batch.returncode == 130
    time.sleep(1)
    assert alive(family) == []
    assert crmlab(ws, "run", "03")[0] == 0
    assert leftovers(ws / "reports") == [] and on_disk(ws / "reports") == {"03-c/v0001"}


def test_sigkill_of_the_runner_leaves_no_process_and_the_next_run_cleans_up(ws: Path):
    batch = start(ws, "run", "01", "02", "-j", "2", "-p", "seconds=120")
    family = wait_for_kernels(batch, 2)
    batch.kill()
    batch.communicate(timeout=10)
    deadline = time.monotonic() + 10  # workers get the parent-death signal; kernels poll their parent
    while alive(family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive(family) == []
    assert len(leftovers(ws / "reports")) == 4  # two run folders and their kernels' logs
    assert crmlab(ws, "run", "03")[0] == 0
    assert leftovers(ws / "reports") == [] and on_disk(ws / "reports") == {"03-c/v0001"} == indexed(ws / "reports")


def test_a_killed_kernel_fails_its_notebook_and_the_batch_goes_on(ws: Path):
    notebook(ws / "notebooks", "04-killed", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    code, out = crmlab(ws, "run", "04", "01", "-j", "1")
    assert code == 1
    assert re.search(r"04-killed failed: the kernel died in code cell 3 \(peak memory [\d,]+ MB\)", out), out
    failed = json.loads((ws / "reports" / "04-killed" / "v0001" / "manifest.json").read_text())
    assert failed["status"] == "failed" and "kernel died" in failed["error"]
    assert "01-a: ok" in out and on_disk(ws / "reports") == {"04-killed/v0001", "01-a/v0001"}


def test_two_concurrent_runs_share_one_reports_folder(ws: Path):
    runs = [start(ws, "run", "01", "02", "-j", "2", "--force") for _ in range(2)]
    outputs = [r.communicate(timeout=240) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    reports = ws / "reports"
    assert on_disk(reports) == {"01-a/v0001", "01-a/v0002", "02-b/v0001", "02-b/v0002"} == indexed(reports)
    assert leftovers(reports) == []
