"""The one display-table helper: a result table as a report shows it.

Headings come from the message catalogue, cells are formatted by the kind of number (counts with
thousands separators, shares as percentages, money with two decimals), yes/no and dates are
written out, and the row index is hidden. Every family's ``*_table`` function ends here. When the
runner pseudonymises ids (`crmlab.core.pseudonyms`), customer ids are shown as tokens.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.csvfile import write_csv
from crmlab.core.i18n import catalogue, t
from crmlab.core.pseudonyms import pseudonymize

#: Format of each kind of column; a value that starts with "{" is used as a format string itself.
KINDS: dict[str, str] = {
    "count": "{:,.0f}",
    "number": "{:,.2f}",
    "score": "{:.3f}",
    "money": "{:,.2f}",
    "percent": "{:.1%}",
    "ratio": "{:,.2f}×",
    "text": "{}",
}
MISSING = "–"
#: The environment variable through which `crmlab run --currency` reaches the notebook kernel.
CURRENCY_ENV = "CRMLAB_CURRENCY"


def currency() -> str:
    """The currency money is shown in: ``crmlab run --currency`` (e.g. ``€`` or ``EUR``), default none."""
    return os.environ.get(CURRENCY_ENV, "").strip()


def with_currency(amount: str, unit: str | None = None) -> str:
    """``amount`` with the currency: a symbol before it (``€1.50``), a code before it with a space.

    >>> with_currency("1.50", "€"), with_currency("-1.50", "EUR"), with_currency("1.50", "")
    ('€1.50', 'EUR -1.50', '1.50')
    """
    unit = currency() if unit is None else unit
    if not unit:
        return amount
    return f"{unit} {amount}" if unit[-1].isalpha() else f"{unit}{amount}"


def _formatter(kind: str, lang: str | None, unit: str | None = None) -> Callable[[Any], str]:
    if kind == "bool":
        return lambda v: t("common.yes" if v else "common.no", lang)
    if kind == "date":
        return lambda v: pd.Timestamp(v).strftime("%Y-%m-%d")
    if kind == "money":
        return lambda v: with_currency(KINDS["money"].format(v), unit)
    pattern = kind if kind.startswith("{") else KINDS[kind]
    return pattern.format


def format_number(value: Any, kind: str, lang: str | None = None, *, unit: str | None = None) -> str:
    """One value formatted as a table cell of ``kind`` shows it (missing values as a dash).

    ``unit`` is the currency of ``money`` (default: `currency`).

    >>> format_number(1234.5, "money"), format_number(0.4031, "percent"), format_number(2.345, "ratio")
    ('1,234.50', '40.3%', '2.35×')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    return _formatter(kind, lang, unit)(value)


def default_kind(values: pd.Series) -> str:
    """The kind a column of this dtype is shown as: ``bool``, ``date``, ``count``, ``number`` or ``text``."""
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_integer_dtype(values):
        return "count"
    if pd.api.types.is_float_dtype(values):
        return "number"
    return "text"


def heading(column: str, prefixes: Iterable[str], lang: str | None = None) -> str:
    """The heading of ``column``: the first ``<prefix>.<column>`` message that exists, else the name."""
    messages = catalogue()
    for prefix in prefixes:
        if f"{prefix}.{column}" in messages:
            return t(f"{prefix}.{column}", lang)
    return str(column)


def display_table(
    table: pd.DataFrame,
    *,
    headings: str | Sequence[str] = (),
    kinds: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    lang: str | None = None,
    max_rows: int | None = None,
    full_csv: str | Path | None = None,
) -> Styler:
    """``table`` styled for a report.

    Parameters
    ----------
    table
        A result table with code-name columns.
    headings
        Message prefixes for the column headings, tried in order: with ``"value.col"`` the column
        ``revenue`` is headed by the message ``value.col.revenue``. Columns without a message keep
        their name.
    kinds
        Column -> kind of number: ``count``, ``number``, ``score`` (three decimals), ``money``,
        ``percent``, ``ratio`` (``2.35×``), ``bool``, ``date``, ``text``, or a format string such as ``"{:.2%}"``.
        Other columns get a kind from their dtype (integers are counts, floats numbers).
    values
        Column -> message prefix translating its cells: with ``{"model": "propensity.model"}`` the
        cell ``logistic`` becomes the message ``propensity.model.logistic`` (cells without a message
        stay as they are).
    columns
        The columns to show, in order (default: all).
    caption
        A sentence stating the table's message, shown above it.
    lang
        The report's language (default: the current language).
    max_rows
        Show only the first ``max_rows`` rows of a longer table (the caption says so).
    full_csv
        With ``max_rows``: a path inside the notebook's ``output_dir`` (e.g. ``Path(output_dir) /
        "exit_list.csv"``) to write every row and column of a longer table to, with
        `crmlab.core.csvfile.write_csv` (headings and values translated, numbers unformatted, ids as
        they are); the caption links to it.
    """
    prefixes = [headings] if isinstance(headings, str) else list(headings)
    translated = _translate(table, values, lang)
    note = ""
    if max_rows is not None and len(table) > max_rows:
        note = t("core.table_top", lang, shown=f"{max_rows:,}", n=f"{len(table):,}")
        if full_csv is not None:
            full = translated.rename(columns={c: heading(c, prefixes, lang) for c in translated.columns})
            write_csv(full, full_csv)
            link = html.escape(Path(full_csv).as_posix())
            note += t("core.table_all_rows", lang, link=f'<a href="{link}">{html.escape(Path(full_csv).name)}</a>')
        translated = translated.head(max_rows)
    out = pseudonymize(translated.loc[:, list(columns)] if columns is not None else translated)
    kinds = {**{column: "text" for column in values or {}}, **(kinds or {})}
    formats = {column: _formatter(kinds.get(column) or default_kind(out[column]), lang) for column in out.columns}
    names = {c: heading(c, prefixes, lang) for c in out.columns}
    styler = (
        out.rename(columns=names)
        .style.format({names[c]: f for c, f in formats.items()}, na_rep=MISSING, escape="html")
        .hide(axis="index")
    )
    text = " ".join(filter(None, [html.escape(caption) if caption else "", note]))
    return styler.set_caption(text) if text else styler


def _translate(table: pd.DataFrame, values: Mapping[str, str] | None, lang: str | None) -> pd.DataFrame:
    """A copy of ``table`` with the cells of the ``values`` columns translated by the catalogue."""
    out = table.copy()
    messages = catalogue()
    for column, prefix in (values or {}).items():
        if column in out.columns:
            out[column] = [
                t(f"{prefix}.{v}", lang) if f"{prefix}.{v}" in messages else v for v in out[column].tolist()
            ]
    return out


def _plain_table_html(df: pd.DataFrame) -> str:
    """A DataFrame a notebook displays as it is, shown as `display_table` shows tables.

    A meaningful index (not 0, 1, 2, ...) becomes the first column; small floats get three decimals; a
    frame longer than pandas' ``display.max_rows`` shows its first ``display.min_rows`` rows, as
    pandas would. Frames the presenter cannot style (e.g. with column levels) keep pandas' own display.
    """
    try:
        plain = isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
        table = df if plain else df.reset_index()
        small = {
            c: "score"
            for c in table.columns
            if pd.api.types.is_float_dtype(table[c]) and table[c].abs().max(skipna=True) < 1
        }
        shown = pd.get_option("display.min_rows") if len(table) > pd.get_option("display.max_rows") else None
        return display_table(table, kinds=small, max_rows=shown).to_html()
    except (ValueError, KeyError, TypeError):
        return df._repr_html_() or ""  # type: ignore[operator]


def install_table_hook() -> None:
    """Make IPython show every DataFrame a notebook displays without row numbers and with formatted numbers."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _plain_table_html)
