"""Master notebooks: where they are, which one a name means, their questions, one language's copy.

A master is an otter-grader assignment notebook (``# ASSIGNMENT CONFIG``, ``# BEGIN QUESTION`` with
``name`` and ``points``, solutions, public and ``# HIDDEN`` tests) whose prose cells are tagged ``en``
or ``zh``. `for_language` keeps one language and writes each question's points under its prompt, so
the two languages always carry the same questions, tests and points.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import LANGS, t

COURSE_ENV = "CRMLAB_COURSE"
MASTERS = "masters"
DIST = "dist"


@dataclass(frozen=True)
class Question:
    """One question of an assignment: its name, its points and whether a teacher grades it by hand."""

    name: str
    points: float
    manual: bool


def course_dir(given: str | None = None) -> Path:
    """``--course``, else $CRMLAB_COURSE, else ``./course``; the folder must hold ``masters/``."""
    folder = Path(given or os.environ.get(COURSE_ENV) or "course").resolve()
    if not (folder / MASTERS).is_dir():
        raise ParameterError(t("course.no_course", folder=str(folder)))
    return folder


def find_masters(course: Path) -> list[Path]:
    """The master notebooks of ``course``, by name."""
    return sorted((course / MASTERS).glob("*.ipynb"))


def select_masters(masters: list[Path], names: list[str]) -> list[Path]:
    """The masters named (full name or unique prefix such as ``10``) in the order given; no name: all."""
    if not names:
        return masters
    stems = [m.stem for m in masters]
    chosen = []
    for name in names:
        key = Path(name).stem
        matches = [m for m in masters if m.stem == key] or [m for m in masters if m.stem.startswith(key)]
        if len(matches) != 1:
            message = "course.ambiguous" if matches else "course.unknown_assignment"
            found = ", ".join(m.stem for m in matches)
            raise ParameterError(
                t(message, name=name, matches=found, hint=did_you_mean(key, stems), names=", ".join(stems))
            )
        chosen.append(matches[0])
    return chosen


def read_master(path: Path) -> Any:
    """The master notebook at ``path`` (nbformat 4)."""
    return nbformat.read(path, as_version=4)


def _question_configs(nb: Any) -> list[tuple[int, dict[str, Any]]]:
    """(cell index, config) of every ``# BEGIN QUESTION`` cell, parsed by otter-grader."""
    from otter.assign.blocks import BlockType, get_cell_config, is_block_boundary_cell

    return [
        (i, get_cell_config(cell))
        for i, cell in enumerate(nb.cells)
        if is_block_boundary_cell(cell, BlockType.QUESTION)
    ]


def questions(nb: Any, *, where: str = "") -> list[Question]:
    """The questions of a master in order; each must name its ``points``."""
    found = []
    for _, config in _question_configs(nb):
        if not isinstance(config.get("points"), int | float):
            raise ParameterError(t("course.no_points", where=where, question=config.get("name")))
        found.append(Question(str(config["name"]), float(config["points"]), bool(config.get("manual", False))))
    return found


def points_text(points: float) -> str:
    """Points as a teacher writes them.

    >>> points_text(2.0), points_text(1.5)
    ('2', '1.5')
    """
    return f"{points:g}"


def for_language(nb: Any, lang: str) -> Any:
    """A copy of the master without the other language's cells, each question's points under its prompt."""
    others = set(LANGS) - {lang}
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not others & set(c.get("metadata", {}).get("tags", []))]
    pending = dict(_question_configs(out))
    config = None
    for i, cell in enumerate(out.cells):
        if i in pending:
            config = pending[i]
        elif config is not None and cell.cell_type == "markdown":
            key = "course.points_manual" if config.get("manual") else "course.points"
            cell.source = cell.source.rstrip() + "\n\n" + t(key, lang, points=points_text(config["points"]))
            config = None
    return out
