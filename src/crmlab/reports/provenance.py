"""Where a result came from: file fingerprints, package versions and the git commit."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

KEY_PACKAGES = (
    "crmlab",
    "pandas",
    "numpy",
    "scikit-learn",
    "mlxtend",
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
