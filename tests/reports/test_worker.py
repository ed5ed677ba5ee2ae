"""One notebook run, without a kernel: kernel start retried once, failures named, stale folders removed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest
from nbclient.exceptions import DeadKernelError

from crmlab.reports import worker
from crmlab.reports.provenance import notebook_digest
from crmlab.reports.runner import plan, remove_stale
from crmlab.reports.specs import read_spec
from tests.conftest import make_notebook


@pytest.fixture
def request_(tmp_path: Path):
    return plan(read_spec(make_notebook(tmp_path / "notebooks")), {}, lang="en")


def fake_papermill(failures: list[BaseException]):
    """papermill.execute_notebook that raises the given errors first, then 'executes' by copying."""

    def execute(source, target, **kwargs):
        if failures:
            raise failures.pop(0)
        shutil.copy(source, target)

    return execute


def test_a_kernel_that_does_not_start_in_time_is_tried_once_more(request_, tmp_path, monkeypatch):
    events = []
    monkeypatch.setattr(papermill, "execute_notebook", fake_papermill([RuntimeError("Kernel didn't respond in 60 s")]))
    folder = tmp_path / "run"
    folder.mkdir()
    manifest = worker.execute(request_, folder, events.append)
    assert manifest["status"] == "ok" and ("retry", "01-smoke", 1) in events
    assert json.loads((folder / "manifest.json").read_text())["status"] == "ok"


def test_a_second_slow_start_fails_with_a_clear_message(request_, tmp_path, monkeypatch):
    errors = [RuntimeError("Kernel didn't respond in 60 s"), RuntimeError("Kernel didn't respond in 60 s")]
    monkeypatch.setattr(papermill, "execute_notebook", fake_papermill(errors))
    (tmp_path / "run").mkdir()
    manifest = worker.execute(request_, tmp_path / "run")
    assert manifest["status"] == "failed"
    assert "the kernel did not start within 60 s, twice" in manifest["error"] and "-j 1" in manifest["error"]


def test_a_dead_kernel_is_named_as_such(request_, tmp_path, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", fake_papermill([DeadKernelError("Kernel died")]))
    (tmp_path / "run").mkdir()
    manifest = worker.execute(request_, tmp_path / "run")
    assert manifest["status"] == "failed" and "01-smoke failed: the kernel died" in manifest["error"]
    assert (tmp_path / "run" / "reader.html").exists()  # a failed report, not a half-written one


def test_stale_temporary_folders_of_dead_runners_are_removed(tmp_path):
    reports = tmp_path / "reports"
    folder = reports / "01-smoke"
    dead, alive, legacy = folder / ".tmp-999999999-abc123", folder / f".tmp-{os.getpid()}-abc", folder / ".tmp-0123abcd"
    for path in (dead, alive, legacy, folder / "v0001"):
        path.mkdir(parents=True)
    (folder / ".tmp-0123abcd.log").write_text("old kernel log")
    remove_stale(reports)
    assert sorted(p.name for p in folder.iterdir()) == sorted([alive.name, "v0001"])


def test_the_run_key_ignores_outputs_and_metadata_but_not_sources(tmp_path):
    path = make_notebook(tmp_path / "notebooks")
    before = notebook_digest(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="saved by JupyterLab")]
    nb.cells[3].execution_count = 7
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[3].metadata["collapsed"] = True
    nbformat.write(nb, path)
    assert notebook_digest(path) == before
    nb.cells[3].source += "\nprint('changed')"
    nbformat.write(nb, path)
    assert notebook_digest(path) != before
