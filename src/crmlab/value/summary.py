"""The findings of the value analysis (notebook 20) in words, each generated from this run's results.

Headline meanings, chart captions and recommended actions: every function picks a catalogue
template (``value/messages.yaml``) by what the numbers show and fills it with them.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

from crmlab.core.display import format_number
from crmlab.core.i18n import sentences, t
from crmlab.value.clv import ClvResult, HoldoutCheck
from crmlab.value.matrix import IRON_WORTH, ValueMatrix
from crmlab.value.pareto import ParetoResult
from crmlab.value.warning import WarningResult

#: Revenue share of the top 20% at or above which revenue counts as concentrated (the 80/20 pattern)...
CONCENTRATED = 0.6
#: ...and below which it counts as spread evenly (an even split gives the top 20% exactly 20%).
SPREAD = 0.4
#: Largest holdout error (either way) at which the model's forecasts count as usable.
HOLDOUT_BAR = 0.15


def concentration(top_share: float) -> str:
    """``concentrated``, ``moderate`` or ``spread``: how much revenue the top customers hold.

    >>> concentration(0.68), concentration(0.5), concentration(0.25)
    ('concentrated', 'moderate', 'spread')
    """
    if top_share >= CONCENTRATED:
        return "concentrated"
    return "spread" if top_share < SPREAD else "moderate"


def pareto_meaning(curve: ParetoResult, lang: str | None = None) -> str:
    """What the revenue share of the top customers means for the business."""
    return t(
        f"value.say.{concentration(curve.top_share)}",
        lang,
        fraction=curve.top_fraction,
        top=curve.top_share,
        min_share=curve.min_share_for_target,
        target=curve.target,
    )


def pareto_text(curve: ParetoResult, lang: str | None = None) -> str:
    """The Pareto figures and their verdict against the 80/20 rule."""
    figures = t(
        "value.say.pareto",
        lang,
        fraction=curve.top_fraction,
        top=curve.top_share,
        min_share=curve.min_share_for_target,
        target=curve.target,
        gini=curve.gini,
    )
    return sentences(figures, pareto_meaning(curve, lang), lang=lang)


def potential_meaning(potential: ClvResult, holdout: HoldoutCheck, lang: str | None = None) -> str:
    """What the total potential value is and how far the model's forecasts can be trusted."""
    error = holdout.error
    verdict = "unchecked" if error != error else "close" if abs(error) <= HOLDOUT_BAR else "far"
    return t(
        f"value.say.potential_{verdict}",
        lang,
        horizon=potential.horizon_months,
        rate=potential.annual_discount_rate,
        error=error,
        bar=HOLDOUT_BAR,
    )


def row(table: pd.DataFrame, column: str, key: str) -> dict[Hashable, Any]:
    """The row of ``table`` whose ``column`` is ``key``, as plain values (``value_class`` or ``group``)."""
    return table.loc[table[column] == key].iloc[0].to_dict()


def _class(matrix: ValueMatrix, name: str) -> dict[Hashable, Any]:
    return row(matrix.summary, "value_class", name)


def _group(warned: WarningResult, name: str) -> dict[Hashable, Any]:
    return row(warned.groups, "group", name)


def _platinum(matrix: ValueMatrix) -> dict[str, float]:
    platinum = _class(matrix, "platinum")
    return {
        "n": int(platinum["customers"]),
        "share": float(platinum["customer_share"]),
        "value": float(platinum["current_share"]),
    }


def platinum_meaning(matrix: ValueMatrix, lang: str | None = None) -> str:
    """Who the platinum customers are and what they bring."""
    return t("value.say.platinum_meaning", lang, **_platinum(matrix))


def risk_meaning(warned: WarningResult, lang: str | None = None) -> str:
    """How many customers are at risk, or that none is."""
    either = _group(warned, "either")
    if int(either["customers"]) == 0:
        return t("value.say.no_risk_meaning", lang)
    return t("value.say.risk_meaning", lang, n=int(either["customers"]), share=float(either["customer_share"]))


def risk_revenue_meaning(warned: WarningResult, lang: str | None = None) -> str:
    """The revenue the customers at risk brought so far."""
    either = _group(warned, "either")
    if int(either["customers"]) == 0:
        return t("value.say.no_risk_meaning", lang)
    return t("value.say.risk_revenue_meaning", lang, revenue=format_number(float(either["revenue"]), "money", lang))


def win_back_action(warned: WarningResult, list_name: str, lang: str | None = None) -> str:
    """Whom to win back first, how many and what revenue is at stake (or that nobody needs it)."""
    either, both = _group(warned, "either"), _group(warned, "both")
    if int(either["customers"]) == 0:
        return t("value.act.no_win_back", lang)
    one_group = int(both["customers"]) in (0, int(either["customers"]))  # nobody, or everybody, flagged twice
    return t(
        "value.act.win_back_all" if one_group else "value.act.win_back",
        lang,
        both=int(both["customers"]),
        both_revenue=format_number(float(both["revenue"]), "money", lang),
        rest=int(either["customers"]) - int(both["customers"]),
        revenue=format_number(float(either["revenue"]), "money", lang),
        share=float(either["revenue_share"]),
        path=list_name,
        n=int(either["customers"]),
    )


def value_class_action(matrix: ValueMatrix, lang: str | None = None) -> str:
    """Where the retention and development budget goes: platinum to keep, iron to develop."""
    iron = _class(matrix, "iron")
    key = "value.act.classes" if float(iron["potential_share"]) >= IRON_WORTH else "value.act.classes_small_iron"
    return t(
        key,
        lang,
        **_platinum(matrix),
        iron=int(iron["customers"]),
        iron_potential=float(iron["potential_share"]),
    )


def concentration_action(curve: ParetoResult, lang: str | None = None) -> str:
    """Whether to watch the top customers most closely or to grow revenue broadly."""
    n_top = max(1, round(curve.top_fraction * curve.n_customers))
    return t(f"value.act.{concentration(curve.top_share)}", lang, n=n_top, top=curve.top_share)


def matrix_caption(matrix: ValueMatrix, shown: int, lang: str | None = None) -> str:
    """The message of the value-matrix chart, and how many customers it draws."""
    text = t(
        "value.say.matrix_caption",
        lang,
        platinum=float(_class(matrix, "platinum")["current_share"]),
        iron=float(_class(matrix, "iron")["potential_share"]),
        lead=float(_class(matrix, "lead")["customer_share"]),
    )
    n = len(matrix.customers)
    if shown < n:
        text = sentences(text, t("value.say.matrix_sample", lang, shown=shown, n=n), lang=lang)
    return text


def segments_caption(profile: pd.DataFrame, lang: str | None = None) -> str:
    """The message of the RFM chart: the segment bringing most revenue, and the largest one."""
    richest = profile.iloc[int(profile["revenue_share"].to_numpy().argmax())]
    largest = profile.iloc[int(profile["customers"].to_numpy().argmax())]
    return t(
        "value.say.segments_caption",
        lang,
        richest=t(f"value.segment.{richest['segment']}", lang),
        largest=t(f"value.segment.{largest['segment']}", lang),
        richest_customers=float(richest["customer_share"]),
        richest_revenue=float(richest["revenue_share"]),
        largest_customers=float(largest["customer_share"]),
        largest_revenue=float(largest["revenue_share"]),
    )
