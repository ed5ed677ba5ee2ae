"""The one place for checks of options and for naming bad rows, with messages in the report's language.

- `check_range` / `check_whole` / `check_choice` / `check_date` (and `to_date`, lenient, for dates
  given in code): an option outside its allowed values raises `ParameterError` naming the option,
  what it must be and what it got.
- `did_you_mean`: the closest known name, as a hint to append to a message.
- `row_numbers` / `row_examples`: the first bad rows of a frame, counted from 1 (the first data row
  after the header), which is the one convention every message uses.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import t

#: How many bad rows or values a message shows.
SHOW = 5


def did_you_mean(name: object, choices: Iterable[object]) -> str:
    """``" Did you mean 'x'?"`` (in the current language) for the closest of ``choices``, or ``""``.

    >>> did_you_mean("custmer_id", ["customer_id", "amount"])
    " Did you mean 'customer_id'?"
    """
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return t("core.did_you_mean", name=close[0]) if close else ""


def number_text(value: float) -> str:
    """A bound as written in a message: whole numbers in full, others short.

    >>> number_text(4294967295.0), number_text(0.25)
    ('4294967295', '0.25')
    """
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        opening, closing = "(" if low_open else "[", ")" if high_open else "]"
        return t("core.in_interval", interval=f"{opening}{number_text(low)}, {number_text(high)}{closing}")
    if low is not None:
        return f"{'>' if low_open else '≥'} {number_text(low)}"
    return f"{'<' if high_open else '≤'} {number_text(high or 0)}"


def check_range(
    value: float,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    hint: str = "",
) -> float:
    """Return ``value`` as a float if it lies between ``low`` and ``high``, else raise ParameterError.

    Bounds are inclusive unless ``low_open`` / ``high_open``; ``None`` means unbounded. ``hint`` (in
    the report's language) is appended to the message.

    >>> check_range(0.3, "test_share", low=0, high=1, low_open=True, high_open=True)
    0.3
    >>> check_range(1.5, "margin", low=0, high=1)
    Traceback (most recent call last):
    ...
    crmlab.core.errors.ParameterError: margin must be in [0, 1]; got 1.5.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(t("core.not_a_number", name=name, value=repr(value)))
    number = float(value)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if math.isnan(number) or too_low or too_high:
        condition = _interval(low, high, low_open, high_open)
        raise ParameterError(t("core.out_of_range", name=name, condition=condition, value=f"{value!r}") + hint)
    return number


def check_whole(value: int, name: str, *, low: int | None = None, hint: str = "") -> int:
    """Return ``value`` if it is a whole number of at least ``low``, else raise ParameterError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ParameterError(t("core.not_whole", name=name, value=repr(value)) + hint)
    check_range(value, name, low=low, hint=hint)
    return int(value)


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ParameterError with a suggestion."""
    if value not in choices:
        raise ParameterError(
            t("core.not_a_choice", name=name, choices=", ".join(map(repr, choices)), value=repr(value))
            + did_you_mean(value, choices)
        )
    return str(value)


def check_date(value: object, name: str) -> str:
    """Return ``value`` if it is a real date written ``YYYY-MM-DD``, else raise ParameterError.

    >>> check_date("2024-02-29", "as_of")
    '2024-02-29'
    >>> check_date("2024-13-45", "as_of")
    Traceback (most recent call last):
    ...
    crmlab.core.errors.ParameterError: as_of must be a date written YYYY-MM-DD; got '2024-13-45'.
    """
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise ParameterError(t("core.not_a_date", name=name, value=repr(value)))


def to_date(value: object, name: str) -> pd.Timestamp:
    """``value`` (a date, or text pandas reads as one) as a Timestamp, else raise ParameterError naming ``name``.

    >>> to_date("2024-02-10 15:00", "as_of")
    Timestamp('2024-02-10 15:00:00')
    """
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise ParameterError(t("core.not_a_date", name=name, value=repr(value)))
    return stamp


def row_numbers(positions: Sequence[int] | np.ndarray) -> str:
    """The first bad rows, counted from 1 (the first data row after the header): ``"3, 8, ..."``.

    >>> row_numbers([2, 7])
    '3, 8'
    """
    shown = ", ".join(str(int(p) + 1) for p in positions[:SHOW])
    return shown + (", ..." if len(positions) > SHOW else "")


def row_examples(positions: Sequence[int] | np.ndarray, values: pd.Series) -> str:
    """``row 3: 'abc'; row 8: 'x'`` for the first bad rows (positions in ``values``, rows counted from 1)."""
    shown = []
    for p in positions[:SHOW]:
        value = values.iloc[int(p)]
        value = value.item() if isinstance(value, np.generic) else value
        shown.append(t("core.row_example", row=int(p) + 1, value=repr(value)))
    return "; ".join(shown) + ("; ..." if len(positions) > SHOW else "")
