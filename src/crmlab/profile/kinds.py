"""Which kind of data a file holds, inferred from its columns, and the target of labelled data.

``file (header through the one alias table, and its values) -> KindGuess(kind, reason, columns, target)``

`infer_kind` looks at the canonical columns that `crmlab.data.columns.resolve_columns` finds in the
header (``columns=`` first, then the alias table; ``target=`` given means labelled) and takes the
first kind whose rule fits:

1. ``transactions``: a basket id, an item, a quantity, a date and an amount or a unit price;
2. ``basket_lines``: a basket id and an item, without the rest of a transaction;
3. ``labelled``: exactly one column with two values whose name is a target's (`TARGET_WORDS`,
   `TARGET_NAMES`: churn, fraud, target, responded, 流失, ...); that column is the target;
4. ``churn_events``: a customer id with a churn date or a reason;
5. ``panel``: a customer id that repeats, with a period;
6. ``customers``: a customer id, once per row.

None fitting, a file that `crmlab.basket.layout` reads as basket lines from its data (a column
repeating as a basket id does, or one basket per line) is profiled as basket lines; any other
file without the checks of a kind. `load_profiled` reads the file as the kind it was given or
inferred (basket lines with `crmlab.basket.io.load_basket_lines`, every other kind with
`crmlab.data.load_input`), and `kind_text` says what was inferred and why (`input_text`: after the
sentence on the columns used).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from crmlab.basket.io import load_basket_lines
from crmlab.basket.layout import Layout, detect_layout, layout_text
from crmlab.core.checks import check_choice
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data import Loaded, describe_input, load_input, read, resolve_columns
from crmlab.data.columns import ALIASES
from crmlab.profile.profiling import PROFILE_KINDS

__all__ = [
    "TARGET_NAMES",
    "TARGET_WORDS",
    "KindGuess",
    "infer_kind",
    "input_text",
    "kind_text",
    "load_profiled",
    "target_candidates",
]

#: Words that make a column's name a target's when one of its words (``Churn Value``, ``is_fraud``,
#: ``Exited``) or, for Chinese, a part of it (``是否流失``) is one of them.
TARGET_WORDS: tuple[str, ...] = (
    "churn",
    "churned",
    "attrition",
    "exited",
    "fraud",
    "fraudulent",
    "response",
    "responded",
    "respond",
    "purchase",
    "purchased",
    "converted",
    "default",
    "defaulted",
    "target",
    "label",
    "流失",
    "离网",
    "欺诈",
    "响应",
    "购买",
    "违约",
    "目标",
    "标签",
)
#: Whole names that are a target's (too short or too common to match as a word of a longer name).
TARGET_NAMES: tuple[str, ...] = ("y", "class", "outcome")
_ITEM = ("item_id", "item_name")
_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("transactions", (("invoice_id",), _ITEM, ("quantity",), ("timestamp",), ("amount", "unit_price"))),
    ("basket_lines", (("invoice_id",), _ITEM)),
)


@dataclass(frozen=True)
class KindGuess:
    """The kind of a data set and how it was found.

    ``kind``: one of `crmlab.profile.profiling.PROFILE_KINDS`, or None (no kind fits: no checks). ``reason``: ``given``
    (``kind=``), ``dataset`` (a named data set's own kind), ``target`` (``target=`` given, so
    labelled), ``columns`` (inferred), ``layout`` (no kind fits the header, but the file reads as
    basket lines: ``layout`` says how) or ``none``. ``columns``: the canonical columns that decided.
    ``target``: the target of labelled data; ``target_guessed``: whether it was inferred from the
    columns (`TARGET_WORDS`).
    """

    kind: str | None
    reason: str
    columns: tuple[str, ...] = ()
    target: str | None = None
    target_guessed: bool = False
    layout: Layout | None = None


def _is_target_name(name: str) -> bool:
    """Whether ``name`` is a target's by `TARGET_WORDS` or `TARGET_NAMES`.

    >>> [_is_target_name(n) for n in ("Churn Value", "isFraud", "是否流失", "y", "yearly", "gender")]
    [True, True, True, True, False, False]
    """
    words = {w.casefold() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)}
    chinese = any(w in name for w in TARGET_WORDS if not w.isascii())
    return bool(words & set(TARGET_WORDS)) or chinese or name.strip().casefold() in TARGET_NAMES


def target_candidates(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` with exactly two values (empty cells aside) whose name is a target's."""
    return [str(c) for c in frame.columns if _is_target_name(str(c)) and frame[c].nunique(dropna=True) == 2]


def _binary_columns(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if frame[c].nunique(dropna=True) == 2]


def infer_kind(frame: pd.DataFrame) -> KindGuess:
    """The kind of ``frame``, whose columns are renamed to crmlab's where the alias table knows them (see the module).

    >>> frame = pd.DataFrame({"customer_id": ["a", "b"], "是否流失": ["是", "否"], "年龄": [30, 40]})
    >>> guess = infer_kind(frame)
    >>> guess.kind, guess.target, guess.target_guessed
    ('labelled', '是否流失', True)
    """
    canonical = set(frame.columns) & set(ALIASES)
    for kind, needs in _RULES:
        if all(canonical & set(options) for options in needs):
            return KindGuess(kind, "columns", tuple(c for options in needs for c in options if c in canonical))
    candidates = target_candidates(frame)
    if len(candidates) == 1:
        return KindGuess("labelled", "columns", tuple(candidates), candidates[0], target_guessed=True)
    if len(candidates) > 1:
        raise InputError(t("profile.err.targets", columns=", ".join(f"'{c}'" for c in candidates)))
    if "customer_id" not in canonical:
        return KindGuess(None, "none")
    repeated = bool(frame["customer_id"].duplicated().any())
    if canonical & {"churn_date", "reason"}:
        return KindGuess("churn_events", "columns", ("customer_id", *sorted(canonical & {"churn_date", "reason"})))
    if "period" in canonical and repeated:
        return KindGuess("panel", "columns", ("customer_id", "period"))
    if not repeated:
        return KindGuess("customers", "columns", ("customer_id",))
    return KindGuess(None, "none")


def _target_of(frame: pd.DataFrame, target: str, context: str) -> tuple[str, bool]:
    """The target of labelled data: ``target`` if given, else the one target-named binary column, else ``target``."""
    if target:
        return target, False
    candidates = target_candidates(frame)
    if len(candidates) == 1:
        return candidates[0], True
    if "target" in frame.columns:
        return "target", False
    binary = candidates or _binary_columns(frame)
    raise InputError(t("profile.err.no_target", context=context, columns=", ".join(f"'{c}'" for c in binary) or "-"))


def load_profiled(
    input_path: str | Path = "",
    *,
    dataset: str = "",
    kind: str = "",
    columns: Mapping[str, str] | None = None,
    sheet: str | int = "",
    target: str = "",
) -> tuple[Loaded, KindGuess]:
    """Read the data to profile, as the kind given or inferred from its columns.

    Parameters are those of `crmlab.data.load_input`, with ``kind`` one of
    `crmlab.profile.profiling.PROFILE_KINDS` or
    ``""``: a named data set's own kind, or for a file the kind `infer_kind` finds (``target``
    given: labelled). For labelled data without ``target``, the one binary column named like a
    target is the target; with none or several, InputError asks for ``target=``.

    Returns
    -------
    Loaded, KindGuess
        The data (``.kind`` and ``.target`` set as profiled) and how its kind was found.
    """
    if kind:
        check_choice(kind, "kind", PROFILE_KINDS)
    if not input_path and kind != "basket_lines":
        loaded = load_input(dataset=dataset, kind=kind or None, target=target)
        return loaded, KindGuess(loaded.kind, "given" if kind else "dataset", target=loaded.target)
    name = Path(input_path).name
    excel_sheet = sheet if sheet != "" else None
    frame = None
    if kind:
        guess = KindGuess(kind, "given")
    elif target:
        guess = KindGuess("labelled", "target", target=target)
    else:
        try:
            frame = _renamed(input_path, columns, excel_sheet, name)
        except InputError:  # not a table crmlab.data reads, such as baskets of different lengths per line
            baskets = _basket_layout(Path(input_path), excel_sheet)
            if baskets is None:
                raise
            guess = baskets
        else:
            guess = infer_kind(frame)
            guess = (_basket_layout(Path(input_path), excel_sheet) or guess) if guess.kind is None else guess
    if guess.kind == "basket_lines":
        lines = load_basket_lines(input_path, dataset=dataset, columns=columns, sheet=excel_sheet)
        return replace(lines, kind="basket_lines"), guess
    if guess.kind == "labelled" and not guess.target:
        frame = _renamed(input_path, columns, excel_sheet, name) if frame is None else frame
        chosen, guessed = _target_of(frame, target, name)
        guess = replace(guess, target=chosen, target_guessed=guessed)
    loaded = load_input(input_path, kind=guess.kind, columns=columns, sheet=sheet, target=guess.target or "")
    return replace(loaded, target=guess.target or loaded.target), guess


def _basket_layout(path: Path, sheet: str | int | None) -> KindGuess | None:
    """Basket lines when `crmlab.basket.layout` reads the file as baskets from its data, else None."""
    try:
        layout = detect_layout(path, sheet=sheet)
    except InputError:
        return None
    if layout.reason not in ("runs", "ragged", "shared"):
        return None
    return KindGuess("basket_lines", "layout", tuple(layout.inferred.values()), layout=layout)


def _renamed(path: str | Path, columns: Mapping[str, str] | None, sheet: str | int | None, name: str) -> pd.DataFrame:
    """The file's columns as read, renamed to crmlab's where ``columns`` or the alias table knows them."""
    raw = read(path, sheet=sheet)
    return raw.rename(columns=resolve_columns(raw.columns, columns=columns, context=name))


def input_text(loaded: Loaded, guess: KindGuess, lang: str | None = None) -> str:
    """Where the data comes from and its columns used as what (`crmlab.data.describe_input`), then `kind_text`."""
    return " ".join(filter(None, [describe_input(loaded, lang), kind_text(guess, lang)]))


def kind_text(guess: KindGuess, lang: str | None = None) -> str:
    """What kind the data was profiled as and why (empty when ``kind=`` or a named data set said so)."""
    if guess.reason == "none":
        return t("profile.kind.none", lang, kinds=", ".join(PROFILE_KINDS))
    text = ""
    if guess.reason == "layout" and guess.layout is not None:
        text = t("profile.kind.basket_layout", lang) + " " + layout_text(guess.layout, lang=lang)
    if guess.reason == "columns":
        shown = t("common.list_sep", lang).join(f"`{c}`" for c in guess.columns)
        text = t(f"profile.kind.{guess.kind}", lang, columns=shown)
    if guess.target_guessed:
        text = " ".join(filter(None, [text, t("profile.kind.target", lang, target=guess.target)]))
    return text
