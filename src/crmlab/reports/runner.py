"""The report runner: check parameters, reuse or execute in worker processes, publish atomically.

Every run of a notebook becomes a new version folder ``reports/<notebook>/vNNNN/`` holding the
executed notebook, ``full.html``, ``reader.html``, ``manifest.json`` and any extra outputs the notebook
wrote into ``output_dir``. A worker process (`crmlab.reports.worker`) builds the folder under a hidden
temporary name ``.tmp-<runner pid>-<random>``; the runner renames it into place only when complete, so
a reader never sees half a report, and earlier versions are never touched.

A run whose notebook sources, parameters, input files and crmlab code are unchanged since an earlier
successful version reuses that version instead of executing again (``force=True`` executes anyway).

SIGINT (Ctrl-C) and SIGTERM stop every running worker and kernel, start nothing queued, publish
nothing after the signal and remove the temporary folders; `run_all` then raises `Interrupted`. A
second Ctrl-C exits at once. Temporary folders left by a runner that was killed outright are removed
by the next run. ``reports/index.html`` is always rebuilt from the manifests on disk.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import time
import uuid
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import Any

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import check_lang, t
from crmlab.data.spark import spark_inputs
from crmlab.reports.index import write_index
from crmlab.reports.preflight import check_inputs
from crmlab.reports.progress import Display
from crmlab.reports.provenance import file_fingerprint, notebook_digest
from crmlab.reports.specs import RUNNER_SET, NotebookSpec, check_parameters
from crmlab.reports.store import publish, read_manifest, versions
from crmlab.reports.summary import write_summary
from crmlab.reports.worker import RunRequest

__all__ = [
    "RUNNER_SET",
    "Interrupted",
    "RunRequest",
    "RunResult",
    "execute",
    "find_reusable",
    "plan",
    "run_all",
    "summary",
]

_TMP = re.compile(r"^\.tmp-(?:(\d+)-)?[0-9a-f]+(?:\.log)?$")
#: Seconds a stopped worker gets to end its kernel before it is killed.
STOP_GRACE = 5.0


@dataclass(frozen=True)
class RunResult:
    """What became of one request: ``ok``, ``failed`` or ``reused``."""

    notebook: str
    status: str
    folder: Path
    message: str
    figures: list[dict[str, Any]] = field(default_factory=list)


class Interrupted(Exception):
    """A batch stopped by SIGINT or SIGTERM: ``stopped`` notebooks were running, ``queued`` never started."""

    def __init__(self, signum: int, stopped: int, queued: int) -> None:
        super().__init__(t("reports.interrupted", stopped=stopped, queued=queued))
        self.signum, self.stopped, self.queued = signum, stopped, queued

    @property
    def exit_code(self) -> int:
        """128 + the signal number: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


@cache
def code_digest() -> str:
    """A digest of crmlab's own source files, so a code change invalidates reuse."""
    digest = hashlib.sha256()
    root = resources.files("crmlab")
    for path in sorted(Path(str(root)).rglob("*")):
        if path.suffix in {".py", ".yaml", ".j2", ".json"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(Path(str(root))).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def pseudonym_salt(reports: Path) -> str:
    """The secret salt of ``reports`` (created once): the same id gets the same token in all its reports."""
    path = reports / ".pseudonym-salt"
    if not path.exists():
        reports.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(16))
    return path.read_text().strip()


def plan(
    spec: NotebookSpec, given: Mapping[str, Any], *, lang: str, salt: str = "", currency: str = ""
) -> RunRequest:
    """Check ``given`` against the notebook's parameters and fingerprint its input files.

    ``lang`` is the report language (a ``lang`` in ``given`` wins); ``currency`` the unit money is shown
    in (every notebook of a run); ``output_dir`` is the runner's and
    may not be given. Parameters whose name ends in ``_path`` name input files: a non-empty value
    must be an existing file; it is made absolute (the notebook runs in its version folder) and
    fingerprinted, and its header and first rows are checked (`crmlab.reports.preflight`).
    """
    if "output_dir" in given:
        raise ParameterError(t("reports.output_dir_given", notebook=spec.name))
    lang = check_lang(str(given.get("lang", lang)))
    params = check_parameters(spec, {**given, "lang": lang})
    inputs = spark_inputs(params)  # engine=spark: Spark is installed; it reads input_path (also a folder or URI)
    params.update({name: entry["path"] for name, entry in inputs.items()})
    for name, value in params.items():
        if name.endswith("_path") and value and name not in inputs:
            path = Path(value).expanduser().resolve()
            if path.is_dir():
                raise ParameterError(t("reports.is_a_folder", name=name, notebook=spec.name, value=value))
            if not path.is_file():
                raise ParameterError(t("reports.no_file", name=name, notebook=spec.name, value=value))
            params[name] = str(path)
            inputs[name] = {"path": str(path), "fingerprint": file_fingerprint(path)}
    if inputs:
        check_inputs(spec, params)
    keyed = {k: v for k, v in params.items() if k != "output_dir"}
    material = json.dumps(
        [notebook_digest(spec.path), keyed, inputs, code_digest(), bool(salt), currency],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return RunRequest(spec, params, inputs, hashlib.sha256(material.encode()).hexdigest(), salt, currency)


def find_reusable(reports: Path, request: RunRequest) -> Path | None:
    """The newest successful version made from exactly this request, if any."""
    for folder in reversed(versions(reports / request.spec.name)):
        manifest = read_manifest(folder)
        if manifest.get("status") == "ok" and manifest.get("run_key") == request.key:
            return folder
    return None


def remove_stale(reports: Path) -> None:
    """Remove temporary folders (and old logs) of runners that no longer exist."""
    import psutil

    if not reports.is_dir():
        return
    for notebook in (p for p in reports.iterdir() if p.is_dir()):
        for tmp in notebook.iterdir():
            match = _TMP.match(tmp.name)
            if match and not (match[1] and psutil.pid_exists(int(match[1]))):
                shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)


@dataclass
class _Job:
    """One notebook executing in a worker process."""

    request: RunRequest
    process: Any
    connection: Connection
    folder: Path
    manifest: dict[str, Any] | None = None
    error: str = ""


def _work(request: RunRequest, folder: Path, connection: Connection, runner_pid: int) -> None:
    """The body of a worker process: execute, then send the manifest."""
    from crmlab.reports.worker import become_worker, execute

    become_worker(runner_pid)
    try:
        connection.send(("result", request.spec.name, execute(request, folder, connection.send)))
    except Exception as exc:  # an error outside the notebook (export, disk): report it, publish nothing
        connection.send(("error", request.spec.name, f"{type(exc).__name__}: {exc}"))
    connection.close()


@dataclass
class _Signals:
    """The first SIGINT/SIGTERM received while a batch runs (None: none yet)."""

    signum: int | None = None


@contextmanager
def _catch_signals() -> Iterator[_Signals]:
    """Note SIGINT/SIGTERM instead of dying mid-batch; a second signal kills every child and exits now."""
    caught = _Signals()

    def handler(signum: int, frame: FrameType | None) -> None:
        if caught.signum is not None:
            from crmlab.reports.worker import kill_children

            kill_children()
            os._exit(128 + signum)
        caught.signum = signum

    if multiprocessing.current_process().name != "MainProcess" or not _in_main_thread():
        yield caught
        return
    saved = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield caught
    finally:
        for s, previous in saved.items():
            signal.signal(s, previous)


def _discard(folder: Path) -> None:
    """Remove a worker's unpublished folder and the kernel log beside it."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.with_name(f"{folder.name}.log").unlink(missing_ok=True)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _receive(job: _Job, display: Display) -> None:
    """Take every message the worker has sent: progress events and, last, its manifest."""
    try:
        while job.connection.poll():
            event = job.connection.recv()
            if event[0] == "result":
                job.manifest = event[2]
            elif event[0] == "error":
                job.error = event[2]
            else:
                display(event)
    except (EOFError, OSError):
        return


def _finish(job: _Job, reports: Path, display: Display, caught: _Signals) -> RunResult | None:
    """Publish a finished job's folder (ok or failed); a worker that died without a report publishes nothing.

    Returns None, publishing nothing, when a signal came in meanwhile.
    """
    job.process.join()
    _receive(job, display)
    job.connection.close()
    name = job.request.spec.name
    manifest = job.manifest
    if manifest is None or caught.signum is not None:
        _discard(job.folder)
        if caught.signum is not None:
            return None
        display(("done", name, "failed"))
        reason = job.error or t("reports.exit_code", code=job.process.exitcode)
        return RunResult(name, "failed", job.folder, t("reports.worker_failed", name=name, error=reason))
    folder = publish(job.folder, reports / name)
    display(("done", name, manifest["status"]))
    message = manifest["error"] or t("reports.ok_in", name=name, seconds=f"{manifest['duration_s']:.1f}")
    return RunResult(name, manifest["status"], folder, message, manifest["figures"])


def _stop(jobs: list[_Job]) -> None:
    """Stop running workers (each kills its kernel), kill what is left, remove their folders."""
    import psutil

    family = []
    for job in jobs:
        try:
            family += psutil.Process(job.process.pid).children(recursive=True)
        except psutil.Error:
            pass
        job.process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for job in jobs:  # each worker kills its kernel, waits for it and exits
        job.process.join(timeout=max(deadline - time.monotonic(), 0))
        if job.process.is_alive():
            job.process.kill()
            job.process.join()
    for process in family:  # anything a worker could not stop (zombies are gone already)
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                process.kill()
        except psutil.Error:
            continue
    for job in jobs:
        job.connection.close()
        _discard(job.folder)


def _execute(todo: list[RunRequest], reports: Path, workers: int) -> dict[str, RunResult]:
    """Run ``todo`` in up to ``workers`` worker processes at once, with live progress."""
    from crmlab.reports.worker import preload

    preload()
    context = multiprocessing.get_context("fork")
    display = Display(r.spec.name for r in todo)
    queued, running, results = deque(todo), list[_Job](), dict[str, RunResult]()
    with _catch_signals() as caught:
        while queued or running:
            while queued and len(running) < workers and caught.signum is None:
                request = queued.popleft()
                folder = reports / request.spec.name / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:12]}"
                folder.mkdir(parents=True)
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(request, folder, sender, os.getpid()), daemon=False)
                process.start()
                sender.close()
                running.append(_Job(request, process, receiver, folder))
            if caught.signum is not None:
                _stop(running)
                write_index(reports)
                raise Interrupted(caught.signum, len(running), len(queued))
            ready = wait([j.connection for j in running] + [j.process.sentinel for j in running], timeout=0.25)
            for job in list(running):
                if job.connection in ready:
                    _receive(job, display)
                if job.process.sentinel in ready and caught.signum is None:
                    result = _finish(job, reports, display, caught)
                    if result is not None:
                        running.remove(job)
                        results[job.request.spec.name] = result
            display.draw()
    return results


def run_all(
    requests: list[RunRequest], reports: Path, *, jobs: int | None = None, force: bool = False
) -> list[RunResult]:
    """Run requests in parallel (up to ``jobs``, default the number of cores), with live progress.

    Raises `Interrupted` after SIGINT/SIGTERM, once every worker is stopped and the index rebuilt.
    """
    remove_stale(reports)
    results: dict[str, RunResult] = {}
    todo = []
    for request in requests:
        reusable = None if force else find_reusable(reports, request)
        if reusable is not None:
            manifest = read_manifest(reusable)
            since = reusable.relative_to(reports).as_posix()
            message = t("reports.reused", name=request.spec.name, since=since)
            results[request.spec.name] = RunResult(request.spec.name, "reused", reusable, message, manifest["figures"])
        else:
            todo.append(request)
    if todo:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        results.update(_execute(todo, reports, workers))
        write_summary(reports, todo[0].spec.path.parent, lang=todo[0].parameters["lang"])
    write_index(reports)
    return [results[r.spec.name] for r in requests]


def execute(request: RunRequest, reports: Path) -> RunResult:
    """Execute one request now, even if an identical version exists, and publish it (`run_all` of one)."""
    return run_all([request], reports, force=True)[0]


def summary(result: RunResult) -> dict[str, Any]:
    """A JSON-ready view of a result."""
    out = asdict(result)
    out["folder"] = str(result.folder)
    return out
