"""30 basket analysis (关联分析 / 购物篮分析): what sells together, cross-sell, purchase types.

One module per step of notebook ``30-basket-analysis``:

- `io`: basket lines from a file (one row per line, or one basket per line) or a named data set,
  cleaned, and as lists of items;
- `layout`: which of the two layouts a file has, and its basket and item columns, from the data;
- `sanity`: warnings when the lines look misread (ids as items, one-item baskets, ...);
- `miner`: the exact frequent-itemset miner (mlxtend's results, vectorised);
- `rules`: frequent itemsets and association rules (`Itemsets`, `Rules`), the rule table and
  threshold advice;
- `pairs`: pair metrics, the cross-sell table and the spider web (蜘蛛网图);
- `attributes`: banded customer attributes and rules over them;
- `purchase_types`: baskets and customers labelled by purchase type, and the tree of who they are;
- `charts`: the spider-web chart.

The flow a notebook follows::

    lines = load_basket_lines(input_path)               # (invoice_id, item[, customer_id]) per line
    input_text(lines)                                   # the columns used as what, how the file was read and why
    warnings_text(input_warnings(lines.frame))          # signs of a misread file, if any
    itemsets = mine(lines, min_support=0.01)            # Itemsets(table, n_baskets, ...)
    rules = association_rules(itemsets, min_confidence=0.3)  # prune_redundant=False: mlxtend's rules
    pruning_text(rules)                                 # rules before and after pruning
    rule_table(rules, lang="zh")                        # "if {A, B} then {C}", with counts
    cross_sell_table(cross_sell(itemsets))              # best items to offer with each top item
    spider_web(itemsets, top_n=20)                      # nodes and edges of the 蜘蛛网图
    attribute_rules(customers, lines=lines, bands=...)  # rules over banded customer attributes
    labels = label_customers(lines, {"trendy": ["wine", "sweets", "gourmet coffee"]})
    type_rules(customers, labels, bands=...)            # "trendy tends to be: gender = F, ..."

The public functions are re-exported here, so a notebook calls ``basket.mine(...)``.
"""

from crmlab.basket.attributes import attribute_rule_table, attribute_rules, band_attributes
from crmlab.basket.io import (
    INPUT_FORMATS,
    BasketInput,
    baskets_of,
    clean_basket_lines,
    input_text,
    lines_table,
    load_basket_lines,
    load_customers,
    localized_dataset,
    read_basket_lines,
)
from crmlab.basket.layout import Layout, detect_layout, layout_text
from crmlab.basket.pairs import (
    CROSS_SELL_LIFT,
    SpiderWeb,
    cross_sell,
    cross_sell_advice,
    cross_sell_table,
    pair_metrics,
    spider_web,
    strong_pairs,
    web_caption,
)
from crmlab.basket.purchase_types import (
    TypeRules,
    adds_over_baseline,
    classifier_text,
    describe_type_rules,
    label_baskets,
    label_customers,
    type_advice,
    type_rules,
    type_rules_table,
    types_text,
)
from crmlab.basket.rules import (
    METRICS,
    Itemsets,
    Rules,
    advice_text,
    association_rules,
    mine,
    pruning_text,
    rule_metrics,
    rule_sentences,
    rule_table,
    rules_csv,
    summary_text,
    threshold_advice,
    top_rule_meaning,
)
from crmlab.basket.sanity import input_warnings, warnings_text

__all__ = [
    "CROSS_SELL_LIFT",
    "INPUT_FORMATS",
    "METRICS",
    "BasketInput",
    "Itemsets",
    "Layout",
    "Rules",
    "SpiderWeb",
    "TypeRules",
    "adds_over_baseline",
    "advice_text",
    "association_rules",
    "attribute_rule_table",
    "attribute_rules",
    "band_attributes",
    "baskets_of",
    "classifier_text",
    "clean_basket_lines",
    "cross_sell",
    "cross_sell_advice",
    "cross_sell_table",
    "describe_type_rules",
    "detect_layout",
    "label_baskets",
    "input_text",
    "input_warnings",
    "label_customers",
    "layout_text",
    "lines_table",
    "load_basket_lines",
    "load_customers",
    "localized_dataset",
    "mine",
    "pair_metrics",
    "pruning_text",
    "read_basket_lines",
    "rule_metrics",
    "rule_sentences",
    "rule_table",
    "rules_csv",
    "spider_web",
    "strong_pairs",
    "summary_text",
    "threshold_advice",
    "top_rule_meaning",
    "type_advice",
    "type_rules",
    "type_rules_table",
    "types_text",
    "warnings_text",
    "web_caption",
]
