"""Notebooks as the runner sees them: where they are, what they say they do, and their parameters.

A notebook's parameters cell (tagged ``parameters``) holds one literal a line,
``name: type = default  # help``. The help may end with a declaration of the values allowed, in
square brackets:

===========================  ===============================================================
``[in (0, 1]]``              a number in an interval: ``(`` ``)`` open, ``[`` ``]`` closed,
                             ``inf`` for no bound (``[in [1, inf)]``)
``[one of: a, b, c]``        one of these words
``[date]``                   a real date written ``YYYY-MM-DD``
``[each in [0, 1]]``         every element of a list (also ``[each one of: a, b]``)
``[file of kind K]``         an input file of data kind ``K`` (``[file]``: any kind); the runner
                             reads its header and first rows before a kernel starts
``[column of P]``            a column of the file named by parameter ``P``
``... or empty]``            appended to any of them: the empty string is accepted too
===========================  ===============================================================

`check_parameters` turns user values (strings from the command line, or typed values from a YAML
file) into values of the declared types and checks them against the declarations, so unknown
names, wrong types and values out of range are all rejected before any kernel starts. (papermill
would quietly inject a string into an int parameter.)

`scan` finds the notebooks of a folder: files that are not crmlab notebooks (``Untitled*``,
``*-Copy*``, no parameters cell) are skipped, and a notebook whose parameters cell cannot be read is
set aside with the reason, so neither stops the others.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crmlab.core.checks import check_choice, check_date, check_range, did_you_mean, number_text
from crmlab.core.errors import CrmlabError, ParameterError
from crmlab.core.i18n import catalogue, get_lang, t

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
    "engine": "str",  # the engine of the data reduction: duckdb (embedded) or spark
    "spark_master": "str",  # with engine=spark: local[*], spark://host:7077, yarn or sc://host:15002
    "lang": "str",  # report language: en or zh (set by the runner: --lang)
    "output_dir": "str",  # folder for extra outputs (set by the runner)
}
#: Parameters the runner sets itself: ``lang`` from --lang (or -p lang=...), ``output_dir`` always.
RUNNER_SET = ("lang", "output_dir")
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
#: File names that are not crmlab notebooks: JupyterLab's new and copied notebooks, checkpoints.
STRAY = re.compile(r"^Untitled|-Copy\d*$|-checkpoint$", re.IGNORECASE)
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_RULE = re.compile(
    r"\s*\[(?P<each>each )?(?P<body>in [\[(].*?[\])]|one of: .+?|date|file(?: of kind \w+)?|column of \w+)"
    r"(?P<empty> or empty)?\]\s*$"
)
_INTERVAL = re.compile(r"in ([\[(])\s*(-?inf|-?[\d.]+)\s*,\s*(-?inf|-?[\d.]+)\s*([\])])")


@dataclass(frozen=True)
class Rule:
    """The values a parameter accepts, declared at the end of its help line (see the module docstring)."""

    text: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    date: bool = False
    each: bool = False
    empty: bool = False
    file: bool = False
    kind: str = ""
    column_of: str = ""

    @classmethod
    def parse(cls, declaration: str) -> Rule:
        """The rule of a declaration such as ``in (0, 1]`` or ``each one of: a, b or empty``.

        >>> Rule.parse("in (0, 1]").high, Rule.parse("one of: a, b or empty").choices
        (1.0, ('a', 'b'))
        """
        match = _RULE.fullmatch(f"[{declaration}]")
        if match is None:
            raise ValueError(declaration)
        body, each, empty = match["body"], bool(match["each"]), bool(match["empty"])
        if body == "date":
            return cls(declaration, date=True, each=each, empty=empty)
        if body.startswith("file"):
            return cls(declaration, file=True, kind=body.removeprefix("file").removeprefix(" of kind "), empty=empty)
        if body.startswith("column of "):
            return cls(declaration, column_of=body.removeprefix("column of "), each=each, empty=empty)
        if body.startswith("one of: "):
            choices = tuple(c.strip() for c in body.removeprefix("one of: ").split(","))
            return cls(declaration, choices=choices, each=each, empty=empty)
        interval = _INTERVAL.fullmatch(body)
        if interval is None:
            raise ValueError(declaration)
        opening, low, high, closing = interval.groups()
        return cls(
            declaration,
            low=None if low == "-inf" else float(low),
            high=None if high == "inf" else float(high),
            low_open=opening == "(",
            high_open=closing == ")",
            each=each,
            empty=empty,
        )

    def check(self, value: Any, name: str) -> None:
        """Raise ParameterError (from `crmlab.core.checks`) when ``value`` breaks the rule.

        Files and columns are checked against the data by `crmlab.reports.preflight`.
        """
        if self.file or self.column_of:
            return
        for item in value if self.each and isinstance(value, list) else [value]:
            if self.empty and item == "":
                continue
            if self.choices:
                check_choice(item, name, self.choices)
            elif self.date:
                check_date(item, name)
            else:
                check_range(item, name, low=self.low, high=self.high, low_open=self.low_open, high_open=self.high_open)

    def describe(self, lang: str | None = None) -> str:
        """The rule in words, in ``lang``."""
        if self.choices:
            text = t("reports.rule.one_of", lang, choices=", ".join(self.choices))
        elif self.date:
            text = t("reports.rule.date", lang)
        elif self.file:
            text = t("reports.rule.file", lang) + (t("reports.rule.of_kind", lang, kind=self.kind) if self.kind else "")
        elif self.column_of:
            text = t("reports.rule.column_of", lang, name=self.column_of)
        else:
            low = "-inf" if self.low is None else number_text(self.low)
            high = "inf" if self.high is None else number_text(self.high)
            interval = f"{'(' if self.low_open else '['}{low}, {high}{')' if self.high_open else ']'}"
            text = t("core.in_interval", lang, interval=interval)
        text = t("reports.rule.each", lang, rule=text) if self.each else text
        return t("reports.rule.or_empty", lang, rule=text) if self.empty else text


@dataclass(frozen=True)
class Parameter:
    """One line of a parameters cell: its help without the rule, and the rule (or None)."""

    name: str
    type: str
    default: Any
    help: str
    rule: Rule | None = None

    def describe(self, lang: str | None = None) -> str:
        """The help in ``lang``: the notebook's English help, or the catalogue's Chinese, then the rule."""
        key = f"reports.help.{self.name}"
        if (lang or get_lang()) == "en":
            text = self.help
        else:
            text = t(key, lang) if key in catalogue() else ""
        rule = self.rule.describe(lang) if self.rule else ""
        return f"{text} [{rule}]".strip() if rule else text


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook file with its description and declared parameters."""

    path: Path
    description: str
    parameters: tuple[Parameter, ...]
    description_zh: str = ""

    @property
    def name(self) -> str:
        """The file name without ``.ipynb``, e.g. ``00-data-profile``."""
        return self.path.stem

    def title(self, lang: str | None = None) -> str:
        """The one-line description in ``lang`` (the English one when the notebook has no Chinese title)."""
        return self.description_zh if (lang or get_lang()) == "zh" and self.description_zh else self.description

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


def _fix(node: ast.stmt, source: str, line: str) -> str:
    """The corrected line for a papermill-style ``name = literal`` line, or ``""``."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
        return ""
    try:
        value = ast.literal_eval(node.value)
    except ValueError:
        return ""
    type_name = next((name for name, kind in TYPES.items() if type(value) is kind), "")
    if not type_name:
        return ""
    help_text = _comment(line) or "what it means"
    return f"`{node.targets[0].id}: {type_name} = {ast.get_source_segment(source, node.value)}  # {help_text}`"


def parse_parameters(source: str, *, where: str = "parameters cell") -> tuple[Parameter, ...]:
    """Read ``name: type = literal  # help [rule]`` lines.

    >>> parse_parameters('top_n: int = 10  # items to show [in [1, inf)]')[0].rule.low
    1.0
    """
    lines = source.splitlines()
    try:
        body = ast.parse(source).body
    except SyntaxError as exc:
        raise ParameterError(t("reports.bad_syntax", where=where, line=exc.lineno or 1, error=exc.msg)) from None
    params = []
    for node in body:
        line = lines[node.lineno - 1]
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.annotation, ast.Name)
            and node.value is not None
        ):
            fix = _fix(node, source, line)
            hint = t("reports.write_as", fix=fix) if fix else ""
            raise ParameterError(t("reports.bad_line", where=where, line=node.lineno, text=line.strip()) + hint)
        type_name = node.annotation.id
        if type_name not in TYPES:
            types = ", ".join(TYPES)
            raise ParameterError(t("reports.bad_type", where=where, line=node.lineno, type=type_name, types=types))
        try:
            default = ast.literal_eval(node.value)
        except ValueError as exc:
            raise ParameterError(t("reports.not_literal", where=where, line=node.lineno)) from exc
        end = node.end_lineno or node.lineno
        help_text = _comment(lines[end - 1])
        match = _RULE.search(help_text)
        rule = None
        if match:
            declaration = match.group(0).strip()[1:-1]
            try:
                rule = Rule.parse(declaration)
            except ValueError:
                raise ParameterError(t("reports.bad_rule", where=where, line=node.lineno, rule=declaration)) from None
            help_text = help_text[: match.start()].rstrip()
        param = Parameter(node.target.id, type_name, default, help_text, rule)
        if rule is not None and default not in ("", None):
            try:
                rule.check(default, param.name)
            except ParameterError as exc:
                raise ParameterError(t("reports.bad_default", where=where, line=node.lineno, error=exc)) from None
        params.append(param)
    return tuple(params)


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _first_line(cells: list[dict[str, Any]], tag: str | None) -> str:
    """The first line of the first markdown cell tagged ``tag`` (None: the first not tagged zh)."""
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "markdown" and (tag in tags if tag else "zh" not in tags):
            text = _source(cell).strip()
            return text.splitlines()[0].lstrip("# ").strip() if text else ""
    return ""


def _parameters_cell(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    """The cells of the notebook at ``path`` and its parameters cell's source (None without one)."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    param_cells = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    return cells, _source(param_cells[0]) if param_cells else None


def read_spec(path: Path) -> NotebookSpec:
    """Read a notebook's descriptions (first line of its first English and Chinese markdown cells) and parameters."""
    cells, source = _parameters_cell(path)
    params = parse_parameters(source, where=f"{path.name} parameters cell") if source is not None else ()
    return NotebookSpec(path, _first_line(cells, None), params, _first_line(cells, "zh"))


@dataclass(frozen=True)
class Notebooks:
    """The notebooks of a folder: usable ``specs``, ``broken`` ones (name -> why) and ``skipped`` files."""

    specs: list[NotebookSpec]
    broken: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def warning(self) -> str:
        """One line naming the skipped files, or ``""``."""
        return t("reports.skipped", n=len(self.skipped), names=", ".join(self.skipped)) if self.skipped else ""


def scan(folder: Path) -> Notebooks:
    """Every crmlab notebook in ``folder``, sorted by name; strays skipped, broken ones set aside."""
    specs, broken, skipped = [], {}, []
    for path in sorted(folder.glob("*.ipynb")):
        if STRAY.search(path.stem):
            skipped.append(path.name)
            continue
        try:
            cells, source = _parameters_cell(path)
        except (OSError, ValueError, AttributeError):
            broken[path.stem] = t("reports.unreadable", path=path.name)
            continue
        if source is None:
            skipped.append(path.name)
            continue
        try:
            params = parse_parameters(source, where=f"{path.name} parameters cell")
        except ParameterError as exc:
            broken[path.stem] = str(exc)
            continue
        specs.append(NotebookSpec(path, _first_line(cells, None), params, _first_line(cells, "zh")))
    return Notebooks(specs, broken, skipped)


def find_notebooks(folder: Path) -> list[NotebookSpec]:
    """The usable crmlab notebooks in ``folder``, sorted by name (see `scan`)."""
    return scan(folder).specs


def select(found: Notebooks | list[NotebookSpec], names: list[str]) -> list[NotebookSpec]:
    """The notebooks named (full name, or a unique prefix such as ``00``), in the order given.

    An exact name wins over longer names that start with it; naming a broken notebook raises its reason.
    """
    found = found if isinstance(found, Notebooks) else Notebooks(list(found))
    every = sorted([s.name for s in found.specs] + list(found.broken))
    chosen = []
    for name in names:
        key = Path(name).stem
        matches = [n for n in every if n == key] or [n for n in every if n.startswith(key)]
        if len(matches) > 1:
            raise ParameterError(t("reports.ambiguous", name=name, matches=", ".join(matches)))
        if not matches:
            raise ParameterError(
                t("reports.not_a_notebook", name=name, hint=did_you_mean(key, every), names=", ".join(every))
            )
        if matches[0] in found.broken:
            raise ParameterError(t("reports.broken", name=matches[0], reason=found.broken[matches[0]]))
        chosen.append(next(s for s in found.specs if s.name == matches[0]))
    return chosen


def coerce(param: Parameter, value: Any, *, notebook: str) -> Any:
    """Return ``value`` as the parameter's declared type, or raise ParameterError naming all three."""
    expected = TYPES[param.type]

    def fail() -> ParameterError:
        return ParameterError(
            t(
                "reports.wrong_type",
                name=param.name,
                notebook=notebook,
                type=param.type,
                value=value,
                help=param.describe(),
            ).strip()
        )

    if isinstance(value, dt.date) and param.type == "str":  # YAML reads 2024-01-31 as a date
        return value.isoformat()
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


def check_value(param: Parameter, value: Any, *, notebook: str) -> Any:
    """``value`` coerced to the parameter's type and checked against its rule."""
    value = coerce(param, value, notebook=notebook)
    if param.rule is not None:
        try:
            param.rule.check(value, param.name)
        except CrmlabError as exc:
            raise ParameterError(t("reports.in_notebook", notebook=notebook, error=exc)) from None
    return value


def check_parameters(spec: NotebookSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with ``given``, each checked against its declaration."""
    values = {p.name: p.default for p in spec.parameters}
    for name, value in given.items():
        values[name] = check_value(spec.parameter(name), value, notebook=spec.name)
    return values
