"""The report runner: check parameters, reuse or execute with papermill, export, publish atomically.

Every run of a notebook becomes a new version folder ``reports/<notebook>/vNNNN/`` holding the
executed notebook, ``full.html``, ``reader.html``, ``manifest.json`` and any extra outputs the notebook
wrote into ``output_dir``. The folder is built under a hidden temporary name and renamed into place only
when complete, so a reader never sees half a report, and earlier versions are never touched.

A run whose notebook, parameters, input files and crmlab code are unchanged since an earlier successful
version reuses that version instead of executing again (``force=True`` executes anyway).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from multiprocessing import Queue
from pathlib import Path
from queue import Empty
from typing import Any

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import check_lang, t
from crmlab.core.notebook import RECORD_MIME
from crmlab.data.spark import spark_inputs, stage_progress
from crmlab.reports.index import write_index
from crmlab.reports.progress import Display
from crmlab.reports.provenance import file_fingerprint, git_commit, package_versions, provenance_cell
from crmlab.reports.specs import NotebookSpec, check_parameters
from crmlab.reports.store import publish, read_manifest, versions

RUNNER_SET = ("lang", "output_dir")
Progress = Callable[[tuple[Any, ...]], None]


@dataclass(frozen=True)
class RunRequest:
    """A checked request to run one notebook."""

    spec: NotebookSpec
    parameters: dict[str, Any]
    inputs: dict[str, dict[str, str]]
    key: str


@dataclass(frozen=True)
class RunResult:
    """What became of one request: ``ok``, ``failed`` or ``reused``."""

    notebook: str
    status: str
    folder: Path
    message: str
    figures: list[dict[str, Any]] = field(default_factory=list)


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


def plan(spec: NotebookSpec, given: Mapping[str, Any], *, lang: str) -> RunRequest:
    """Check ``given`` against the notebook's parameters and fingerprint its input files.

    Parameters whose name ends in ``_path`` name input files: a non-empty value must be an existing
    file; it is made absolute (the notebook runs in its version folder) and fingerprinted.
    """
    check_lang(lang)
    params = check_parameters(spec, {**given, "lang": lang})
    inputs = spark_inputs(params)  # engine=spark: Spark is installed; it reads input_path (also a folder or URI)
    params.update({name: entry["path"] for name, entry in inputs.items()})
    for name, value in params.items():
        if name.endswith("_path") and value and name not in inputs:
            path = Path(value).expanduser().resolve()
            if not path.is_file():
                raise ParameterError(t("reports.no_file", name=name, notebook=spec.name, value=value))
            params[name] = str(path)
            inputs[name] = {"path": str(path), "fingerprint": file_fingerprint(path)}
    keyed = {k: v for k, v in params.items() if k != "output_dir"}
    material = json.dumps(
        [file_fingerprint(spec.path), keyed, inputs, code_digest()], sort_keys=True, ensure_ascii=False, default=str
    )
    return RunRequest(spec, params, inputs, hashlib.sha256(material.encode()).hexdigest())


def find_reusable(reports: Path, request: RunRequest) -> Path | None:
    """The newest successful version made from exactly this request, if any."""
    for folder in reversed(versions(reports / request.spec.name)):
        manifest = read_manifest(folder)
        if manifest.get("status") == "ok" and manifest.get("run_key") == request.key:
            return folder
    return None


def _figures(nb: Any) -> list[dict[str, Any]]:
    return [  # plain dicts: unpickling notebook nodes would import nbformat in the parent (1-2 s)
        dict(out["data"][RECORD_MIME])
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if RECORD_MIME in out.get("data", {})
    ]


def _one_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", " ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _progress_engine(report: Progress, name: str) -> type:
    """A papermill engine that reports each code cell as it starts."""
    from papermill.engines import NBClientEngine

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            code = [i for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
            report(("start", name, len(code)))
            original = nb_man.cell_start

            def cell_start(cell: Any, cell_index: int | None = None, **kw: Any) -> Any:
                if cell_index in code:
                    report(("cell", name, code.index(cell_index) + 1))
                return original(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ProgressEngine


@contextmanager
def _kernel_stderr_to(path: Path) -> Iterator[None]:
    """Send this process's stderr (inherited by the kernel) to ``path``: kernel chatter stays out of the display."""
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


def execute(request: RunRequest, reports: Path, report: Progress = lambda event: None) -> RunResult:
    """Execute one notebook into a new version folder and publish it (ok or failed)."""
    _skip_iri_grammar()
    import nbformat
    import papermill
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    from crmlab.reports.export import export_html

    name = request.spec.name
    notebook_folder = reports / name
    notebook_folder.mkdir(parents=True, exist_ok=True)
    tmp = notebook_folder / f".tmp-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    try:
        params = {**request.parameters, "output_dir": str(tmp)}
        executed = tmp / f"{name}.ipynb"
        papermill_engines.register("crmlab", _progress_engine(report, name))
        started = datetime.now(UTC)
        failure = None
        log = notebook_folder / f"{tmp.name}.log"
        try:
            with _kernel_stderr_to(log), stage_progress(log, lambda stage: report(("stage", name, stage))):
                papermill.execute_notebook(
                    str(request.spec.path),
                    str(executed),
                    parameters=params,
                    engine_name="crmlab",
                    kernel_name="python3",
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    cwd=str(tmp),
                )
        except PapermillExecutionError as exc:
            failure = f"{name} failed in cell In [{exc.exec_count}]: {exc.ename}: {_one_line(exc.evalue)}"
        except Exception as exc:  # a dead kernel or a broken notebook still yields a failed report
            failure = f"{name} failed: {type(exc).__name__}: {_one_line(str(exc))}"
        finished = datetime.now(UTC)
        nb = (
            nbformat.read(executed, as_version=4)
            if executed.exists()
            else nbformat.read(request.spec.path, as_version=4)
        )
        manifest = {
            "notebook": name,
            "status": "failed" if failure else "ok",
            "error": failure,
            "lang": request.parameters["lang"],
            "parameters": {k: v for k, v in request.parameters.items() if k != "output_dir"},
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
        files = export_html(nb, tmp, lang=request.parameters["lang"], failure=failure)
        manifest["files"] = {"notebook": executed.name, **files}
        manifest["extra_files"] = sorted(
            p.name for p in tmp.iterdir() if p.name != executed.name and p.suffix != ".html"
        )
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        folder = publish(tmp, notebook_folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        (notebook_folder / f"{tmp.name}.log").unlink(missing_ok=True)
    status = manifest["status"]
    report(("done", name, status))
    message = failure or f"{name}: ok in {manifest['duration_s']:.1f} s"
    return RunResult(name, status, folder, message, manifest["figures"])


_worker_queue: list[Queue[tuple[Any, ...]]] = []


def _give_queue(queue: Queue[tuple[Any, ...]]) -> None:
    """Pool initializer: keep the progress queue the worker inherited."""
    _worker_queue.append(queue)


def _execute_in_worker(request: RunRequest, reports: Path) -> RunResult:
    return execute(request, reports, _worker_queue[0].put)


def run_all(
    requests: list[RunRequest], reports: Path, *, jobs: int | None = None, force: bool = False
) -> list[RunResult]:
    """Run requests in parallel (up to ``jobs``, default the number of cores), with live progress."""
    results: dict[str, RunResult] = {}
    todo = []
    for request in requests:
        reusable = None if force else find_reusable(reports, request)
        if reusable is not None:
            manifest = read_manifest(reusable)
            since = reusable.relative_to(reports)
            message = f"{request.spec.name}: unchanged since {since} (reused; --force runs it again)"
            results[request.spec.name] = RunResult(request.spec.name, "reused", reusable, message, manifest["figures"])
        else:
            todo.append(request)
    if todo:
        display = Display(r.spec.name for r in todo)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        queue: Queue[tuple[Any, ...]] = Queue()
        with ProcessPoolExecutor(max_workers=workers, initializer=_give_queue, initargs=(queue,)) as pool:
            futures = {r.spec.name: pool.submit(_execute_in_worker, r, reports) for r in todo}
            while not all(f.done() for f in futures.values()) or not queue.empty():
                try:
                    display(queue.get(timeout=0.25))
                except Empty:
                    display.draw()
            for name, future in futures.items():
                results[name] = future.result()
    write_index(reports)
    return [results[r.spec.name] for r in requests]


def summary(result: RunResult) -> dict[str, Any]:
    """A JSON-ready view of a result."""
    out = asdict(result)
    out["folder"] = str(result.folder)
    return out
