"""Notebooks as the runner sees them: where they are, what they say they do, and their parameters.

A notebook's parameters cell (tagged ``parameters``) holds one literal a line,
``name: type = default  # help``. `check_parameters` turns user values (strings from the command line,
or typed values from a YAML file) into values of the declared types, and rejects unknown names and
wrong types before any kernel starts. (papermill would quietly inject a string into an int parameter.)
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import get_lang, t

TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}
#: One name and type per concept across every notebook's parameters. A second input of the same concept
#: takes a role prefix (``response_path``, ``response_dataset``, ``response_target``).
VOCABULARY: dict[str, str] = {
    "input_path": "str",  # the main input file; empty = the named data set `dataset`
    "dataset": "str",  # the named data set used when input_path is empty
    "columns": "dict",  # maps the file's column names to crmlab's
    "sheet": "str",  # Excel sheet name; empty = the first sheet
    "target": "str",  # the outcome column of labelled data
    "positive": "str",  # the target value that counts as the positive outcome
    "seed": "int",  # random seed
    "margin": "float",  # profit margin as a share of revenue, 0 to 1
    "as_of": "str",  # analysis date YYYY-MM-DD; empty = the last date in the data
    "test_share": "float",  # share of cases held out as the test set
    "folds": "int",  # cross-validation folds
    "lang": "str",  # report language: en or zh
    "output_dir": "str",  # folder for extra outputs (set by the runner)
}
#: Suffixes a role-prefixed parameter may share with the vocabulary (``<role>_path`` etc.), with their types.
ROLE_SUFFIXES: dict[str, str] = {
    "path": "str",
    "dataset": "str",
    "columns": "dict",
    "sheet": "str",
    "target": "str",
    "positive": "str",
    "col": "str",
}
#: Names that would give a concept a second name, and the name to use instead.
SYNONYMS: dict[str, str] = {
    r"_column$": "<what>_col",
    r"_columns$": "<what>_cols",
    r"^(margin_rate|profit_margin)$": "margin",
    r"^test_size$": "test_share",
    r"^(random_state|random_seed)$": "seed",
    r"^sheet_name$": "sheet",
    r"_input_path$|^(path|file|input_file)$": "input_path or <role>_path",
    r"^(data_set|dataset_name|data)$": "dataset",
    r"^(language|locale)$": "lang",
    r"^(n_folds|cv)$": "folds",
}
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@dataclass(frozen=True)
class Parameter:
    """One line of a parameters cell."""

    name: str
    type: str
    default: Any
    help: str


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook file with its description and declared parameters."""

    path: Path
    description: str
    parameters: tuple[Parameter, ...]

    @property
    def name(self) -> str:
        """The file name without ``.ipynb``, e.g. ``00-data-profile``."""
        return self.path.stem

    def parameter(self, name: str) -> Parameter:
        """The declared parameter ``name``; an unknown name raises ParameterError."""
        for p in self.parameters:
            if p.name == name:
                return p
        names = [p.name for p in self.parameters]
        raise ParameterError(
            t(
                "reports.no_parameter",
                notebook=self.name,
                name=name,
                hint=did_you_mean(name, names),
                names=", ".join(names),
            )
        )


def _comment(source_line: str) -> str:
    """The text of a ``# comment`` at the end of one line of code, or ``""``."""
    tokens = tokenize.generate_tokens(io.StringIO(source_line).readline)
    try:
        for tok in tokens:
            if tok.type == tokenize.COMMENT:
                return tok.string.lstrip("#").strip()
    except tokenize.TokenError:
        return ""
    return ""


def parse_parameters(source: str, *, where: str = "parameters cell") -> tuple[Parameter, ...]:
    """Read ``name: type = literal  # help`` lines.

    >>> parse_parameters('top_n: int = 10  # items to show')
    (Parameter(name='top_n', type='int', default=10, help='items to show'),)
    """
    lines = source.splitlines()
    params = []
    for node in ast.parse(source).body:
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.annotation, ast.Name)
            and node.value is not None
        ):
            raise ParameterError(t("reports.bad_line", where=where, line=node.lineno))
        type_name = node.annotation.id
        if type_name not in TYPES:
            types = ", ".join(TYPES)
            raise ParameterError(t("reports.bad_type", where=where, line=node.lineno, type=type_name, types=types))
        try:
            default = ast.literal_eval(node.value)
        except ValueError as exc:
            raise ParameterError(t("reports.not_literal", where=where, line=node.lineno)) from exc
        end = node.end_lineno or node.lineno
        params.append(Parameter(node.target.id, type_name, default, _comment(lines[end - 1])))
    return tuple(params)


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def read_spec(path: Path) -> NotebookSpec:
    """Read a notebook's description (first line of its first English markdown cell) and parameters."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb.get("cells", [])
    description = ""
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "markdown" and "zh" not in tags:
            description = _source(cell).strip().splitlines()[0].lstrip("# ").strip() if _source(cell).strip() else ""
            break
    param_cells = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    params = parse_parameters(_source(param_cells[0]), where=f"{path.name} parameters cell") if param_cells else ()
    return NotebookSpec(path=path, description=description, parameters=params)


def find_notebooks(folder: Path) -> list[NotebookSpec]:
    """Every ``*.ipynb`` in ``folder``, sorted by name."""
    return [read_spec(p) for p in sorted(folder.glob("*.ipynb"))]


def select(specs: list[NotebookSpec], names: list[str]) -> list[NotebookSpec]:
    """The notebooks named (full name, or a unique prefix such as ``00``), in the order given."""
    by_name = {s.name: s for s in specs}
    chosen = []
    for name in names:
        key = Path(name).stem
        matches = [s for s in specs if s.name == key] or [s for s in specs if s.name.startswith(key)]
        if len(matches) > 1:
            raise ParameterError(t("reports.ambiguous", name=name, matches=", ".join(s.name for s in matches)))
        if not matches:
            raise ParameterError(
                t("reports.not_a_notebook", name=name, hint=did_you_mean(key, by_name), names=", ".join(by_name))
            )
        chosen.append(matches[0])
    return chosen


def coerce(param: Parameter, value: Any, *, notebook: str) -> Any:
    """Return ``value`` as the parameter's declared type, or raise ParameterError naming all three."""
    expected = TYPES[param.type]

    def fail() -> ParameterError:
        help_text = param.help if get_lang() == "en" else ""  # the help comes from the notebook, in English
        return ParameterError(
            t("reports.wrong_type", name=param.name, notebook=notebook, type=param.type, value=value, help=help_text)
            .strip()
        )

    if isinstance(value, str) and param.type != "str":
        text = value.strip()
        if param.type == "bool":
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            raise fail()
        if param.type in ("int", "float"):
            try:
                return expected(text)
            except ValueError:
                raise fail() from None
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            raise fail() from None
    if param.type == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, bool) and param.type != "bool":
        raise fail()
    if not isinstance(value, expected):
        raise fail()
    return value


def check_parameters(spec: NotebookSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with ``given``, each checked against its declaration."""
    values = {p.name: p.default for p in spec.parameters}
    for name, value in given.items():
        values[name] = coerce(spec.parameter(name), value, notebook=spec.name)
    return values
