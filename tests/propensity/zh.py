"""Checks that an error message reads entirely in Chinese (used by the propensity, fraud and retention tests)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from crmlab.core.errors import CrmlabError
from crmlab.core.i18n import get_lang, set_lang

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|‘[^’]*’|“[^”]*”")
#: Three or more English words in a row, separated by spaces only (a list of names "a, b, c" is not a sentence).
_ENGLISH_RUN = re.compile(r"[A-Za-z_][\w-]*(?:\s+[A-Za-z_][\w-]*){2,}")


def english_runs(message: str) -> list[str]:
    """Runs of three or more English words outside quotes (names, values and code in quotes are fine).

    >>> english_runs("列 'customer id' 缺失；请用 features=[...] 指定。")
    []
    >>> english_runs("目标列 'x' is not binary")
    ['is not binary']
    """
    return _ENGLISH_RUN.findall(_QUOTED.sub(" ", message))


@contextmanager
def chinese() -> Iterator[None]:
    """Run the block with Chinese as the current language, restoring the previous one."""
    before = get_lang()
    set_lang("zh")
    try:
        yield
    finally:
        set_lang(before)


def assert_raises_in_chinese(error: type[CrmlabError], call: Callable[[], object]) -> str:
    """``call()`` raises ``error`` in Chinese with no English sentence; returns the message."""
    with chinese(), pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert english_runs(message) == [], message
    return message
