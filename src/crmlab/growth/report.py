"""The sentences of the relationship-growth report, each generated from this run's results.

One function per finding; each returns text in the report's language from the catalogue
(``growth/messages.yaml``), choosing among the templates by what the data shows or cannot show.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from crmlab.core.display import format_number
from crmlab.core.i18n import sentences, t
from crmlab.growth.cohorts import Cohorts, Lengths
from crmlab.growth.depth import Depth
from crmlab.growth.flows import Flows
from crmlab.growth.loyalty import MARKS, Loyalty
from crmlab.growth.purchases import Purchases
from crmlab.growth.whatif import TEXT_UPLIFT, WhatIf


def _sep(lang: str | None) -> str:
    return t("common.list_sep", lang)


def period_name(purchases: Purchases, lang: str | None = None) -> str:
    """The period in words (month, quarter, week)."""
    return t(f"growth.period.{purchases.period}", lang)


def basis_text(purchases: Purchases, category_col: str, lang: str | None = None) -> str:
    """What the periods and the product lines are in this data."""
    n = int(purchases.lines["line"].nunique())
    period = t("growth.say.period", lang, period=period_name(purchases, lang), as_of=purchases.as_of.date())
    if n < 2:
        return sentences(period, t("growth.say.one_line", lang), lang=lang)
    if purchases.line_col != "item_id":
        return sentences(period, t("growth.say.categories", lang, col=category_col, n=n), lang=lang)
    return sentences(period, t("growth.say.items", lang, col=category_col, n=n), lang=lang)


def _flow_values(row: pd.Series) -> dict[str, Any]:
    """The figures of one period of `Flows.table`, named as the templates use them."""
    names = {"new": "new", "won": "won_back", "lost": "lost", "net": "net_growth", "base": "base"}
    return {"period": row["label"], **{name: int(row[column]) for name, column in names.items()}}


def more_text(purchases: Purchases, flows: Flows, lang: str | None = None) -> str:
    """New, won-back and lost customers of the last complete period, and how 'lost' was decided."""
    if flows.winback_gap > 0:
        rule = t("growth.say.rule_days", lang, days=flows.winback_gap)
    else:
        rule = t("growth.say.rule_own", lang, multiple=flows.gap_multiple, typical=flows.typical_gap)
    row = flows.last(purchases)
    if row is None:
        return sentences(rule, t("growth.say.no_complete", lang), lang=lang)
    text = t("growth.say.more", lang, **_flow_values(row))
    acquiring = flows.table.loc[flows.table["new"] > 0, "label"]
    if int(row["new"]) == 0 and len(acquiring):
        text = sentences(text, t("growth.say.no_new_since", lang, period=acquiring.iloc[-1]), lang=lang)
    return sentences(rule, text, lang=lang)


def cohort_text(purchases: Purchases, cohorts: Cohorts, lang: str | None = None) -> str:
    """The first complete cohort, its next-period retention, and the average curve."""
    if cohorts.first_complete is None:
        return t("growth.say.no_complete", lang)
    label = purchases.label(cohorts.first_complete)
    m1 = cohorts.first_retention_m1
    if m1 is None:
        text = t("growth.say.cohort_no_m1", lang, period=label, size=cohorts.first_size)
    else:
        text = t("growth.say.cohort", lang, period=label, size=cohorts.first_size, m1=m1)
    curve = cohorts.curve
    if len(curve) > 1:
        last = curve.iloc[-1]
        text = sentences(
            text,
            t(
                "growth.say.curve",
                lang,
                m1=curve["retention"].iloc[1],
                k=int(last["offset"]),
                last=last["retention"],
                period=period_name(purchases, lang),
            ),
            lang=lang,
        )
    if cohorts.first_complete == purchases.first_period:
        text = sentences(text, t("growth.say.left_censored", lang), lang=lang)
    return text


def lifetime_text(purchases: Purchases, lengths: Lengths, lang: str | None = None) -> str:
    """The Kaplan-Meier median length of relationships, or why it is 0 or beyond the data."""
    ended = float(lengths.customers["ended"].mean())
    if math.isinf(lengths.median_days):
        span = (purchases.as_of - purchases.start).days
        return t("growth.say.median_beyond", lang, days=span, ended=ended)
    if lengths.median_days == 0:
        return t("growth.say.median_zero", lang, single=lengths.single_purchase_ended, ended=ended)
    return t("growth.say.median", lang, days=lengths.median_days, ended=ended)


def median_figure(purchases: Purchases, lengths: Lengths, lang: str | None = None) -> float | str:
    """The median relationship length to record: days, or a phrase when it lies beyond the data."""
    if math.isinf(lengths.median_days):
        return t("growth.beyond_days", lang, days=(purchases.as_of - purchases.start).days)
    return lengths.median_days


def depth_text(purchases: Purchases, depth: Depth, lang: str | None = None) -> str:
    """Cross-sell uptake (or why it cannot be measured) and spend per order over tenure."""
    if not depth.measurable:
        text = t("growth.say.no_cross_sell", lang)
    elif depth.repeat == 0:
        text = t("growth.say.no_repeat_customers", lang)
    else:
        text = t("growth.say.cross_sell", lang, repeat=depth.repeat, uptake=depth.uptake, all=depth.uptake_all)
    if depth.repeat:
        text = sentences(
            text,
            t(
                "growth.say.upsell",
                lang,
                first=depth.first_value,
                later=depth.later_value,
                change=depth.value_change,
            ),
            lang=lang,
        )
    return text


def first_lines_text(depth: Depth, min_customers: int, lang: str | None = None) -> str:
    """The first product line after which customers went furthest, against the average customer."""
    if not depth.measurable:
        return t("growth.say.no_lines_lead", lang)
    if depth.first_lines.empty:
        return t("growth.say.no_first_lines", lang, n=min_customers)
    top = depth.first_lines.iloc[0]
    return t(
        "growth.say.first_lines",
        lang,
        name=top["name"],
        customers=int(top["customers"]),
        new=top["new_lines"],
        index=top["index"],
    )


def marks_text(purchases: Purchases, loyalty: Loyalty, lang: str | None = None) -> str:
    """Which marks this data measures, which not, and the loyal share."""
    measurable = loyalty.measurable
    names = _sep(lang).join(t(f"growth.mark.{m}", lang) for m in measurable)
    missing = _sep(lang).join(t(f"growth.mark.{m}", lang) for m in MARKS if m not in measurable)
    text = t("growth.say.marks", lang, n=len(measurable), names=names, missing=missing or "-")
    if "lines" in measurable and purchases.line_col == "item_id":
        text = sentences(text, t("growth.say.items_as_lines", lang), lang=lang)
    share = loyalty.loyal_share
    if share is None:
        return sentences(text, t("growth.say.no_loyal_share", lang), lang=lang)
    return sentences(text, t("growth.say.loyal", lang, share=share), lang=lang)


def loyal_figure(loyalty: Loyalty, lang: str | None = None) -> float | str:
    """The loyal share to record, or a phrase saying it cannot be measured."""
    share = loyalty.loyal_share
    return t("growth.not_measurable", lang) if share is None else round(share, 4)


def uptake_figure(depth: Depth, lang: str | None = None) -> float | str:
    """The cross-sell uptake to record, or a phrase saying it cannot be measured."""
    return round(depth.uptake, 4) if depth.measurable and depth.repeat else t("growth.not_measurable", lang)


def cylinders_text(sample_size: int, ended: int, longest: int, seed: int, lang: str | None = None) -> str:
    """What the cylinder chart shows."""
    return t(
        "growth.say.cylinders", lang, n=sample_size, going=sample_size - ended, ended=ended, days=longest, seed=seed
    )


def whatif_text(purchases: Purchases, whatif: WhatIf, lang: str | None = None) -> str:
    """Profit per acquired customer before and after the retention rise, and whether the text's 60% holds."""
    period = period_name(purchases, lang)
    text = t(
        "growth.say.whatif",
        lang,
        base=whatif.base,
        horizon=whatif.horizon,
        period=period,
        points=round(whatif.rise * 100, 2),
        raised=whatif.raised,
        uplift=whatif.uplift,
    )
    verdict = "growth.say.text_holds" if whatif.text_holds else "growth.say.text_fails"
    text = sentences(text, t(verdict, lang, text=TEXT_UPLIFT), lang=lang)
    if whatif.observed < whatif.horizon:
        carried = t("growth.say.carried", lang, observed=whatif.observed, carried=whatif.horizon - whatif.observed)
        text = sentences(text, carried, lang=lang)
    return text


def finding(
    purchases: Purchases, flows: Flows, lengths: Lengths, depth: Depth, whatif: WhatIf, lang: str | None = None
) -> str:
    """The report's one-sentence finding, for the summary page."""
    row = flows.last(purchases)
    more = (
        t(
            "growth.finding.more",
            lang,
            period=row["label"],
            new=int(row["new"]),
            won=int(row["won_back"]),
            lost=int(row["lost"]),
        )
        if row is not None
        else t("growth.finding.no_period", lang)
    )
    longer = lifetime_finding(purchases, lengths, lang)
    deeper = (
        t("growth.finding.uptake", lang, uptake=depth.uptake)
        if depth.measurable and depth.repeat
        else t("growth.finding.no_uptake", lang)
    )
    return t(
        "growth.finding.sentence",
        lang,
        more=more,
        longer=longer,
        deeper=deeper,
        uplift=whatif.uplift,
        points=round(whatif.rise * 100, 2),
    )


def net_meaning(purchases: Purchases, flows: Flows, lang: str | None = None) -> str:
    """Net growth of the last complete period in words: the base grew, held or shrank, and why."""
    row = flows.last(purchases)
    if row is None:
        return t("growth.say.no_complete", lang)
    values = _flow_values(row)
    key = "grew" if values["net"] > 0 else "shrank" if values["net"] < 0 else "held"
    return t(f"growth.say.net_{key}", lang, **values)


def retention_meaning(purchases: Purchases, cohorts: Cohorts, lang: str | None = None) -> str:
    """The first complete cohort's next-period retention in words (or that it is not known yet)."""
    first, m1 = cohorts.first_complete, cohorts.first_retention_m1
    if first is None:
        return t("growth.say.no_complete", lang)
    label = purchases.label(first)
    if m1 is None:
        return t("growth.say.cohort_no_m1", lang, period=label, size=cohorts.first_size)
    return t(
        "growth.say.retention_meaning",
        lang,
        size=cohorts.first_size,
        cohort=label,
        m1=m1,
        lost=1 - m1,
        period=period_name(purchases, lang),
    )


def lifetime_finding(purchases: Purchases, lengths: Lengths, lang: str | None = None) -> str:
    """How long relationships last, in a few words (also part of `finding`)."""
    if math.isinf(lengths.median_days):
        return t("growth.finding.median_beyond", lang, days=(purchases.as_of - purchases.start).days)
    if lengths.median_days == 0:
        return t("growth.finding.median_zero", lang, single=lengths.single_purchase_ended)
    return t("growth.finding.median", lang, days=lengths.median_days)


def whatif_meaning(purchases: Purchases, whatif: WhatIf, lang: str | None = None) -> str:
    """The profit change of the retention what-if, against the textbook's +60%."""
    if not whatif.base:
        return t("growth.say.whatif_no_profit", lang)
    key = "growth.say.uplift_holds" if whatif.text_holds else "growth.say.uplift_fails"
    return t(
        key,
        lang,
        points=round(whatif.rise * 100, 2),
        base=format_number(whatif.base, "money", lang),
        raised=format_number(whatif.raised, "money", lang),
        horizon=whatif.horizon,
        period=period_name(purchases, lang),
        text=TEXT_UPLIFT,
    )


def retention_action(purchases: Purchases, whatif: WhatIf, lang: str | None = None) -> str:
    """The most a retention programme may cost per acquired customer and still pay."""
    gain = whatif.raised - whatif.base
    if gain <= 0:
        return t("growth.act.no_retention_gain", lang)
    return t(
        "growth.act.retention",
        lang,
        gain=format_number(gain, "money", lang),
        points=round(whatif.rise * 100, 2),
        horizon=whatif.horizon,
        period=period_name(purchases, lang),
    )


def base_action(purchases: Purchases, flows: Flows, lang: str | None = None) -> str | None:
    """What the last complete period asks for: win back or acquire to stop a decline, or acquire to grow."""
    row = flows.last(purchases)
    if row is None:
        return None
    values = _flow_values(row)
    if values["net"] < 0:
        return t("growth.act.shrinking", lang, gap=-values["net"], **values)
    if values["new"] == 0:
        return t("growth.act.no_acquisition", lang, **values)
    return t("growth.act.growing" if values["lost"] else "growth.act.growing_no_loss", lang, **values)
