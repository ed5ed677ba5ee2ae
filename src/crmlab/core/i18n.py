"""The zh/en message catalogue.

Every generated sentence, chart title and axis label comes from here. The catalogue is split into
one ``messages.yaml`` per subpackage, beside the code that uses it (``crmlab/basket/messages.yaml``,
...), each mapping ``domain.key`` to ``{en: ..., zh: ...}``; together they form one catalogue.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources

import yaml

from crmlab.core.errors import ParameterError

LANGS = ("en", "zh")
_current = {"lang": "en"}


def set_lang(lang: str) -> None:
    """Set the language used when ``t`` is called without ``lang``."""
    _current["lang"] = check_lang(lang)


def get_lang() -> str:
    """The language set by `set_lang` (default ``"en"``)."""
    return _current["lang"]


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise ParameterError."""
    if lang not in LANGS:
        raise ParameterError(t("core.bad_lang", "en", choices=", ".join(LANGS), value=repr(lang)))
    return lang


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, merged from the ``messages.yaml`` file of every subpackage."""
    merged: dict[str, dict[str, str]] = {}
    for package in sorted(resources.files("crmlab").iterdir(), key=lambda p: p.name):
        entry = package / "messages.yaml"
        if entry.is_file():
            merged.update(yaml.safe_load(entry.read_text(encoding="utf-8")) or {})
    return merged


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """Translate ``key`` into ``lang`` (default: the current language) and fill in ``values``.

    >>> t("common.rows", "zh", n=3)
    '3 行'
    """
    messages = catalogue()
    if key not in messages:
        close = difflib.get_close_matches(key, list(messages), n=1)
        raise KeyError(f"No message {key!r} in the catalogue." + (f" Did you mean {close[0]!r}?" if close else ""))
    text = messages[key][check_lang(lang or get_lang())]
    return text.format(**values) if values else text


def sentences(*parts: str, lang: str | None = None) -> str:
    """Sentences joined as the language writes them: a space between English ones, none between Chinese ones.

    Empty parts are left out.

    >>> sentences("A.", "", "B.", lang="en"), sentences("甲。", "乙。", lang="zh")
    ('A. B.', '甲。乙。')
    """
    return ("" if check_lang(lang or get_lang()) == "zh" else " ").join(p for p in parts if p)
