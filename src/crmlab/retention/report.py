"""Tables of notebook 60 as the report shows them.

`display_table` is `crmlab.core.display.display_table` with the headings of ``retention.col.<column>``
(then those of the propensity tables, ``propensity.col.<column>``), model names, the situations of
`crmlab.retention.targeting.rate_comparison` in words, and rates as percentages.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.display import display_table as core_display_table
from crmlab.propensity import report as propensity_report

__all__ = ["KINDS", "display_table"]

#: How the retention columns are shown (the propensity ones: `crmlab.propensity.report.KINDS`).
KINDS: dict[str, str] = {
    "defection_rate": "{:.1%}",
    "share_of_defectors": "{:.1%}",
    "top_decile_rate": "{:.1%}",
    "response_rate": "{:.1%}",
    "cum_customers_share": "{:.0%}",
    "cum_responders_share": "{:.1%}",
    "min_risk": "{:.1%}",
    "precision": "{:.2%}",
    "low": "{:.2%}",
    "high": "{:.2%}",
    "rate_low": "{:.1%}",
    "rate_high": "{:.1%}",
    "importance": "score",
}


def display_table(table: pd.DataFrame, lang: str | None = None) -> Styler:
    """``table`` styled for the report: headings and model names in ``lang``, rates as percentages.

    Examples
    --------
    >>> shown = display_table(pd.DataFrame({"model": ["mlp"], "defection_rate": [0.265]}), "zh")
    >>> list(shown.data.columns), shown.data.iloc[0, 0]
    (['模型', '流失率'], '神经网络（多层感知机）')
    """
    return core_display_table(
        table,
        headings=("retention.col", propensity_report.HEADINGS),
        kinds={**propensity_report.KINDS, **KINDS},
        values={**propensity_report.VALUES, "situation": "retention.rates"},
        lang=lang,
    )
