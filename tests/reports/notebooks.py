"""Tiny notebooks made by the runner's tests: a title, a parameters cell, then code cells."""

from __future__ import annotations

from pathlib import Path

import nbformat

RUNNER_PARAMETERS = 'lang: str = "en"  # language\noutput_dir: str = "outputs"  # extra outputs'


def tiny_notebook(folder: Path, name: str, parameters: str, *code: str, title: str = "Tiny") -> Path:
    """Write ``folder/name.ipynb`` with an English title, the ``parameters`` cell and ``code`` cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}", metadata={"tags": ["en"]}),
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(source) for source in code),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return folder / f"{name}.ipynb"
