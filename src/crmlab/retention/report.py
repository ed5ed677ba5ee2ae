"""Tables and generated sentences of notebook 60 as the report shows them.

`display_table` is `crmlab.core.display.display_table` with the headings of ``retention.col.<column>``
(then those of the propensity tables, ``propensity.col.<column>``), model names, the situations of
`crmlab.retention.targeting.rate_comparison` in words, and rates as percentages. `response_sentence`
says what the response models found, next to the plain baseline and the article's balanced sample.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.display import display_table as core_display_table
from crmlab.core.i18n import t
from crmlab.propensity import report as propensity_report
from crmlab.retention.targeting import REFERENCES, ResponseModels

__all__ = ["KINDS", "display_table", "response_sentence"]

#: How the retention columns are shown (the propensity ones: `crmlab.propensity.report.KINDS`).
KINDS: dict[str, str] = {
    "defection_rate": "{:.1%}",
    "share_of_defectors": "{:.1%}",
    "top_decile_rate": "{:.1%}",
    "top_decile_lift_std": "score",
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


def response_sentence(result: ResponseModels, lang: str | None = None) -> str:
    """The chosen response model, its cross-validated lift, the references, and how it compares to the baseline."""
    chosen, plain, sample = result.row(result.best), result.row(REFERENCES[0]), result.row(REFERENCES[1])
    lift, sd = float(chosen["top_decile_lift"]), float(chosen["top_decile_lift_std"])
    gap = float(plain["top_decile_lift"]) - lift
    verdict = (
        t("retention.response.vs_baseline_ok", lang)
        if gap <= 0
        else t(f"retention.response.vs_baseline_{'close' if gap <= sd else 'worse'}", lang, gap=gap, sd=sd)
    )
    parts = [
        propensity_report.choice_sentence(result.summary, result.best, metric=result.metric, lang=lang),
        t(
            "retention.response.sentence",
            lang,
            base=result.base_rate,
            model=propensity_report.model_label(result.best, lang),
            top=chosen["top_decile_rate"],
            lift=lift,
            sd=sd,
            folds=result.folds,
            n=len(result.scores),
        ),
        t(
            "retention.response.references",
            lang,
            plain=plain["top_decile_lift"],
            plain_sd=plain["top_decile_lift_std"],
            kept=result.sample_share,
            sample=sample["top_decile_lift"],
            sample_sd=sample["top_decile_lift_std"],
        ),
        verdict,
    ]
    return " ".join(parts)
