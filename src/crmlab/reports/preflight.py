"""What the runner checks of a notebook's input files before any kernel starts.

A parameter declared ``[file of kind K]`` (or ``[file]``) names an input file: the runner reads its
header and first `ROWS` rows the way the notebook will (`crmlab.data.io.read_mapped`, with the
parameters ``<role>columns``, ``<role>sheet`` and, for labelled data, ``<role>target``), so an
unreadable file, a duplicated header, a missing sheet or column, or cells of the wrong type stop the
run at once. A parameter declared ``[column of P]`` must name a column of the file given as ``P``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crmlab.core.checks import did_you_mean
from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t
from crmlab.reports.specs import NotebookSpec

#: Rows read to check a file's types before the kernel reads it all.
ROWS = 1000


def _columns_of(path: str, kind: str, params: Mapping[str, Any], role: str) -> list[str]:
    """The columns of the file at ``path`` after the notebook's mapping (the header checked on the way)."""
    from crmlab.data.io import read_mapped

    frame, _ = read_mapped(
        path,
        kind=kind or None,
        columns=params.get(f"{role}columns") or None,
        sheet=params.get(f"{role}sheet") or None,
        target=(params.get(f"{role}target") or None) if kind == "labelled" else None,
        nrows=ROWS,
    )
    return [str(c) for c in frame.columns]


def _has_column(columns: list[str], name: str) -> bool:
    """Whether ``name`` is a column, or a common header of the file would become it (the alias table)."""
    from crmlab.data.columns import resolve_columns

    return name in columns or name in resolve_columns(columns, wanted=[name]).values()


def check_inputs(spec: NotebookSpec, params: Mapping[str, Any]) -> None:
    """Raise InputError or ParameterError for the first problem in the input files ``params`` name."""
    found: dict[str, list[str]] = {}
    for param in spec.parameters:
        rule, path = param.rule, params.get(param.name)
        if rule is not None and rule.file and path:
            role = "" if param.name == "input_path" else param.name.removesuffix("path")  # response_path: response_
            found[param.name] = _columns_of(path, rule.kind, params, role)
    for param in spec.parameters:
        rule = param.rule
        if rule is None or rule.column_of not in found:
            continue
        value = params[param.name]
        for name in value if rule.each and isinstance(value, list) else [value]:
            if (rule.empty and name == "") or _has_column(found[rule.column_of], str(name)):
                continue
            columns = found[rule.column_of]
            raise ParameterError(
                t(
                    "reports.no_column",
                    name=param.name,
                    notebook=spec.name,
                    value=name,
                    file=Path(params[rule.column_of]).name,
                    hint=did_you_mean(name, columns),
                    present=", ".join(columns),
                )
            )
