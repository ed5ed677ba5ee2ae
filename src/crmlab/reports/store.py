"""The version store: ``reports/<notebook>/vNNNN/`` folders, their manifests, and atomic publishing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

_VERSION = re.compile(r"^v(\d{4,})$")
#: Where a report page shows its version number, filled in by `publish`.
VERSION_SLOT = '<span class="crmlab-version">v?</span>'
_SLOT = re.compile(r'<span class="crmlab-version">[^<]*</span>')
#: The pages of a version folder that show its number.
_STAMPED = ("reader.html", "full.html")


def versions(folder: Path) -> list[Path]:
    """The published version folders of one notebook, oldest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and _VERSION.match(p.name)]
    return sorted(found, key=lambda p: int(p.name[1:]))


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a version folder."""
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _stamp(folder: Path, name: str) -> None:
    """Write the version ``name`` into the pages and the manifest of an unpublished folder."""
    for page in (folder / p for p in _STAMPED):
        if page.exists():
            text = page.read_text(encoding="utf-8")
            page.write_text(_SLOT.sub(VERSION_SLOT.replace("v?", name), text, count=1), encoding="utf-8")
    manifest = folder / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        manifest.write_text(json.dumps({**data, "version": name}, indent=2, ensure_ascii=False), encoding="utf-8")


def publish(tmp: Path, notebook_folder: Path) -> Path:
    """Rename a finished temporary folder to the next free version number, written into its pages first.

    The number is stamped before the rename (the folder is still private), and again if another runner
    took that number meanwhile, so a published page always shows its own version.
    """
    while True:
        existing = versions(notebook_folder)
        number = int(existing[-1].name[1:]) + 1 if existing else 1
        target = notebook_folder / f"v{number:04d}"
        _stamp(tmp, target.name)
        try:
            os.rename(tmp, target)
            return target
        except OSError:
            if not target.exists():
                raise


def input_label(entry: dict[str, str]) -> str:
    """An input file as reports name it: its file name and the start of its fingerprint."""
    fingerprint = entry["fingerprint"]
    short = fingerprint[7:19] if fingerprint.startswith("sha256:") else fingerprint.partition(":")[0]
    return f"{Path(entry['path']).name} ({short})"


def data_label(manifest: dict[str, Any]) -> str:
    """The data a version analysed: its input file names with a short fingerprint, else the named data sets.

    >>> data_label({"inputs": {"input_path": {"path": "/x/churn.csv", "fingerprint": "sha256:0123456789abcdef"}}})
    'churn.csv (0123456789ab)'
    >>> data_label({"parameters": {"dataset": "cdnow", "input_path": ""}})
    'cdnow'
    """
    inputs = manifest.get("inputs") or {}
    if inputs:
        return ", ".join(input_label(i) for i in inputs.values())
    params = manifest.get("parameters", {})
    return ", ".join(str(v) for k, v in params.items() if (k == "dataset" or k.endswith("_dataset")) and v)
