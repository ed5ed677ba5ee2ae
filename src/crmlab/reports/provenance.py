"""Where a result came from: file fingerprints, package versions and the git commit."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmlab.core.i18n import t

if TYPE_CHECKING:
    from nbformat import NotebookNode

KEY_PACKAGES = (
    "crmlab",
    "pandas",
    "numpy",
    "scikit-learn",
    "duckdb",
    "seaborn",
    "matplotlib",
    "papermill",
    "nbconvert",
)


def file_fingerprint(path: str | Path) -> str:
    """``sha256:<hex>`` of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def notebook_digest(path: str | Path) -> str:
    """``sha256:<hex>`` of what a notebook does: its code and markdown sources and their tags.

    Outputs, execution counts and metadata (what a JupyterLab save changes) do not count, so saving
    a notebook after running it does not defeat reuse.
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    material = [
        [cell["cell_type"], "".join(cell.get("source", "")), sorted(cell.get("metadata", {}).get("tags", []))]
        for cell in cells
        if cell.get("cell_type") in ("code", "markdown")
    ]
    return "sha256:" + hashlib.sha256(json.dumps(material, ensure_ascii=False).encode()).hexdigest()


def package_versions() -> dict[str, str]:
    """Python's version and those of the key packages that are installed."""
    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def git_commit(folder: str | Path = ".") -> str | None:
    """The commit checked out in ``folder`` (with ``+dirty`` if changed), or None outside git."""
    try:
        run = lambda *args: subprocess.run(  # noqa: E731
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        commit = run("rev-parse", "HEAD")
        return commit + ("+dirty" if run("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.SubprocessError):
        return None


def provenance_cell(manifest: Mapping[str, Any]) -> NotebookNode:
    """The report's last section, from the runner's own record: parameters, input files, versions, commit.

    Written in the report's language (``manifest["lang"]``) and tagged ``crmlab-provenance``.
    """
    import nbformat

    lang = manifest["lang"]
    lines = [f"## {t('reports.provenance', lang)}", "", f"**{t('reports.parameters', lang)}**", ""]
    lines += [
        f"- `{k}` = `{json.dumps(v, ensure_ascii=False, default=str)}`" for k, v in manifest["parameters"].items()
    ]
    if manifest["inputs"]:
        lines += ["", f"**{t('reports.inputs', lang)}**", ""]
        lines += [f"- `{Path(i['path']).name}`: `{i['fingerprint'][:23]}…`" for i in manifest["inputs"].values()]
    lines += ["", f"**{t('reports.versions', lang)}**", ""]
    lines += [f"- {k} {v}" for k, v in manifest["versions"].items()]
    if manifest.get("git_commit"):
        lines += ["", f"**{t('reports.git_commit', lang)}**: `{manifest['git_commit']}`"]
    return nbformat.v4.new_markdown_cell("\n".join(lines), metadata={"tags": ["crmlab-provenance"]})
