"""Churn results as report tables: headings, exit and win-back types in the report's language.

`localize` turns any result table of the family (the cause distribution, rates, the what-if, the
win-back table, summary and ranking) into a display table through `crmlab.core.display.display_table`:
headings from ``churn.col.*`` (or the type names, for a table with one column per exit type), exit
types and win-back types translated, numbers formatted by kind (`KINDS`), no row numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.churn.keywords import CAUSES, UNMAPPED
from crmlab.core.display import display_table, heading

__all__ = ["KINDS", "localize", "segment_name"]

_PERCENT = ("share", "cumulative_share", "rate", "success_rate", "kept_share", "margin", *CAUSES, UNMAPPED)
_COUNT = ("count", "customers", "churned", "at_risk", "recommended")
_MONEY = (
    "revenue",
    "profit_lost",
    "cost_of_defection",
    "revenue_saved",
    "profit_saved",
    "programme_cost",
    "net_profit",
    "second_life_value",
    "expected_value",
    "recommended_value",
)
#: Kind of number of each known column (see `crmlab.core.display.KINDS`); other columns by dtype.
KINDS: dict[str, str] = {
    **dict.fromkeys(_PERCENT, "percent"),
    **dict.fromkeys(_COUNT, "count"),
    **dict.fromkeys(_MONEY, "money"),
    "customers_kept": "{:,.0f}",
    "remaining_years": "number",
    "win_back": "bool",
    "recommend": "bool",
}
#: Columns whose cells are type names, and the message prefix that translates them.
VALUES = {
    "cause": "churn.cause",
    "winback_type": "churn.winback",
    "winback_basis": "churn.basis",
    "segment": "churn.segment",
}


def segment_name(segment: object, lang: str | None = None) -> str:
    """A segment as the report names it: the catalogue's name for a known segment (``basic``), else as it is.

    >>> segment_name("premium", "zh"), segment_name("VIP", "zh")
    ('高端版', 'VIP')
    """
    return heading(str(segment), ("churn.segment",), lang)


def localize(table: pd.DataFrame, lang: str | None = None, **options: Any) -> Styler:
    """A result table as a report shows it, in ``lang``.

    A named index (``segment`` of `CauseDistribution.by_segment`, ``winback_type`` of
    `winback_table`) becomes the first column. Exit types and win-back types are translated, in
    ``cause`` / ``winback_type`` columns and as column names; known segment names are translated;
    known columns get their heading and their kind of number; everything else is shown as it is.
    ``options`` go to `crmlab.core.display.display_table` (``columns``, ``caption``, ``max_rows``, ...).

    >>> styled = localize(pd.DataFrame({"cause": ["price"], "share": [0.4]}), "zh")
    >>> styled.data.columns.tolist(), styled.data["流失类型"].tolist(), "40.0%" in styled.to_html()
    (['流失类型', '占比'], ['价格'], True)
    """
    flat = table.reset_index() if table.index.name is not None else table
    return display_table(
        flat,
        headings=("churn.col", "churn.cause", "churn.winback"),
        kinds={c: KINDS[c] for c in flat.columns if c in KINDS},
        values={c: prefix for c, prefix in VALUES.items() if c in flat.columns},
        lang=lang,
        **options,
    )
