"""``crmlab course build``: the student notebook, the solution notebook and the autograder of a master.

otter-grader's ``otter assign`` does the work on one language's copy of the master (`for_language`):
``student/NAME.ipynb`` (solutions replaced by ``...``, hidden tests removed, public tests in its
metadata so that ``grader.check`` works in class), ``autograder/NAME.ipynb`` (the teacher's solution,
every test) and ``autograder/autograder.zip`` (the hidden tests that `crmlab.course.grading` uses).
Each build is written beside its final folder and renamed into place only when complete.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t
from crmlab.course.masters import for_language, questions, read_master

AUTOGRADER_ZIP = "autograder.zip"


@dataclass(frozen=True)
class Built:
    """Where one assignment's build in one language lives: ``dist/NAME/LANG/``."""

    name: str
    lang: str
    folder: Path

    @property
    def student(self) -> Path:
        """The notebook to hand out."""
        return self.folder / "student" / f"{self.name}.ipynb"

    @property
    def solution(self) -> Path:
        """The teacher's solution notebook, with every test."""
        return self.folder / "autograder" / f"{self.name}.ipynb"

    @property
    def autograder(self) -> Path:
        """The otter-grader autograder (tests and configuration)."""
        return self.folder / "autograder" / AUTOGRADER_ZIP


def built(dist: Path, name: str, lang: str) -> Built:
    """The build of ``name`` in ``lang`` under ``dist``; ParameterError if it has not been built."""
    result = Built(name, lang, dist / name / lang)
    if not result.autograder.is_file():
        raise ParameterError(t("course.not_built", name=name, lang=lang, folder=str(result.folder)))
    return result


def build_assignment(master: Path, dist: Path, lang: str) -> Built:
    """Build ``master`` in ``lang`` into ``dist/NAME/LANG/`` with otter-grader's ``otter assign``."""
    from otter.assign import main as otter_assign

    nb = read_master(master)
    questions(nb, where=master.name)  # every question names its points
    result = Built(master.stem, lang, dist / master.stem / lang)
    result.folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{lang}-", dir=result.folder.parent))
    try:
        source = staging / "master" / master.name
        source.parent.mkdir()
        nbformat.write(for_language(nb, lang), source)
        target = staging / "build"
        try:
            otter_assign(str(source), str(target), no_pdfs=True, no_run_tests=True)
        except Exception as exc:  # otter names the cell and what is wrong with it
            raise ParameterError(t("course.assign_failed", master=master.name, error=str(exc))) from exc
        (zipped,) = (target / "autograder").glob("*-autograder_*.zip")
        zipped.rename(target / "autograder" / AUTOGRADER_ZIP)
        shutil.rmtree(result.folder, ignore_errors=True)
        target.rename(result.folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result
