"""What notebook 40 shows a reader: fraud tables in the reader's words, and the sentences of its decisions.

Tables go through `crmlab.core.display.display_table` with the fraud headings (``fraud.col.<column>``)
before the propensity ones, and category values translated (``fraud.value.<value>``), so a Chinese
report shows no code name. The sentences are catalogue messages chosen by this run's numbers: how
strong the model is against a stated bar, the threshold to investigate at and why it is not the
test set's own peak, and the savings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.display import display_table, format_number, heading
from crmlab.core.i18n import t
from crmlab.propensity.costs import ThresholdChoice
from crmlab.propensity.preparation import Prepared
from crmlab.propensity.report import KINDS, SAME_AS, VALUES

__all__ = [
    "HEADINGS",
    "STRONG_AUC",
    "VALUE_PREFIX",
    "WEAK_AUC",
    "at_peak",
    "calibration_caption",
    "dropped_table",
    "fraud_table",
    "gains_caption",
    "model_meaning",
    "names",
    "peak_text",
    "recommendation",
]

#: Message prefixes of column headings (and of feature names in rules): fraud's own, then propensity's.
HEADINGS = ("fraud.col", "propensity.col")
#: Message prefix of category values (``fraud.value.non-local``).
VALUE_PREFIX = "fraud.value"
#: ROC AUC from which the model counts as strong, and below which it counts as weak.
STRONG_AUC, WEAK_AUC = 0.8, 0.7
#: Test savings within this share of the test peak's count as "at the peak".
PEAK_TOLERANCE = 0.05


def fraud_table(
    table: pd.DataFrame, *, columns: Sequence[str] | None = None, caption: str | None = None, lang: str | None = None
) -> Styler:
    """``table`` as the fraud report shows it: fraud headings, numbers by kind, categories and model names in words."""
    shown = table.rename(columns={c: h for c, h in SAME_AS.items() if h not in table.columns and c in table.columns})
    text = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c]) and c not in VALUES]
    values: Mapping[str, str] = {**dict.fromkeys(text, VALUE_PREFIX), **VALUES}
    kinds = {**KINDS, **dict.fromkeys(text, "text"), "score": "percent", "lift": "ratio"}  # a score is a probability
    return display_table(
        shown, headings=HEADINGS, kinds=kinds, values=values, columns=columns, caption=caption, lang=lang
    )


def names(columns: Sequence[str], lang: str | None = None) -> str:
    """Feature columns as the reader reads them, listed (``bill_trend_12m`` -> "12-month bill trend ...")."""
    return t("common.list_sep", lang).join(heading(c, HEADINGS, lang) for c in columns) or t("propensity.none", lang)


def dropped_table(prepared: Prepared, *, lang: str | None = None) -> Styler:
    """The columns the preparation left out, named as the reader reads them, and why."""
    rows = pd.DataFrame(
        {
            "column": [heading(c, HEADINGS, lang) for c in prepared.dropped],
            "reason": [t(f"propensity.drop.{r}", lang) for r in prepared.dropped.values()],
        }
    )
    return fraud_table(rows, lang=lang)


def model_meaning(auc: float, *, lang: str | None = None) -> str:
    """How good the model is, against the stated bars: strong from `STRONG_AUC`, weak below `WEAK_AUC`."""
    key = "strong" if auc >= STRONG_AUC else "fair" if auc >= WEAK_AUC else "weak"
    return t(f"fraud.say.model_{key}", lang, auc=auc)


def gains_caption(gains: pd.DataFrame, *, lang: str | None = None) -> str:
    """The message of the gains and lift charts: the share of frauds found in the top 10% and 30% of cases."""
    found = gains["cum_responders_share"].to_numpy()
    top30 = found[min(2, len(found) - 1)]
    return t("fraud.say.gains", lang, top10=found[0], top30=top30, lift=float(gains["lift"].iloc[0]))


def calibration_caption(calibration: pd.DataFrame, *, lang: str | None = None) -> str:
    """The message of the calibration chart: predicted against observed fraud rate overall and in the top group."""
    weights = calibration["customers"] / calibration["customers"].sum()
    top = calibration.iloc[-1]
    return t(
        "fraud.say.calibration",
        lang,
        predicted=float((weights * calibration["mean_score"]).sum()),
        observed=float((weights * calibration["observed_rate"]).sum()),
        top_predicted=float(top["mean_score"]),
        top_observed=float(top["observed_rate"]),
    )


def at_peak(on_test: ThresholdChoice, peak: ThresholdChoice) -> bool:
    """Whether the recommended threshold nets (almost) as much on the test set as the test set's own best one."""
    return on_test.savings >= peak.savings - PEAK_TOLERANCE * abs(peak.savings)


def peak_text(on_test: ThresholdChoice, peak: ThresholdChoice, *, lang: str | None = None) -> str:
    """Why the recommended threshold is where it is, against the peak of the savings curve on the test set."""
    money = {
        "savings": format_number(on_test.savings, "money", lang),
        "peak_savings": format_number(peak.savings, "money", lang),
        "gap": format_number(peak.savings - on_test.savings, "money", lang),
    }
    key = "fraud.say.at_peak" if at_peak(on_test, peak) else "fraud.say.off_peak"
    share = peak.acted / peak.cases
    return t(key, lang, threshold=on_test.threshold, peak=peak.threshold, peak_share=share, **money)


def recommendation(
    on_test: ThresholdChoice,
    *,
    flagged: int,
    rows: int,
    path: str,
    action_cost: float,
    loss_per_positive: float,
    lang: str | None = None,
) -> str:
    """The decision: how many cases to investigate, at what threshold, for what savings; or not to investigate."""
    costs = {
        "cost": format_number(action_cost, "money", lang),
        "loss": format_number(loss_per_positive, "money", lang),
    }
    if on_test.savings <= 0 or flagged == 0:
        return t("fraud.say.recommend_none", lang, **costs)
    return t(
        "fraud.say.recommend",
        lang,
        n=flagged,
        share=flagged / rows,
        threshold=on_test.threshold,
        path=path,
        per_1000=format_number(on_test.per_case * 1000, "money", lang),
    )
