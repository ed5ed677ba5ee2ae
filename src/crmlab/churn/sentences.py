"""What notebook 50 found and what to do, as sentences generated from the results.

Each function picks a catalogue template (``churn.say.*`` for findings, ``churn.do.*`` for
recommendations) by the numbers of this run, so a report on any file states its own findings:
the top exit type and how many types make 80% of exits (`cause_caption`), what the churn rate and
the profit lost mean (`rate_meaning`, `profit_meaning`), what the break-even retention budget
assumes (`budget_meaning`), and the actions: where to start (`cause_action`), how much to spend
(`budget_action`) and whom to win back (`winback_action`).
"""

from __future__ import annotations

from crmlab.churn.causes import CauseDistribution
from crmlab.churn.economics import ExitCosts
from crmlab.churn.rates import ChurnRate
from crmlab.churn.tables import segment_name
from crmlab.churn.winback import WinBack
from crmlab.core.display import with_currency
from crmlab.core.i18n import get_lang, sentences, t

__all__ = [
    "PARETO_SHARE",
    "budget_action",
    "budget_meaning",
    "cause_action",
    "cause_caption",
    "causes_paragraph",
    "money",
    "profit_meaning",
    "rate_meaning",
    "segment_caption",
    "winback_action",
]

#: The share of exits the Pareto count is taken at: how many exit types make up 80% of exits.
PARETO_SHARE = 0.8
#: A top exit type with at least this share of exits is called the majority.
MAJORITY = 0.5


def money(value: float) -> str:
    """An amount as sentences show it: whole units, thousands separators, the report's currency.

    >>> money(152941.51)
    '152,942'
    """
    return with_currency(f"{value:,.0f}")


def rate_meaning(rate: ChurnRate, lang: str | None = None) -> str:
    """What the churn rate means: how many left, and in which segment most (when there are segments)."""
    said = t("churn.say.rate", lang, n_churned=rate.n_churned, n_customers=rate.n_customers, rate=rate.rate)
    if rate.by_segment is None or len(rate.by_segment) < 2:
        return said
    top = rate.by_segment.sort_values("rate").iloc[-1]
    name = segment_name(top["segment"], lang)
    return sentences(said, t("churn.say.rate_top_segment", lang, segment=name, rate=top["rate"]), lang=lang)


def cause_caption(causes: CauseDistribution, lang: str | None = None) -> str:
    """The message of the churn-cause distribution: the top exit type, its share, the Pareto count.

    >>> import pandas as pd
    >>> from crmlab.churn.causes import cause_distribution
    >>> causes = cause_distribution(pd.DataFrame({"reason": ["price"] * 6 + ["product"] * 3 + ["?"]}))
    >>> for sentence in cause_caption(causes, "en").split(". "):
    ...     print(sentence)
    Price is the reason of 60.0% of the 10 lost customers: more than half of them
    2 of the 2 exit types found make up 80% of exits.
    """
    n = len(causes.assigned)
    if causes.top_cause is None:
        return t("churn.say.no_cause", lang, n=n)
    cause = t(f"churn.cause.{causes.top_cause}", lang)
    share = causes.top_cause_share
    first = t(
        "churn.say.cause_majority" if share >= MAJORITY else "churn.say.cause_top", lang, cause=cause, share=share, n=n
    )
    k = causes.n_causes_to(PARETO_SHARE)
    if k is None:
        second = t("churn.say.pareto_short", lang, covered=float(causes.causes["share"].sum()))
    elif k == 1:
        second = t("churn.say.pareto_one", lang, cause=cause)
    else:
        second = t("churn.say.pareto", lang, k=k, m=len(causes.causes))
    return sentences(first, second, lang=lang)


def segment_caption(causes: CauseDistribution, lang: str | None = None) -> str:
    """Whether the segments leave for the same reason: one top exit type for all, or each segment's own."""
    table = causes.top_by_segment
    if table is None or table["cause"].isna().all():
        return ""
    named = table.dropna(subset=["cause"])
    if named["cause"].nunique() == 1:
        return t("churn.say.segment_same", lang, cause=t(f"churn.cause.{named['cause'].iloc[0]}", lang))
    parts = [
        t(
            "churn.say.segment_top",
            lang,
            segment=segment_name(row.segment, lang),
            cause=t(f"churn.cause.{row.cause}", lang),
            share=row.share,
        )
        for row in named.itertuples()
    ]
    return t("churn.say.segment_differ", lang, parts=("；" if (lang or get_lang()) == "zh" else "; ").join(parts))


def causes_paragraph(causes: CauseDistribution, lang: str | None = None) -> str:
    """`cause_caption`, then the shares of lost customers without a usable or a classified reason."""
    missing = ""
    if causes.unknown_share or causes.unmapped_share:
        missing = t("churn.say.not_causes", lang, unknown=causes.unknown_share, unmapped=causes.unmapped_share)
    return sentences(cause_caption(causes, lang), missing, lang=lang)


def cause_action(causes: CauseDistribution, lang: str | None = None) -> str:
    """Where retention should start: the measure that answers the top exit type (one template per type)."""
    if causes.top_cause is None:
        return t("churn.do.classify", lang, n=len(causes.assigned))
    n = int(causes.causes["count"].iloc[0])
    return t(f"churn.do.cause.{causes.top_cause}", lang, share=causes.top_cause_share, n=n)


def profit_meaning(costs: ExitCosts, expected_lifetime_years: float, lang: str | None = None) -> str:
    """What the yearly profit lost means, and the cost of defection over the remaining lifetime."""
    if costs.profit_lost <= 0:
        return t("churn.say.no_profit", lang, n=costs.n_lost)
    return t(
        "churn.say.profit_meaning",
        lang,
        n=costs.n_lost,
        revenue=money(costs.revenue_lost),
        years=expected_lifetime_years,
        cost=money(costs.cost_of_defection),
    )


def budget_meaning(costs: ExitCosts, kept_share: float, likely_kept_share: float, lang: str | None = None) -> str:
    """What the break-even budget assumes, and the break-even at the likely share kept when it assumes more.

    A budget up to the profit lost pays back only if the programme keeps every leaving customer; a
    programme that keeps ``likely_kept_share`` breaks even at that share of the profit lost.
    """
    if costs.profit_lost <= 0:
        return t("churn.say.no_profit", lang, n=costs.n_lost)
    budget, likely = costs.profit_lost * kept_share, costs.profit_lost * likely_kept_share
    if kept_share <= likely_kept_share:
        return t("churn.say.budget", lang, share=kept_share, budget=money(budget))
    key = "churn.say.budget_all" if kept_share >= 1 else "churn.say.budget_assumed"
    return t(key, lang, budget=money(budget), share=kept_share, likely_share=likely_kept_share, likely=money(likely))


def budget_action(
    costs: ExitCosts, likely_kept_share: float, programme_cost: float, cause: str | None, lang: str | None = None
) -> str:
    """How much to spend on retention: at most the likely break-even, or whether the planned programme pays.

    With a ``programme_cost``, the share of leaving customers it must keep to pay back (cost / profit
    lost) decides: below the likely share it pays, above it only if it keeps that many, above the
    profit lost never.
    """
    if costs.profit_lost <= 0:
        return t("churn.do.no_budget", lang)
    likely = costs.profit_lost * likely_kept_share
    if programme_cost <= 0:
        key, target = ("churn.do.budget", t(f"churn.cause.{cause}", lang)) if cause else ("churn.do.budget_any", "")
        return t(key, lang, likely=money(likely), likely_share=likely_kept_share, cause=target)
    needed = programme_cost / costs.profit_lost
    key = (
        "churn.do.budget_pays"
        if needed <= likely_kept_share
        else "churn.do.budget_needs"
        if needed <= 1
        else "churn.do.budget_never"
    )
    return t(key, lang, cost=money(programme_cost), needed=needed, likely_share=likely_kept_share, likely=money(likely))


def winback_action(winback: WinBack, lang: str | None = None) -> str:
    """Whom to win back: the recommended lost customers and their value, or none."""
    if winback.n_recommended == 0:
        return t("churn.do.winback_none", lang, n=len(winback.ranking))
    chosen = winback.summary[winback.summary["recommended"] > 0].sort_values("recommended_value", ascending=False)
    top = t(f"churn.winback.{chosen['winback_type'].iloc[0]}", lang)
    return t("churn.do.winback", lang, n=winback.n_recommended, value=money(winback.recommended_value), top=top)
