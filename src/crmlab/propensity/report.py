"""What a propensity report shows besides charts: model names, tables and generated sentences.

Every table goes through `crmlab.core.display.display_table` with the headings of
``propensity.col.<column>`` and the model names of ``propensity.model.<key>`` (one name per model).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.display import display_table as core_display_table
from crmlab.core.i18n import catalogue, sentences, t
from crmlab.propensity.preparation import Prepared

__all__ = [
    "AUC_BARS",
    "CLOSE_GAINS",
    "HEADINGS",
    "KINDS",
    "SAME_AS",
    "VALUES",
    "auc_verdict",
    "choice_sentence",
    "display_table",
    "dropped_table",
    "gains_caption",
    "metric_label",
    "model_label",
    "verdict_sentence",
    "weak_models_sentence",
]

#: How the columns of the propensity tables are shown (others: by their dtype).
KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("roc_auc", "roc_auc_std", "pr_auc", "pr_auc_std", "top_decile_lift", "brier", "lift", "cum_lift", "score"),
        "score",
    ),
    **dict.fromkeys(
        ("response_rate", "cum_customers_share", "cum_responders_share", "support", "precision"), "percent"
    ),
    "investigate": "bool",
}

#: The bars a model's ROC AUC is judged by (the report states them): below each, the verdict; above all, strong.
AUC_BARS: tuple[tuple[float, str], ...] = ((0.6, "weak"), (0.7, "modest"), (0.8, "good"))

#: Gains curves whose first score bands find shares closer than this are said to coincide.
CLOSE_GAINS = 0.03

#: Message prefix of the column headings.
HEADINGS = "propensity.col"

#: Columns whose cells are message keys: the model column holds model keys.
VALUES: dict[str, str] = {"model": "propensity.model"}

#: Columns headed like another one: gains tables count customers and responders, which a
#: propensity report calls cases and positives (as its rule tables do).
SAME_AS: dict[str, str] = {"customers": "cases", "responders": "positives"}


def model_label(name: object, lang: str | None = None) -> str:
    """Display name of a model key (``"logistic"`` -> "Logistic regression"); unknown keys unchanged.

    >>> model_label("gradient_boosting", "zh"), model_label("my_model")
    ('梯度提升', 'my_model')
    """
    key = f"propensity.model.{name}"
    return t(key, lang) if key in catalogue() else str(name)


def metric_label(metric: str, lang: str | None = None) -> str:
    """Display name of a ranking metric (``"pr_auc"`` -> "PR AUC")."""
    return t(f"propensity.col.{metric}", lang)


def display_table(
    table: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    values: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> Styler:
    """``table`` as a propensity report shows it (`crmlab.core.display.display_table`).

    Headings from ``propensity.col.<column>`` (gains tables' customers and responders headed as
    cases and positives, `SAME_AS`), numbers by `KINDS`, model keys as model names; ``values``
    translates the cells of further columns (column -> message prefix).
    """
    shown = table if columns is None else table.loc[:, list(columns)]
    shown = shown.rename(columns={c: h for c, h in SAME_AS.items() if h not in shown.columns})
    return core_display_table(
        shown, headings=HEADINGS, kinds=KINDS, values={**VALUES, **(values or {})}, caption=caption, lang=lang
    )


def dropped_table(prepared: Prepared, *, lang: str | None = None) -> Styler:
    """The columns `crmlab.propensity.preparation.prepare` left out, and why: column, reason."""
    rows = pd.DataFrame({"column": list(prepared.dropped), "reason": list(prepared.dropped.values())})
    return display_table(rows, values={"reason": "propensity.drop"}, lang=lang)


def choice_sentence(comparison: pd.DataFrame, chosen: str, *, metric: str, lang: str | None = None) -> str:
    """Which model was chosen and by which metric, in ``lang`` (``comparison`` as in `best_model`).

    >>> table = pd.DataFrame({"model": ["logistic", "mlp"], "pr_auc": [0.31, 0.28]})
    >>> choice_sentence(table, "logistic", metric="pr_auc", lang="en")
    'Chosen model: **Logistic regression**. Ranking metric PR AUC: 0.310, the highest of the models compared.'
    """
    value = float(comparison.loc[comparison["model"] == chosen, metric].iloc[0])
    return t(
        "propensity.chosen_by",
        lang,
        model=model_label(chosen, lang),
        metric=metric_label(metric, lang),
        value=value,
    )


def auc_verdict(auc: float) -> str:
    """``weak``, ``modest``, ``good`` or ``strong``: where ``auc`` falls among the `AUC_BARS`.

    >>> auc_verdict(0.557), auc_verdict(0.6), auc_verdict(0.845)
    ('weak', 'modest', 'strong')
    """
    return next((verdict for bar, verdict in AUC_BARS if auc < bar), "strong")


def verdict_sentence(auc: float, model: str, lang: str | None = None) -> str:
    """How good ``model`` is by its ROC AUC, with the bars it is judged by."""
    verdict = t(f"propensity.verdict.{auc_verdict(auc)}", lang)
    return t("propensity.verdict.sentence", lang, auc=auc, model=model_label(model, lang), verdict=verdict)


def gains_caption(gains: pd.DataFrame, model: str, lang: str | None = None, *, noun: str = "positive") -> str:
    """What a gains chart shows for ``model``: the share of positives its first score band finds, and the lift.

    ``gains`` is a `crmlab.propensity.evaluation.gains_table` (optionally stacked with a ``model`` column);
    ``noun`` names the positives (as in `crmlab.propensity.charts.plot_gains`).
    """
    part = gains[gains["model"] == model] if "model" in gains.columns else gains
    first = part.iloc[0]
    share, found = float(first["cum_customers_share"]), float(first["cum_responders_share"])
    text = t(
        "propensity.chart.gains_caption",
        lang,
        share=share,
        found=found,
        model=model_label(model, lang),
        noun=t(f"propensity.noun.{noun}", lang),
        lift=found / share if share else float("nan"),
    )
    if "model" in gains.columns and gains["model"].nunique() > 1:
        firsts = gains.groupby("model", sort=False)["cum_responders_share"].first()
        spread = float(firsts.max() - firsts.min())
        if spread < CLOSE_GAINS:
            text = sentences(text, t("propensity.chart.gains_close", lang, spread=spread), lang=lang)
    return text


def weak_models_sentence(table: pd.DataFrame, lang: str | None = None) -> str:
    """The models of ``table`` (model, roc_auc) that are weak by the `AUC_BARS`, in a sentence; empty if none."""
    pairs = zip(table["model"], table["roc_auc"], strict=True)
    weak = [model_label(m, lang) for m, auc in pairs if auc_verdict(auc) == "weak"]
    return t("propensity.verdict.weak_models", lang, models=t("common.list_sep", lang).join(weak)) if weak else ""
