"""Exceptions that crmlab raises for problems a user can fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CrmlabError(Exception):
    """Base class of every error crmlab raises on purpose."""


class InputError(CrmlabError, ValueError):
    """Bad input data: the message names the column or rows and says how to fix it."""


class ParameterError(CrmlabError, ValueError):
    """A notebook or function parameter has a wrong name, type or value."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice, or ``""``.

    >>> did_you_mean("custmer_id", ["customer_id", "amount"])
    " Did you mean 'customer_id'?"
    """
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""
