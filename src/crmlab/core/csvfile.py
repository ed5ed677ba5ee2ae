"""The one CSV writer for files handed to people: UTF-8 with a byte-order mark, no formula runs.

Every exported list (exit list, at-risk customers, fraud scores, win-back ranking, ...) is written
by `write_csv`. Excel needs the byte-order mark to show Chinese text, and it runs a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so such text cells (and
headings) get a leading apostrophe, as OWASP's guidance on CSV injection recommends. Numbers are
written as numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run as a formula.

    >>> neutralize("=1+1"), neutralize("-3"), neutralize(-3), neutralize("C123")
    ("'=1+1", "'-3", -3, 'C123')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` (without its index) to ``path`` as UTF-8 CSV with a BOM, formulas neutralised.

    The parent folder is created when missing. Returns the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = frame.rename(columns=lambda c: neutralize(str(c)))
    text = [c for c in safe.columns if not pd.api.types.is_numeric_dtype(safe[c])]
    safe[text] = safe[text].map(neutralize)
    safe.to_csv(path, index=False, encoding="utf-8-sig")
    return path
