"""How a basket file is laid out: one row per basket line, or one basket per line; and which column is which.

``first lines of the file -> Layout(format, reason, evidence, inferred)``

`detect_layout` weighs the evidence in this order; the first step that decides wins:

1. An Excel or Parquet file is a table: basket lines.
2. ``columns=`` naming a column of the header, or a header with a basket column of the one alias
   table (`crmlab.data.columns.ALIASES`): basket lines.
3. Lines with a single field, or with different numbers of fields (a table has one width): one
   basket per line.
4. A column whose value repeats on consecutive rows (the lines of one basket are written together:
   at least `MIN_RUN` of the rows repeat the row before) while the columns share no more than
   `MAX_SHARED` of their values: basket lines, with that column as the basket id.
5. Columns that share at least `MAX_SHARED` of their values (the same items turn up in different
   places of a line) and no such basket-id column: one basket per line.

Otherwise the evidence is weak, and InputError shows both readings and the parameter that picks
one, ``input_format``. Reading a table whose header names no basket or no item column,
`infer_roles` takes the repeating column as the basket id and, when exactly one other column is
unnamed, that column as the item; the report says so (`layout_text`).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data import detect_encoding, read
from crmlab.data.columns import resolve_columns
from crmlab.data.io import line_separator

__all__ = [
    "BASKET_ROLES",
    "ITEM_ROLES",
    "MAX_SHARED",
    "MIN_RUN",
    "SAMPLE_LINES",
    "Layout",
    "detect_layout",
    "infer_roles",
    "layout_text",
    "sample_rows",
    "split_line",
]

#: The canonical columns a basket file may have: the basket id, the item (its name, or its code),
#: the customer and the quantity. ``item`` is the item as analysed (the name, else the code).
BASKET_ROLES: tuple[str, ...] = ("invoice_id", "item", "item_name", "item_id", "customer_id", "quantity")
ITEM_ROLES: tuple[str, ...] = ("item", "item_name", "item_id")
#: Lines of a file looked at to decide its layout.
SAMPLE_LINES = 2000
#: Share of rows repeating the row before, from which a column reads as a basket id.
MIN_RUN = 0.2
#: Share of distinct values found in more than one column, from which columns hold the same items.
MAX_SHARED = 0.2
_TABLE_EXTENSIONS = (".xlsx", ".xlsm", ".parquet", ".pq")
_EXAMPLES = 2


@dataclass(frozen=True)
class Layout:
    """The layout of a basket file and why.

    ``format``: ``"lines"`` (one row per basket line) or ``"baskets"`` (one basket per line).
    ``reason``: the evidence that decided (``table``, ``mapping``, ``header``, ``runs``, ``single``,
    ``ragged``, ``shared``, ``chosen`` for ``input_format`` set by the user, ``dataset``); its
    sentence is ``basket.layout.<reason>``. ``evidence``: the figures the sentence states.
    ``inferred``: ``{file column: role}`` taken from the data because the header does not name it.
    """

    format: str
    reason: str
    evidence: Mapping[str, object] = field(default_factory=dict)
    inferred: Mapping[str, str] = field(default_factory=dict)


def split_line(line: str, sep: str | None) -> list[str]:
    """The cells of ``line`` at ``sep`` (CSV quoting honoured; None: at spaces), stripped.

    >>> split_line('1, "tea, green" ,milk', ","), split_line("1 2  3", None)
    (['1', 'tea, green', 'milk'], ['1', '2', '3'])
    """
    if sep is None:
        return line.split()
    return [cell.strip() for cell in next(csv.reader([line], delimiter=sep, skipinitialspace=True), [])]


def sample_rows(path: Path, *, sheet: str | int | None = None) -> list[list[str]]:
    """The first `SAMPLE_LINES` non-blank lines of ``path`` as lists of cells (the header first).

    Text is split at the separator of its first line (`crmlab.data.io.line_separator`), else at
    spaces; an Excel or Parquet file gives its header and first rows.
    """
    if path.suffix.lower() in _TABLE_EXTENSIONS:
        frame = read(path, sheet=sheet).head(SAMPLE_LINES - 1)
        body = frame.astype("string").fillna("").to_numpy().tolist()
        return [[str(c) for c in frame.columns], *body]
    lines: list[str] = []
    with path.open(encoding=detect_encoding(path)) as handle:
        for line in handle:
            if line.strip():
                lines.append(line.rstrip("\r\n"))
            if len(lines) == SAMPLE_LINES:
                break
    sep = line_separator(lines[0]) if lines else None
    return [split_line(line, sep) for line in lines]


def _run_share(values: Sequence[str]) -> float:
    """Share of values equal to the value before (the first value excluded)."""
    if len(values) < 2:
        return 0.0
    return sum(a == b for a, b in zip(values, values[1:], strict=False)) / (len(values) - 1)


def _shared_share(body: Sequence[Sequence[str]], width: int) -> float:
    """Share of the distinct non-empty values of ``body`` that occur in more than one column."""
    where: dict[str, set[int]] = {}
    for row in body:
        for j in range(width):
            if row[j]:
                where.setdefault(row[j], set()).add(j)
    return sum(len(cols) > 1 for cols in where.values()) / len(where) if where else 0.0


def _best_run(body: Sequence[Sequence[str]], width: int, skip: Collection[int] = ()) -> tuple[int, float]:
    """The column (not in ``skip``) whose values most often repeat the row before, and that share."""
    runs = [(j, _run_share([row[j] for row in body])) for j in range(width) if j not in skip]
    return max(runs, key=lambda r: r[1], default=(-1, 0.0))


def _header_roles(header: Sequence[str], columns: Mapping[str, str] | None) -> dict[str, str] | None:
    """``{file column: role}`` of the header through ``columns`` (its keys in the header) and the alias table.

    None when two cells match one role: a header all the same, whose reading reports the clash.
    """
    known = {k: v for k, v in (columns or {}).items() if k in header}
    try:
        return resolve_columns(header, wanted=BASKET_ROLES, columns=known)
    except InputError:
        return None


def infer_roles(rows: Sequence[Sequence[str]], columns: Mapping[str, str] | None = None) -> dict[str, str]:
    """The basket and item columns of a table that its header and ``columns`` do not name, from the data.

    The basket id is the unnamed column whose value most often repeats on consecutive rows (at
    least `MIN_RUN` of them); the item is the one unnamed column left, when exactly one is.

    >>> infer_roles([["id", "Goods"], ["1", "tea"], ["1", "milk"], ["2", "tea"], ["2", "jam"]])
    {'id': 'invoice_id', 'Goods': 'item'}
    """
    header, body = list(rows[0]), [r for r in rows[1:] if len(r) == len(rows[0])]
    mapping = _header_roles(header, columns)
    if mapping is None:
        return {}
    roles = set(mapping.values())
    named = {j for j, name in enumerate(header) if name in mapping}
    inferred: dict[str, str] = {}
    if "invoice_id" not in roles:
        j, share = _best_run(body, len(header), skip=named)
        if share >= MIN_RUN:
            inferred[header[j]] = "invoice_id"
            named.add(j)
    free = [header[j] for j in range(len(header)) if j not in named]
    if not roles & set(ITEM_ROLES) and len(free) == 1:
        inferred[free[0]] = "item"
    return inferred


def _join(values: Sequence[str]) -> str:
    return t("common.list_sep").join(values)


def _readings(rows: Sequence[Sequence[str]], id_col: int, item_col: int, context: str) -> InputError:
    """The error for weak evidence: both readings of the sample, and ``input_format`` to pick one."""
    header, body = rows[0], rows[1:]
    by_basket: dict[str, list[str]] = {}
    for row in body:
        if len(row) > max(id_col, item_col):
            by_basket.setdefault(row[id_col], []).append(row[item_col])
    first = next(iter(by_basket.items()), ("", []))
    as_lines = t(
        "basket.reading.lines",
        id=header[id_col],
        item=header[item_col],
        baskets=len(by_basket),
        items=len({i for items in by_basket.values() for i in items}),
        example=f"'{first[0]}' = {{{_join(first[1][:3])}}}",
    )
    as_baskets = t(
        "basket.reading.baskets",
        baskets=len(rows),
        items=len({c for row in rows for c in row if c}),
        example=" / ".join(f"{{{_join(list(row))}}}" for row in rows[:_EXAMPLES]),
    )
    return InputError(t("basket.err.layout_unclear", context=context, n=len(rows), lines=as_lines, baskets=as_baskets))


def _check_header(rows: Sequence[Sequence[str]], roles: Mapping[str, str], context: str) -> None:
    """A table read from its data must start with a header: its cells must not recur in their columns."""
    header, body = rows[0], rows[1:]
    for j, name in enumerate(header):
        if name in roles and any(len(row) > j and row[j] == name for row in body):
            raise InputError(t("basket.err.no_header", context=context, first=_join(list(header))))


def detect_layout(
    path: Path,
    *,
    input_format: str = "auto",
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
) -> Layout:
    """The layout of the basket file ``path`` (see the module's steps); ``input_format`` other than auto wins.

    Raises
    ------
    InputError
        When the evidence is weak (both readings shown), or when a table whose columns are found
        from the data has no header line.
    """
    if input_format == "baskets":
        return Layout("baskets", "chosen")
    rows = sample_rows(path, sheet=sheet)
    if not rows:
        raise InputError(t("basket.err.empty_file", path=path.name))
    if input_format == "lines":
        return Layout("lines", "chosen", inferred=infer_roles(rows, columns))
    header, body = rows[0], rows[1:]
    if path.suffix.lower() in _TABLE_EXTENSIONS:
        return Layout("lines", "table", inferred=infer_roles(rows, columns))
    if any(k in header for k in columns or {}):
        return Layout("lines", "mapping", inferred=infer_roles(rows, columns))
    roles = _header_roles(header, columns)
    if roles is None or "invoice_id" in roles.values():
        return Layout("lines", "header", inferred=infer_roles(rows, columns))
    widths = sorted({len(row) for row in rows})
    if widths == [1]:
        return Layout("baskets", "single")
    if len(widths) > 1:
        return Layout("baskets", "ragged", {"low": widths[0], "high": widths[-1]})
    width = widths[0]
    id_col, run = _best_run(body, width)
    shared = _shared_share(body, width)
    if run >= MIN_RUN and shared < MAX_SHARED:
        inferred = infer_roles(rows, columns)
        _check_header(rows, inferred, path.name)
        return Layout("lines", "runs", {"column": header[id_col], "share": run}, inferred)
    if run < MIN_RUN and shared >= MAX_SHARED:
        return Layout("baskets", "shared", {"share": shared})
    raise _readings(rows, max(id_col, 0), 1 if id_col == 0 else 0, path.name)


def layout_text(layout: Layout, *, lang: str | None = None) -> str:
    """How the file was read and why, and the columns taken from the data; empty for a named data set."""
    if layout.reason == "dataset":
        return ""
    key = f"basket.layout.{layout.reason}" + (f"_{layout.format}" if layout.reason == "chosen" else "")
    text = t(key, lang, **layout.evidence)
    if layout.inferred:
        pairs = t("common.list_sep", lang).join(f"`{c}` → `{r}`" for c, r in layout.inferred.items())
        text += " " + t("basket.layout.inferred", lang, pairs=pairs)
    return text
