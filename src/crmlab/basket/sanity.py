"""Warnings when basket lines look degenerate: the signs of a misread file.

``lines (invoice_id, item[, customer_id]) and the file's layout -> warnings in the report's language``

Each check has its threshold as a module constant:

- distinct items close to the number of lines (at least `MAX_ITEM_SHARE` of them): the item column
  holds something new on almost every line (line numbers, free text, dates), not products;
- ids read as items: in a table, items that are also basket or customer ids (at least
  `MAX_ID_SHARE` of the items); in a file of one basket per line, a first value of every line that
  never appears later in a line (an id column read as an item), or a first line whose values appear
  in no other line (a header read as a basket);
- baskets of one item (at least `MAX_SINGLE_SHARE` of the baskets): nothing to associate; the basket
  column may be a line number.

No rule at all is the threshold advice's warning (`crmlab.basket.rules.threshold_advice`); a file
whose lines all fall in one basket is refused when it is read (`crmlab.basket.io`).
"""

from __future__ import annotations

import pandas as pd

from crmlab.basket.layout import Layout
from crmlab.core.i18n import t
from crmlab.data.schemas import require_columns

__all__ = ["MAX_ID_SHARE", "MAX_ITEM_SHARE", "MAX_SINGLE_SHARE", "MIN_LINES", "input_warnings", "warnings_text"]

#: Distinct items per line from which the item column looks like something unique per line.
MAX_ITEM_SHARE = 0.5
#: Share of distinct items that are basket or customer ids from which the items look like ids.
MAX_ID_SHARE = 0.2
#: Share of one-item baskets from which the basket column looks like a line number.
MAX_SINGLE_SHARE = 0.9
#: Fewer lines than this are too few to judge.
MIN_LINES = 20
_SHOW = 3


def _examples(values: pd.Series | set[str], lang: str | None) -> str:
    return t("common.list_sep", lang).join(f"'{v}'" for v in sorted(map(str, values))[:_SHOW])


def _id_items(lines: pd.DataFrame, lang: str | None) -> list[str]:
    """Items that are also basket or customer ids (a table read with the wrong item column)."""
    ids = set(lines["invoice_id"]) | (set(lines["customer_id"].dropna()) if "customer_id" in lines else set())
    items = set(lines["item"])
    found = items & ids
    if len(found) < 2 or len(found) < MAX_ID_SHARE * len(items):
        return []
    return [t("basket.warn.id_items", lang, n=len(found), items=len(items), examples=_examples(found, lang))]


def _position_signs(lines: pd.DataFrame, lang: str | None) -> list[str]:
    """One basket per line: an id column read as the first item, or a header read as the first basket."""
    position = lines.groupby("invoice_id", sort=False).cumcount()
    first, later = set(lines.loc[position == 0, "item"]), set(lines.loc[position > 0, "item"])
    sizes = lines.groupby("invoice_id", sort=False).size()
    out = []
    if (sizes >= 2).all() and not first & later:
        out.append(t("basket.warn.first_is_id", lang, n=len(first), examples=_examples(first, lang)))
    head = lines["invoice_id"].iloc[0]
    header = set(lines.loc[lines["invoice_id"] == head, "item"])
    if len(header) >= 2 and not header & set(lines.loc[lines["invoice_id"] != head, "item"]):
        out.append(t("basket.warn.header_basket", lang, items=_examples(header, lang)))
    return out


def input_warnings(lines: pd.DataFrame, *, layout: Layout | None = None, lang: str | None = None) -> list[str]:
    """The signs that basket lines were misread (see the module's checks), as warnings; empty when none.

    ``layout``: how the file was read (`crmlab.basket.io.BasketInput.layout`); a file of one basket
    per line gets the checks of item positions instead of the check of ids.

    >>> lines = pd.DataFrame({"invoice_id": [str(i) for i in range(30)], "item": ["tea", "milk"] * 15})
    >>> input_warnings(lines, lang="en")[0][:40]
    'Warning: 100% of the 30 baskets hold a s'
    """
    require_columns(lines, ["invoice_id", "item"], context=t("basket.context.lines", lang))
    if len(lines) < MIN_LINES:
        return []
    n_items = lines["item"].nunique()
    sizes = lines.groupby("invoice_id", sort=False)["item"].nunique()
    out = []
    if n_items >= MAX_ITEM_SHARE * len(lines):
        out.append(t("basket.warn.items_near_lines", lang, items=n_items, lines=len(lines)))
    if layout is not None and layout.format == "baskets":
        out += _position_signs(lines, lang)
    else:
        out += _id_items(lines, lang)
    single = float((sizes == 1).mean())
    if single >= MAX_SINGLE_SHARE:
        out.append(t("basket.warn.single_item", lang, share=single, baskets=len(sizes)))
    return out


def warnings_text(warnings: list[str], *, lang: str | None = None) -> str:
    """``warnings`` as bold paragraphs, or a sentence saying the lines show no sign of a misread file."""
    return "\n\n".join(f"**{w}**" for w in warnings) or t("basket.warn.none", lang)
