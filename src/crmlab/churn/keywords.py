"""The keyword tables of churn analysis, and how reason texts are matched against them.

The tables are data, not code: ``keywords.yaml`` beside this module holds the exit-type aliases, the
reason vocabulary (phrases and keywords by exit type, the words tried last, the short answers matched
only whole), the win-back keywords, aliases and rules by exit type, the win-back recommendation
table and the spellings of a churn flag. `keyword_tables` reads the file once (from the installed
package, through `importlib.resources`) and caches it read-only; every function that uses a table
takes a parameter to override or extend it.

Matching (`KeywordMatcher`): a text equal to a key (ignoring case, surrounding spaces and a final
full stop) gets that key's type; otherwise the longest key found in the text wins, ties going to the
type listed first. A Latin key matches whole words, plural -s/-es included ("charge" matches
"charges", not "surcharge"); a Latin key ending in ``*`` matches the start of a word ("relocat*"
matches "relocated"); Chinese keys match anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

import pandas as pd
import yaml

from crmlab.core.checks import check_choice

__all__ = [
    "CAUSES",
    "UNKNOWN",
    "UNMAPPED",
    "WINBACK_TYPES",
    "KeywordMatcher",
    "KeywordTables",
    "keyword_tables",
    "normalise",
    "resolve_type",
]

#: The exit types of the source text (price, product, technology, political/social), service (the
#: text's worked example: customers lost to poor service), other reasons, and unknown answers.
CAUSES = ("price", "product", "service", "technology", "political", "other", "unknown")
#: The exit type of a blank reason or an answer such as "Don't know" (never reported as a cause).
UNKNOWN = "unknown"
#: The label of a reason that no entry of the cause mapping matches.
UNMAPPED = "unmapped"
#: The textbook's five kinds of lost customer, for win-back decisions.
WINBACK_TYPES = (
    "dropped_by_firm",
    "left_despite_retention",
    "competitor_offer",
    "price_seeker",
    "lost_condition",
)


@dataclass(frozen=True)
class KeywordTables:
    """The default tables of ``keywords.yaml`` (read-only mappings).

    Attributes
    ----------
    cause_aliases
        Names a mapping may use for an exit type besides `CAUSES` (价格, social, ...).
    cause_mapping
        Reason phrase or keyword -> exit type (the reason vocabulary).
    cause_fallback
        Words tried only when no key of ``cause_mapping`` matches ("competitor", "转网", ...).
    whole_answers
        Short answers matched only as the whole reason ("don't know", "不知道", "other", ...) -> exit type.
    winback_aliases
        Names a win-back type column may use besides `WINBACK_TYPES` (低价寻求者, ...).
    winback_keywords
        Reason keyword -> win-back type.
    winback_by_cause
        Exit type -> win-back type, for reasons that match no win-back keyword.
    winback_table
        Win-back type -> ``{"win_back": bool, "success_rate": float}``.
    flag_churned, flag_active
        Spellings of a churn flag meaning churned / not churned (lower case).
    """

    cause_aliases: Mapping[str, str]
    cause_mapping: Mapping[str, str]
    cause_fallback: Mapping[str, str]
    whole_answers: Mapping[str, str]
    winback_aliases: Mapping[str, str]
    winback_keywords: Mapping[str, str]
    winback_by_cause: Mapping[str, str]
    winback_table: Mapping[str, Mapping[str, float | bool]]
    flag_churned: frozenset[str]
    flag_active: frozenset[str]


@cache
def keyword_tables() -> KeywordTables:
    """The default keyword tables, read once from the package's ``keywords.yaml``.

    >>> keyword_tables().cause_mapping["涨价"]
    'price'
    >>> keyword_tables().winback_table["competitor_offer"]["win_back"]
    True
    """
    text = resources.files("crmlab.churn").joinpath("keywords.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)

    def strings(name: str) -> Mapping[str, str]:
        return MappingProxyType({str(k): str(v) for k, v in raw[name].items()})

    table = {str(k): MappingProxyType(dict(v)) for k, v in raw["winback_table"].items()}
    return KeywordTables(
        cause_aliases=strings("cause_aliases"),
        cause_mapping=strings("cause_mapping"),
        cause_fallback=strings("cause_fallback"),
        whole_answers=MappingProxyType({answer(k): str(v) for k, v in raw["whole_answers"].items()}),
        winback_aliases=strings("winback_aliases"),
        winback_keywords=strings("winback_keywords"),
        winback_by_cause=strings("winback_by_cause"),
        winback_table=MappingProxyType(table),
        flag_churned=frozenset(map(str, raw["flag_values"]["churned"])),
        flag_active=frozenset(map(str, raw["flag_values"]["active"])),
    )


def normalise(text: object) -> str:
    """Lower-cased text with single spaces and straight apostrophes; empty for missing values.

    >>> normalise("  Don’t   KNOW ")
    "don't know"
    """
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    return " ".join(str(text).split()).casefold().replace("’", "'").replace("‘", "'")


def answer(text: object) -> str:
    """A normalised whole answer, without a final full stop or exclamation mark (for exact matching).

    >>> answer("Moved.")
    'moved'
    """
    return normalise(text).rstrip(".。!！ ")


def resolve_type(value: object, names: Sequence[str], aliases: Mapping[str, str], what: str) -> str:
    """The type name of ``value`` (a name of ``names`` or an alias), else ParameterError naming ``what``.

    >>> resolve_type("技术", CAUSES, keyword_tables().cause_aliases, "exit type")
    'technology'
    """
    key = normalise(value)
    return check_choice(aliases.get(key, key), what, names)


def _pattern(key: str) -> re.Pattern[str]:
    """The regular expression of a normalised key (see the module docstring)."""
    if not key.isascii():
        return re.compile(re.escape(key))
    if key.endswith("*"):
        return re.compile("(?<![a-z0-9])" + re.escape(key[:-1]))
    return re.compile("(?<![a-z0-9])" + re.escape(key) + "(?:e?s)?(?![a-z0-9])")


@dataclass(frozen=True)
class KeywordMatcher:
    """Match texts against a keyword mapping: exact text first, then the longest keyword found."""

    exact: dict[str, str]
    patterns: tuple[tuple[str, str, re.Pattern[str]], ...]

    @classmethod
    def build(cls, mapping: Mapping[str, str], order: Sequence[str]) -> KeywordMatcher:
        """A matcher of ``mapping`` (keyword -> type); ties in length go by the type's place in ``order``."""
        keys = {normalise(k): v for k, v in mapping.items() if normalise(k)}
        ranked = sorted(keys, key=lambda k: (-len(k.rstrip("*")), order.index(keys[k]), k))
        return cls(
            exact={answer(k): v for k, v in keys.items()}, patterns=tuple((k, keys[k], _pattern(k)) for k in ranked)
        )

    def match(self, text: str) -> tuple[str | None, str | None]:
        """(type, keyword) for a normalised ``text``, or (None, None) when nothing matches."""
        whole = answer(text)
        if whole in self.exact:
            return self.exact[whole], whole
        for key, kind, pattern in self.patterns:
            if pattern.search(text):
                return kind, key
        return None, None
