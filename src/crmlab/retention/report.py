"""Tables and generated sentences of notebook 60 as the report shows them.

`display_table` is `crmlab.core.display.display_table` with the headings of ``retention.col.<column>``
(then those of the propensity tables, ``propensity.col.<column>``), model names, the situations of
`crmlab.retention.targeting.rate_comparison` in words, and rates as percentages. `response_sentence`
says what the response models found, next to the plain baseline and the article's balanced sample.
The other ``*_sentence`` and ``*_advice`` functions turn this run's numbers into its findings and
recommendations (catalogue templates chosen by conditions), so a report on any file says what that
file shows.
"""

from __future__ import annotations

import math

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab import propensity
from crmlab.core.display import display_table as core_display_table
from crmlab.core.display import format_number
from crmlab.core.i18n import catalogue, sentences, t
from crmlab.propensity import report as propensity_report
from crmlab.retention.campaign import Campaign
from crmlab.retention.defection import TEXT_ONE_PRODUCT_SHARE, ProductsHeld
from crmlab.retention.targeting import REFERENCES, ResponseModels

__all__ = [
    "CAMPAIGN_COLUMNS",
    "HOLDS_SHARE",
    "KINDS",
    "campaign_advice",
    "campaign_chart_caption",
    "campaign_meaning",
    "claim_sentence",
    "data_sentence",
    "decile_caption",
    "display_table",
    "drivers_sentence",
    "feature_label",
    "products_sentence",
    "response_advice",
    "response_meaning",
    "response_sentence",
    "targets_table",
]

#: The columns of the campaign's cost-benefit table a reader needs (the expected counts stay in `Campaign.table`).
CAMPAIGN_COLUMNS = [
    "band",
    "min_risk",
    "saved_value",
    "cost",
    "net_value",
    "cum_customers",
    "cum_net_value",
]

#: The share of defectors with one product at which the article's "nearly 75 %" counts as holding.
HOLDS_SHARE = 0.6

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
    "risk": "percent",
    "annual_margin": "money",
    "expected_net": "money",
    "expected_responders": "{:,.1f}",
    "expected_defectors": "{:,.1f}",
    "saved_customers": "{:,.1f}",
    **dict.fromkeys(("saved_value", "cost", "net_value", "cum_net_value"), "money"),
}


def display_table(table: pd.DataFrame, lang: str | None = None, *, columns: list[str] | None = None) -> Styler:
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
        columns=columns,
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
    return sentences(*parts, lang=lang)


def data_sentence(frame: pd.DataFrame, *, target: str, positive: object = None, lang: str | None = None) -> str:
    """How many customers the data holds and how many of them defected."""
    y = propensity.prepare(frame, target=target, positive=positive).y
    return t("retention.say.data", lang, rows=len(y), defectors=int(y.sum()), rate=float(y.mean()))


def products_sentence(held: ProductsHeld, lang: str | None = None) -> str:
    """Whether the article's "nearly 75 % of defectors held one product" and "more products, more loyalty" hold.

    The claim holds at `HOLDS_SHARE` or more, holds in part when one product is still the majority,
    and fails below half; the loyalty part compares the defection rates of one and of more products.
    """
    parts = [claim_sentence(held, lang)]
    table = held.table
    if not (math.isnan(held.rate_one) or math.isnan(held.rate_more)):
        key = "holds" if held.rate_more < held.rate_one else "fails"
        parts.append(t(f"retention.say.loyalty_{key}", lang, rate_one=held.rate_one, rate_more=held.rate_more))
    peak = int(table["defection_rate"].to_numpy().argmax())
    count, rate = int(table["products_held"].iloc[peak]), float(table["defection_rate"].iloc[peak])
    parts.append(t("retention.say.peak", lang, peak=count, rate=rate))
    return sentences(*parts, lang=lang)


def claim_sentence(held: ProductsHeld, lang: str | None = None) -> str:
    """Whether the article's "nearly 75 % of defectors held one product" holds (see `products_sentence`)."""
    share, table, text = held.one_product_share, held.table, TEXT_ONE_PRODUCT_SHARE
    if share >= HOLDS_SHARE:
        return t("retention.say.one_product_holds", lang, share=share, text=text, bar=HOLDS_SHARE)
    if share > 0.5:
        return t("retention.say.one_product_majority", lang, share=share, text=text)
    mode = int(table["products_held"].iloc[int(table["share_of_defectors"].to_numpy().argmax())])
    return t("retention.say.one_product_fails", lang, share=share, text=text, more=1 - share, mode=mode)


def feature_label(name: object, lang: str | None = None) -> str:
    """A feature's name as a reader sees it (``retention.feature.<name>``); a user's own columns unchanged.

    >>> feature_label("tenure", "zh"), feature_label("my_column", "zh")
    ('在网时长（月）', 'my_column')
    """
    key = f"retention.feature.{name}"
    return t(key, lang) if key in catalogue() else str(name)


def drivers_sentence(drivers: pd.DataFrame, *, top: int = 3, lang: str | None = None) -> str:
    """The ``top`` features the model relies on most, with the direction of their effect (`risk_drivers`)."""
    shown = drivers[drivers["importance"] > 0].head(top)
    if shown.empty:
        return t("retention.say.no_drivers", lang)
    named = []
    for feature, direction in zip(shown["feature"], shown["direction"].astype(float), strict=True):
        key = "category" if math.isnan(direction) else ("up" if direction > 0 else "down")
        named.append(t(f"retention.say.driver_{key}", lang, feature=feature_label(feature, lang)))
    return t("retention.say.drivers", lang, features=t("common.list_sep", lang).join(named))


def _money(value: float) -> str:
    return format_number(round(value), "money")


def _campaign_numbers(campaign: Campaign, risk: float) -> dict[str, object]:
    return {
        "n": campaign.targeted,
        "risk": risk,
        "value": _money(campaign.value),
        "best_n": campaign.best_targeted,
        "best_value": _money(campaign.best_value),
        "best_risk": campaign.best_risk,
    }


def campaign_meaning(campaign: Campaign, *, risk: float, lang: str | None = None) -> str:
    """What the headline campaign value is (the risk rule's campaign) next to the optimum."""
    return t("retention.say.campaign_meaning", lang, **_campaign_numbers(campaign, risk))


def campaign_chart_caption(campaign: Campaign, lang: str | None = None) -> str:
    """Where the campaign chart's net value peaks, and where the risk rule stops."""
    numbers = _campaign_numbers(campaign, float("nan"))
    return t("retention.say.campaign_chart", lang, **numbers)


def campaign_advice(campaign: Campaign, *, risk: float, lang: str | None = None) -> str:
    """The campaign size to recommend: the optimum of the cumulative net value, against the risk rule's size."""
    if campaign.best_targeted == 0:
        key = "none"
    elif campaign.best_targeted == campaign.targeted:
        key = "same"
    else:
        key = "grow" if campaign.best_targeted > campaign.targeted else "shrink"
    return t(f"retention.say.campaign_{key}", lang, **_campaign_numbers(campaign, risk))


def _response_numbers(result: ResponseModels, lang: str | None) -> dict[str, object]:
    row = result.row(result.best)
    auc = float(row["roc_auc"])
    return {
        "model": propensity_report.model_label(result.best, lang),
        "top": float(row["top_decile_rate"]),
        "base": result.base_rate,
        "lift": float(row["top_decile_lift"]),
        "auc": auc,
        "verdict": t(f"propensity.verdict.{propensity_report.auc_verdict(auc)}", lang),
    }


def response_meaning(result: ResponseModels, lang: str | None = None) -> str:
    """What the chosen response model's top-decile lift means, with its ROC AUC verdict."""
    numbers = _response_numbers(result, lang)
    return t("retention.say.response_meaning", lang, **numbers)


def decile_caption(result: ResponseModels, lang: str | None = None) -> str:
    """The decile response chart in a sentence: the top and bottom deciles against the untargeted rate."""
    rates = result.gains[result.best]["response_rate"]
    return t(
        "retention.say.decile_caption",
        lang,
        model=propensity_report.model_label(result.best, lang),
        top=float(rates.iloc[0]),
        bottom=float(rates.iloc[-1]),
        base=result.base_rate,
    )


def response_advice(result: ResponseModels, lang: str | None = None) -> str:
    """Mail by the model, or test it first when its ROC AUC is weak."""
    numbers = _response_numbers(result, lang)
    weak = propensity_report.auc_verdict(float(result.row(result.best)["roc_auc"])) == "weak"
    return t(f"retention.say.response_{'weak' if weak else 'use'}", lang, **numbers)


def targets_table(campaign: Campaign, *, max_rows: int = 10, lang: str | None = None) -> Styler:
    """The first ``max_rows`` customers the campaign contacts, riskiest first: id, risk, margin, net value."""
    targets = campaign.customers[campaign.customers["targeted"]]
    columns = [c for c in ("customer_id", "risk", "annual_margin", "expected_net") if c in targets.columns]
    caption = t("retention.say.targets_caption", lang, n=len(targets))
    return core_display_table(
        targets,
        headings=("retention.col", propensity_report.HEADINGS),
        kinds=KINDS,
        columns=columns,
        caption=caption,
        max_rows=max_rows,
        lang=lang,
    )
