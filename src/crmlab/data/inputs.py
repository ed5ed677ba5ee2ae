"""A notebook's input: the user's file or a named data set, with the column mapping that was used.

`load_input(input_path, dataset=..., kind=..., columns=..., sheet=..., target=...)` reads the file
through `crmlab.data.read_mapped` when ``input_path`` is set, else loads the named data set, and
returns a frozen `Loaded`: the frame, the mapping ``{file column: crmlab column}``, where it came
from, its kind and (labelled data) its target. `describe_input` states all of it in a sentence,
so every report says which of its columns were used as what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crmlab.core.display import heading
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import t
from crmlab.data.catalogue import info
from crmlab.data.io import read_mapped


@dataclass(frozen=True)
class Loaded:
    """A loaded input.

    ``frame``: the data in canonical columns. ``mapping``: ``{file column: crmlab column}`` for every
    file column used as a canonical one (a column already named like crmlab's maps to itself; empty
    for a named data set, which comes in crmlab's columns). ``source``: the file name or the data
    set's name. ``dataset``: whether it is a named data set. ``kind``: the data kind it was checked
    against (``None``: not checked). ``target``: the target column of labelled data.
    """

    frame: pd.DataFrame
    mapping: Mapping[str, str]
    source: str
    dataset: bool = False
    kind: str | None = None
    target: str | None = None


def load_input(
    input_path: str | Path = "",
    *,
    dataset: str = "",
    kind: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int = "",
    target: str = "",
    roles: Sequence[str] = (),
) -> Loaded:
    """Read ``input_path``, or load the named data set ``dataset`` when it is empty.

    Parameters
    ----------
    input_path
        The user's CSV, Excel or Parquet file (see `crmlab.data.read`); empty: use ``dataset``.
    dataset
        A named data set of `crmlab.data.catalogue.CATALOGUE`.
    kind
        The data kind. A file is validated against it (``None``: read only). A named data set has
        its own kind: ``None`` accepts it, another kind raises InputError.
    columns
        For a file: maps its column names to crmlab's (wins over the alias table).
    sheet
        For an Excel file: the sheet name or index (``""``: the first sheet).
    target
        For labelled data: the target column (default: ``"target"`` for a file, the catalogue's
        target for a named data set).
    roles
        For a file read without ``kind``: the columns a notebook's parameters name, recognised by
        their common headers when they are canonical columns (``churned``, ``reason``, ...).

    Examples
    --------
    >>> loaded = load_input(dataset="synthetic_customers")
    >>> loaded.kind, loaded.dataset, len(loaded.frame)
    ('customers', True, 1000)
    """
    if input_path:
        frame, mapping = read_mapped(
            input_path, kind=kind, columns=columns, sheet=sheet, target=target or None, roles=roles
        )
        own = (target or "target") if kind == "labelled" else None
        return Loaded(frame, mapping, Path(input_path).name, dataset=False, kind=kind, target=own)
    if not dataset:
        raise ParameterError(t("data.no_input"))
    entry = info(dataset)
    if kind is not None and kind != entry.kind:
        raise InputError(t("data.dataset_kind", name=dataset, kind=entry.kind, wanted=kind))
    return Loaded(entry.load(), {}, dataset, dataset=True, kind=entry.kind, target=target or entry.target)


def describe_input(loaded: Loaded, lang: str | None = None) -> str:
    """One or two sentences: where the data comes from, its size and kind, and the columns mapping used."""
    rows = len(loaded.frame)
    name = heading(loaded.kind, ["data.kind_name"], lang) if loaded.kind else ""
    kind = t("data.say.kind", lang, name=name) if loaded.kind else t("data.say.unchecked", lang)
    if loaded.dataset:
        return t("data.say.dataset", lang, name=loaded.source, rows=rows, kind=kind)
    text = t("data.say.file", lang, path=loaded.source, rows=rows, kind=kind)
    renamed = [f"`{c}` → `{k}`" for c, k in loaded.mapping.items() if c != k]
    same = [f"`{c}`" for c, k in loaded.mapping.items() if c == k]
    if renamed:
        text += " " + t("data.say.renamed", lang, pairs=", ".join(renamed))
    if same:
        text += " " + t("data.say.same", lang, columns=", ".join(same))
    if not loaded.mapping:
        text += " " + t("data.say.no_mapping", lang)
    return text
