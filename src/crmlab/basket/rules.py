"""Frequent itemsets and association rules "if {A, B} then {C}", their table and threshold advice.

``lines or baskets -> Itemsets (table, n_baskets, n_items, min_support) -> Rules (table, n_baskets, ...)``

Metrics follow mlxtend's definitions: support = share of baskets with antecedent and consequent;
confidence = support / support(antecedent); lift = confidence / support(consequent); leverage =
support - support(antecedent) x support(consequent); conviction = (1 - support(consequent)) /
(1 - confidence), infinite when confidence is 1.

The basket count and the thresholds travel as fields of `Itemsets` and `Rules`, so filtering a
table never loses them: ``dataclasses.replace(itemsets, table=itemsets.table[...])``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from crmlab.basket.io import baskets_of
from crmlab.basket.miner import EncodedBaskets, encode_baskets, frequent_itemsets
from crmlab.core.checks import check_choice, check_range
from crmlab.core.display import display_table, heading
from crmlab.core.errors import InputError
from crmlab.core.i18n import t

__all__ = [
    "HEADINGS",
    "METRICS",
    "Itemsets",
    "Rules",
    "advice_text",
    "association_rules",
    "check_metric",
    "mine",
    "pruning_text",
    "rule_metrics",
    "rule_sentences",
    "rule_table",
    "rules_csv",
    "summary_text",
    "top_rule_meaning",
    "threshold_advice",
]

#: Rule metrics that can rank rules and weigh spider-web edges.
METRICS: tuple[str, ...] = ("lift", "confidence", "support", "leverage", "conviction")
#: Message prefixes of the column headings of basket tables: basket's own, then the words it shares
#: with the propensity tables (``rule``, ``support``, ``lift``: one English text, one key).
HEADINGS: tuple[str, ...] = ("basket.col", "propensity.col")
#: Kind of number of each column of a rule table (see `crmlab.core.display.KINDS`).
RULE_KINDS: dict[str, str] = {
    "antecedent_count": "count",
    "count": "count",
    "support": "{:.2%}",
    "confidence": "percent",
    "lift": "ratio",
}


@dataclass(frozen=True)
class Itemsets:
    """Frequent itemsets and what they were mined from.

    ``table``: ``support`` (share of baskets), ``itemsets`` (frozensets of items) and ``count``
    (baskets), as `crmlab.basket.miner.frequent_itemsets` returns it. ``n_baskets``: baskets mined;
    ``n_items``: distinct items in them; ``min_support``: the threshold used.
    """

    table: pd.DataFrame
    n_baskets: int
    n_items: int
    min_support: float

    def __len__(self) -> int:
        return len(self.table)

    def counts(self, size: int) -> dict[frozenset[object], int]:
        """Basket count of each itemset of ``size`` items."""
        table = self.table[self.table["itemsets"].map(len) == size]
        return dict(zip(table["itemsets"], table["count"].astype(int), strict=True))


@dataclass(frozen=True)
class Rules:
    """Association rules and the thresholds that produced them.

    ``table``: ``antecedents``, ``consequents`` (frozensets), ``antecedent_count``,
    ``consequent_count``, ``count`` (baskets with both), ``support``, ``confidence``, ``lift``,
    ``leverage``, ``conviction`` (attribute rules add ``kind``), sorted by ``metric`` then by count.
    ``prune_redundant`` and ``min_improvement``: the pruning applied (see `association_rules`);
    ``n_before_pruning``: the rules that passed ``min_confidence`` before it.
    """

    table: pd.DataFrame
    n_baskets: int
    min_support: float
    min_confidence: float
    metric: str
    prune_redundant: bool = True
    min_improvement: float = 0.1
    n_before_pruning: int = 0

    def __len__(self) -> int:
        return len(self.table)


def mine(
    lines: pd.DataFrame | Sequence[Sequence[str]] | EncodedBaskets,
    *,
    min_support: float = 0.01,
    max_len: int | None = None,
) -> Itemsets:
    """Frequent itemsets of basket lines (or of a list of baskets) with `crmlab.basket.miner`.

    Parameters
    ----------
    lines
        Basket lines (``invoice_id``, ``item``; see `crmlab.basket.io.baskets_of`), a list of
        baskets (each a list of items) or `EncodedBaskets`.
    min_support
        Minimum share of baskets, in (0, 1].
    max_len
        Longest itemset (None or 0: no limit).

    Examples
    --------
    >>> itemsets = mine([["tea", "milk"], ["tea"], ["milk", "tea"], ["bread"]], min_support=0.5)
    >>> len(itemsets), itemsets.n_baskets, itemsets.n_items
    (3, 4, 3)
    """
    baskets = baskets_of(lines) if isinstance(lines, pd.DataFrame) else lines
    encoded = baskets if isinstance(baskets, EncodedBaskets) else encode_baskets(baskets)
    if encoded.n_baskets == 0:
        raise InputError(t("basket.err.no_baskets", context=t("basket.context.lines")))
    table = frequent_itemsets(encoded, min_support=min_support, max_len=max_len or None)
    n_items = int(np.count_nonzero(np.bincount(encoded.matrix.indices, minlength=len(encoded.items))))
    return Itemsets(table=table, n_baskets=encoded.n_baskets, n_items=n_items, min_support=float(min_support))


def rule_metrics(
    antecedent_count: np.ndarray, consequent_count: np.ndarray, count: np.ndarray, n_baskets: int
) -> dict[str, np.ndarray]:
    """Support, confidence, lift, leverage and conviction of rules from their basket counts.

    >>> m = rule_metrics(np.array([6.0]), np.array([5.0]), np.array([4.0]), 10)
    >>> [round(float(m[k][0]), 4) for k in ("support", "confidence", "lift", "leverage", "conviction")]
    [0.4, 0.6667, 1.3333, 0.1, 1.5]
    """
    a_count = np.asarray(antecedent_count, dtype=float)
    both = np.asarray(count, dtype=float)
    support = both / n_baskets
    confidence = both / a_count
    c_support = np.asarray(consequent_count, dtype=float) / n_baskets
    with np.errstate(divide="ignore", invalid="ignore"):
        conviction = np.where(confidence < 1, (1 - c_support) / (1 - confidence), np.inf)
    return {
        "support": support,
        "confidence": confidence,
        "lift": confidence / c_support,
        "leverage": support - (a_count / n_baskets) * c_support,
        "conviction": conviction,
    }


def check_metric(metric: str) -> str:
    """Return ``metric`` if it is one of `METRICS`, else raise ParameterError with a suggestion."""
    return check_choice(metric, "metric", METRICS)


def association_rules(
    itemsets: Itemsets,
    *,
    min_confidence: float = 0.3,
    metric: str = "lift",
    min_improvement: float = 0.1,
    prune_redundant: bool = True,
) -> Rules:
    """Association rules "if antecedent then consequent" from frequent itemsets.

    Parameters
    ----------
    itemsets
        What `mine` returns.
    min_confidence
        Keep rules with confidence >= this, in [0, 1].
    metric
        Rank rules by this column, highest first (see `METRICS`).
    min_improvement
        With ``prune_redundant``: keep a rule only when its confidence is at least ``1 +
        min_improvement`` times the confidence of every simpler rule with the same consequent
        (a smaller antecedent, including the empty one, i.e. the consequent's base rate). With the
        default 0.1, "if {chips, milk} then salsa" is dropped when "if chips then salsa" is about as
        confident, and every rule has lift >= 1.1. Use 0 to keep only rules with lift >= 1.
    prune_redundant
        Drop redundant rules as ``min_improvement`` says. False keeps every rule that passes
        ``min_confidence``: the rules of ``mlxtend.frequent_patterns.association_rules(...,
        metric="confidence", min_threshold=min_confidence)`` and of R's arules on the same
        itemsets, with the same metrics.

    Returns
    -------
    Rules
        The rule table (see `Rules`) with the basket count, the thresholds and the number of
        rules before pruning.
    """
    check_metric(metric)
    check_range(min_confidence, "min_confidence", low=0, high=1)
    n = itemsets.n_baskets
    table = itemsets.table
    count_of: dict[frozenset[object], int] = dict(zip(table["itemsets"], table["count"], strict=True))
    count_of[frozenset()] = n
    factor = 1.0 + float(min_improvement)
    rows = []
    n_confident = 0
    for itemset, both in count_of.items():
        if len(itemset) < 2:
            continue
        members = sorted(itemset, key=str)
        for size in range(1, len(members)):
            for antecedent in combinations(members, size):
                a = frozenset(antecedent)
                confidence = both / count_of[a]
                if confidence < min_confidence:
                    continue
                n_confident += 1
                c = itemset - a
                if prune_redundant and any(
                    confidence < factor * count_of[frozenset(sub) | c] / count_of[frozenset(sub)]
                    for k in range(size)
                    for sub in combinations(antecedent, k)
                ):
                    continue
                rows.append((a, c, count_of[a], count_of[c], both))
    columns = ["antecedents", "consequents", "antecedent_count", "consequent_count", "count"]
    rules = pd.DataFrame(rows, columns=columns)
    rules = rules.assign(
        **rule_metrics(
            rules["antecedent_count"].to_numpy(), rules["consequent_count"].to_numpy(), rules["count"].to_numpy(), n
        )
    )
    rules = rules.sort_values([metric, "count"], ascending=False, kind="stable", ignore_index=True)
    return Rules(
        table=rules,
        n_baskets=n,
        min_support=itemsets.min_support,
        min_confidence=float(min_confidence),
        metric=metric,
        prune_redundant=bool(prune_redundant),
        min_improvement=float(min_improvement),
        n_before_pruning=n_confident,
    )


def _set_text(items: Iterable[object], lang: str | None) -> str:
    return t("common.list_sep", lang).join(sorted(map(str, items)))


def rule_sentences(
    rules: Rules, *, top: int | None = None, lang: str | None = None, sentence: str = "basket.rule_sentence"
) -> list[str]:
    """The first ``top`` rules (all with None) as sentences, e.g. "if {bread, butter} then {jam}".

    ``sentence`` is the message with ``{antecedent}`` and ``{consequent}`` fields.
    """
    head = rules.table if top is None else rules.table.head(top)
    return [
        t(sentence, lang, antecedent=_set_text(a, lang), consequent=_set_text(c, lang))
        for a, c in zip(head["antecedents"], head["consequents"], strict=True)
    ]


def rule_table(
    rules: Rules, *, top: int = 10, lang: str | None = None, sentence: str = "basket.rule_sentence"
) -> Styler:
    """The top rules as a report table: the rule as a sentence, its counts and metrics.

    Columns: rule (from the message ``sentence``), the kind of consequent when the table has a
    ``kind`` column (attribute rules), baskets with the antecedent, baskets with both, support,
    confidence, lift.
    """
    head = rules.table.head(top).assign(rule=rule_sentences(rules, top=top, lang=lang, sentence=sentence))
    shown = ["rule", *(["kind"] if "kind" in head.columns else []), *RULE_KINDS]
    return display_table(
        head, headings=HEADINGS, kinds=RULE_KINDS, values={"kind": "basket.kind"}, columns=shown, lang=lang
    )


def top_rule_meaning(rules: Rules, *, lang: str | None = None) -> str:
    """What the first rule means in words (its lift and confidence), for the headline figure; empty without rules."""
    if not len(rules):
        return ""
    top = rules.table.iloc[0]
    return t(
        "basket.say.top_lift",
        lang,
        antecedent=t("basket.item_join", lang).join(sorted(map(str, top["antecedents"]))),
        consequent=t("basket.item_join", lang).join(sorted(map(str, top["consequents"]))),
        lift=float(top["lift"]),
        confidence=float(top["confidence"]),
    )


def rules_csv(rules: Rules, *, lang: str | None = None) -> pd.DataFrame:
    """Every rule as a spreadsheet reads it: itemsets as text ("citrus fruit + other vegetables"), headings in ``lang``.

    Write it with `crmlab.core.csvfile.write_csv` (UTF-8 with a BOM, so Excel shows Chinese).
    """
    joiner = t("basket.item_join", lang)
    table = rules.table.assign(
        **{
            side: [joiner.join(sorted(map(str, s))) for s in rules.table[side]]
            for side in ("antecedents", "consequents")
        }
    )
    return table.rename(columns={c: heading(c, HEADINGS, lang) for c in table.columns})


def _round_up(value: float) -> float:
    """``value`` rounded up to two significant digits.

    >>> round(_round_up(0.01234), 6), round(_round_up(0.5), 6)
    (0.013, 0.5)
    """
    if value <= 0:
        return value
    scale = 10 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / scale - 1e-9) * scale


def threshold_advice(
    itemsets: Itemsets,
    rules: Rules,
    *,
    max_rules: int = 500,
    min_baskets: int = 5,
    lang: str | None = None,
) -> list[str]:
    """Warnings, with a suggested ``min_support``, when the thresholds make the output unreadable.

    Three cases: rules rest on fewer than ``min_baskets`` baskets (coincidences); more than
    ``max_rules`` rules (nobody reads them; the suggestion keeps about ``max_rules`` itemsets);
    no rule at all (the suggestion is the support of the tenth most frequent pair, or half the
    current threshold).
    """
    n = itemsets.n_baskets
    current = itemsets.min_support
    table = itemsets.table
    multi = table.loc[table["itemsets"].map(len) >= 2, "support"].sort_values(ascending=False)
    advice = []
    if current * n < min_baskets:
        advice.append(
            t("basket.warn_tiny", lang, n=math.ceil(current * n), k=min_baskets, suggest=_round_up(min_baskets / n))
        )
    if len(rules) > max_rules:
        suggest = _round_up(float(multi.iloc[min(max_rules, len(multi) - 1)]))
        advice.append(t("basket.warn_many", lang, n=len(rules), k=max_rules, suggest=suggest))
    elif len(rules) == 0:
        suggest = float(multi.iloc[min(9, len(multi) - 1)]) if len(multi) else current / 2
        advice.append(t("basket.warn_none", lang, suggest=_round_up(suggest) if len(multi) else suggest))
    return advice


def summary_text(itemsets: Itemsets, rules: Rules, *, lang: str | None = None) -> str:
    """The sentence under the mining step: baskets, distinct items, frequent itemsets and rules."""
    return t(
        "basket.summary",
        lang,
        n_baskets=itemsets.n_baskets,
        n_items=itemsets.n_items,
        n_itemsets=len(itemsets),
        n_rules=len(rules),
    )


def pruning_text(rules: Rules, *, lang: str | None = None) -> str:
    """The sentence on pruning: how many rules passed the thresholds and how many redundant ones were dropped.

    Empty when no rule passed the thresholds (the threshold advice says so).
    """
    if rules.n_before_pruning == 0:
        return ""
    if not rules.prune_redundant:
        return t("basket.pruning_off", lang, n=len(rules))
    removed = rules.n_before_pruning - len(rules)
    if removed == 0:
        return t("basket.pruning_none", lang, n=len(rules))
    return t(
        "basket.pruning",
        lang,
        before=rules.n_before_pruning,
        removed=removed,
        improvement=rules.min_improvement,
        n=len(rules),
    )


def advice_text(itemsets: Itemsets, rules: Rules, *, lang: str | None = None) -> str:
    """`threshold_advice` as bold paragraphs, or a sentence saying the thresholds are fine."""
    advice = threshold_advice(itemsets, rules, lang=lang)
    return "\n\n".join(f"**{a}**" for a in advice) or t("basket.thresholds_ok", lang)
