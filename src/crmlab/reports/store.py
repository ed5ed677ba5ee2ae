"""The version store: ``reports/<notebook>/vNNNN/`` folders, their manifests, and atomic publishing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

_VERSION = re.compile(r"^v(\d{4,})$")


def versions(folder: Path) -> list[Path]:
    """The published version folders of one notebook, oldest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and _VERSION.match(p.name)]
    return sorted(found, key=lambda p: int(p.name[1:]))


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a version folder."""
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def publish(tmp: Path, notebook_folder: Path) -> Path:
    """Rename a finished temporary folder to the next free version number."""
    while True:
        existing = versions(notebook_folder)
        number = int(existing[-1].name[1:]) + 1 if existing else 1
        target = notebook_folder / f"v{number:04d}"
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
