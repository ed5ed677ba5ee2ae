"""Exceptions that crmlab raises for problems a user can fix."""

from __future__ import annotations


class CrmlabError(Exception):
    """Base class of every error crmlab raises on purpose."""


class InputError(CrmlabError, ValueError):
    """Bad input data: the message names the column or rows and says how to fix it."""


class ParameterError(CrmlabError, ValueError):
    """A notebook or function parameter has a wrong name, type or value."""
