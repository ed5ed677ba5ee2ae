"""docs/design.md shows the package tree with every module on it."""

from __future__ import annotations

import re
from pathlib import Path

import crmlab
from tests.conftest import ROOT

PACKAGE = Path(crmlab.__file__).parent


def tree_entries(text: str) -> set[str]:
    """The module paths the tree block of the design doc names (``core/checks.py``, ...).

    Each line of the block starts with a folder (``core/``) or modules (``a.py, b.py``); what follows
    two spaces is description. Indentation nests a line under the folder above it.
    """
    start = text.index("src/crmlab/\n")
    block = text[start : text.index("```", start)]
    entries: set[str] = set()
    folders: list[tuple[int, str]] = []
    for line in block.splitlines()[1:]:
        indent = len(line) - len(line.lstrip())
        folders = [(i, f) for i, f in folders if i < indent]
        for name in re.split(r"\s{2,}", line.strip())[0].split(", "):
            if name.endswith("/"):
                folders.append((indent, name))
            elif name.endswith(".py"):
                entries.add("".join(f for _, f in folders) + name)
    return entries


def test_every_module_is_on_the_tree():
    named = tree_entries((ROOT / "docs" / "design.md").read_text(encoding="utf-8"))
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    assert modules - named == set(), "add these modules to the tree in docs/design.md"
    assert named - modules - {"__init__.py"} == set(), "the tree names modules that do not exist"
