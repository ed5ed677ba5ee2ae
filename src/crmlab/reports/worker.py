"""One notebook run inside a worker process: papermill in a temporary folder, then the report files.

The runner (`crmlab.reports.runner`) starts one worker process per notebook. The worker leaves its
own process group (Ctrl-C in a terminal reaches only the runner, which stops the workers itself),
dies with the runner (Linux: the parent-death signal), and on SIGTERM kills its kernel and exits at
once. It never publishes: it fills the temporary folder (executed notebook, ``full.html``,
``reader.html``, ``manifest.json``, extra outputs) and sends the manifest back; the runner renames
the folder into place, so a run stopped by a signal publishes nothing.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import resource
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from crmlab.core.display import CURRENCY_ENV
from crmlab.core.i18n import set_lang, t
from crmlab.core.notebook import RECORD_MIME
from crmlab.core.pseudonyms import SALT_ENV
from crmlab.data.spark import stage_progress
from crmlab.reports.provenance import git_commit, package_versions, provenance_cell
from crmlab.reports.specs import NotebookSpec

Report = Callable[[tuple[Any, ...]], None]
#: Seconds a kernel may take to start; a start that times out (a busy machine) is tried once more.
KERNEL_START_TIMEOUT = 60
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class RunRequest:
    """A checked request to run one notebook (`crmlab.reports.runner.plan`).

    ``salt``: pseudonymise customer ids with it (empty: show them). ``currency``: the unit money is
    shown in (``crmlab run --currency``; empty: none).
    """

    spec: NotebookSpec
    parameters: dict[str, Any]
    inputs: dict[str, dict[str, str]]
    key: str
    salt: str = ""
    currency: str = ""


def kill_children() -> None:
    """Kill every process this process started (the kernel and anything it started)."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(children, timeout=3)


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM/SIGINT in a worker: kill the kernel and exit now (the runner removes the temporary folder)."""
    kill_children()
    os._exit(128 + signum)


def become_worker(runner_pid: int) -> None:
    """Detach from the terminal's signals, die with the runner, stop the kernel on SIGTERM."""
    os.setpgrp()
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != runner_pid:  # the runner died before the parent-death signal was set
        os._exit(1)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def _figures(nb: Any) -> list[dict[str, Any]]:
    return [  # plain dicts: unpickling notebook nodes would import nbformat in the parent (1-2 s)
        dict(out["data"][RECORD_MIME])
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if RECORD_MIME in out.get("data", {})
    ]


def _changed(request: RunRequest) -> dict[str, Any]:
    """The parameters that differ from the notebook's defaults (but the language and output folder)."""
    defaults = {p.name: p.default for p in request.spec.parameters}
    return {
        k: v
        for k, v in request.parameters.items()
        if k not in ("lang", "output_dir") and k in defaults and v != defaults[k]
    }


def _one_line(text: str) -> str:
    """``text`` on one line, without terminal colour codes (never shortened: the fix is often at the end)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", " ".join(str(text).split()))


def _progress_engine(report: Report, name: str, cells: list[int]) -> type:
    """A papermill engine that reports each code cell as it starts (and remembers it in ``cells``)."""
    from papermill.engines import NBClientEngine

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            code = [i for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
            report(("start", name, len(code)))
            original = nb_man.cell_start

            def cell_start(cell: Any, cell_index: int | None = None, **kw: Any) -> Any:
                if cell_index in code:
                    cells.append(code.index(cell_index) + 1)
                    report(("cell", name, cells[-1]))
                return original(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ProgressEngine


@contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send stderr (inherited by the kernel) to ``path``: kernel chatter stays out of the display.

    Spark's console progress bar goes there too, for `crmlab.data.spark.stage_progress` to read.
    """
    saved = os.dup(2)
    with open(path, "wb") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _skip_iri_grammar() -> None:
    """Let jsonschema (imported by nbformat) skip its IRI format checker.

    At import it compiles a grammar from ``rfc3987_syntax`` (1.6 s of a 2.3 s import) that notebook
    validation never uses; marking that module absent makes jsonschema leave the one checker out.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def preload() -> None:
    """Import what a run needs, once in the runner, so that every forked worker starts with it."""
    _skip_iri_grammar()
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    import psutil  # noqa: F401

    import crmlab.reports.export  # noqa: F401


def _peak_memory_mb() -> float:
    """The peak resident memory of the finished child processes (the kernel), in MB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _papermill(request: RunRequest, executed: Path, folder: Path, report: Report, cells: list[int]) -> None:
    """Execute the notebook with papermill; a kernel that does not start in time is tried once more."""
    import papermill
    from papermill.engines import papermill_engines

    name = request.spec.name
    lock = threading.Lock()  # the stage watcher reports from its own thread: one message on the pipe at a time

    def report_one(event: tuple[Any, ...]) -> None:
        with lock:
            report(event)

    papermill_engines.register("crmlab", _progress_engine(report_one, name, cells))
    log = folder.with_name(f"{folder.name}.log")  # beside the folder (remove_stale removes a dead run's)
    try:
        for attempt in (1, 2):
            try:
                with _stderr_to(log), stage_progress(log, lambda stage: report_one(("stage", name, stage))):
                    papermill.execute_notebook(
                        str(request.spec.path),
                        str(executed),
                        parameters={**request.parameters, "output_dir": "."},
                        engine_name="crmlab",
                        kernel_name="python3",
                        progress_bar=False,
                        request_save_on_cell_execute=False,
                        start_timeout=KERNEL_START_TIMEOUT,
                        cwd=str(folder),
                    )
                return
            except RuntimeError as exc:
                if attempt == 2 or cells or "didn't respond" not in str(exc):
                    raise
                report_one(("retry", name, attempt))
    finally:
        log.unlink(missing_ok=True)


def _failure(exc: BaseException, name: str, cells: list[int]) -> str:
    """The one line saying why the run failed, in the report's language."""
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        error = f"{exc.ename}: {_one_line(exc.evalue)}"
        return t("reports.failed_in_cell", name=name, cell=exc.exec_count, error=error)
    if isinstance(exc, DeadKernelError) or "kernel died" in str(exc).lower():
        memory = _peak_memory_mb()
        peak = t("reports.peak_memory", mb=f"{memory:,.0f}") if memory else ""
        return t("reports.kernel_died", name=name, cell=cells[-1] if cells else "?", peak=peak)
    if isinstance(exc, RuntimeError) and "didn't respond" in str(exc):
        return t("reports.kernel_no_start", name=name, seconds=KERNEL_START_TIMEOUT)
    return t("reports.failed", name=name, error=f"{type(exc).__name__}: {_one_line(str(exc))}")


def execute(request: RunRequest, folder: Path, report: Report = lambda event: None) -> dict[str, Any]:
    """Execute one notebook into ``folder`` (made by the runner) and write its report files there.

    Returns the manifest. The notebook runs with ``folder`` as its working directory and
    ``output_dir="."``, so its extra outputs land beside the executed notebook, which can be run
    again as it is from the published version folder.
    """
    _skip_iri_grammar()
    import nbformat

    from crmlab.reports.export import export_html

    name, lang = request.spec.name, request.parameters["lang"]
    set_lang(lang)
    if request.salt:
        os.environ[SALT_ENV] = request.salt
    else:
        os.environ.pop(SALT_ENV, None)
    os.environ[CURRENCY_ENV] = request.currency
    executed = folder / f"{name}.ipynb"
    cells: list[int] = []
    started = datetime.now(UTC)
    failure = None
    try:
        _papermill(request, executed, folder, report, cells)
    except Exception as exc:  # a failing cell, a dead kernel or a broken notebook still yields a failed report
        failure = _failure(exc, name, cells)
    finished = datetime.now(UTC)
    nb = nbformat.read(executed if executed.exists() else request.spec.path, as_version=4)
    manifest = {
        "notebook": name,
        "status": "failed" if failure else "ok",
        "error": failure,
        "lang": lang,
        "parameters": {k: v for k, v in request.parameters.items() if k != "output_dir"},
        "changed_parameters": _changed(request),
        "pseudonymized_ids": bool(request.salt),
        "currency": request.currency,
        "inputs": request.inputs,
        "run_key": request.key,
        "figures": _figures(nb),
        "versions": package_versions(),
        "git_commit": git_commit(request.spec.path.parent),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 2),
    }
    nb.cells.append(provenance_cell(manifest))
    nbformat.write(nb, executed)
    note = t("reports.pseudonymized", lang) if request.salt else None
    files = export_html(nb, folder, lang=lang, failure=failure, note=note, manifest=manifest)
    manifest["files"] = {"notebook": executed.name, **files}
    manifest["extra_files"] = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != executed.name and p.suffix != ".html"
    )
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest
