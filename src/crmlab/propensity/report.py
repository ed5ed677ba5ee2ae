"""What a propensity report shows besides charts: model names, tables and generated sentences.

Every table goes through `crmlab.core.display.display_table` with the headings of
``propensity.col.<column>`` and the model names of ``propensity.model.<key>`` (one name per model).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.core.display import display_table as core_display_table
from crmlab.core.i18n import catalogue, t
from crmlab.propensity.preparation import Prepared

__all__ = ["KINDS", "SAME_AS", "choice_sentence", "display_table", "dropped_table", "metric_label", "model_label"]

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
    headings: str | Sequence[str] = (),
    kinds: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    same_as: Mapping[str, str] = SAME_AS,
    lang: str | None = None,
) -> Styler:
    """``table`` as a report shows it: `crmlab.core.display.display_table` with propensity headings.

    ``headings`` are message prefixes tried before ``propensity.col`` (a family's own headings),
    ``kinds`` and ``values`` add to `KINDS` and to translating the ``model`` column; ``same_as``
    maps a column to the column whose heading it takes (default `SAME_AS`).
    """
    prefixes = [headings] if isinstance(headings, str) else list(headings)
    shown = table if columns is None else table.loc[:, list(columns)]
    shown = shown.rename(columns={c: h for c, h in same_as.items() if h not in shown.columns})
    return core_display_table(
        shown,
        headings=[*prefixes, "propensity.col"],
        kinds={**KINDS, **(kinds or {})},
        values={"model": "propensity.model", **(values or {})},
        caption=caption,
        lang=lang,
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
