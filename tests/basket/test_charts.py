"""The spider-web chart: one curve per edge, full horizontal labels in both languages, a key for line width."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

from crmlab.basket.charts import plot_spider_web
from crmlab.basket.pairs import spider_web
from crmlab.basket.rules import mine
from crmlab.data.synthetic.baskets import make_baskets


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_spider_web_chart_labels_items_upright_in_full_with_a_width_key(lang: str) -> None:
    lines, _ = make_baskets(0, n_customers=300, lang=lang)
    web = spider_web(mine(lines, min_support=0.01), top_n=10)
    ax = plot_spider_web(web, lang=lang)
    labels = [t for t in ax.texts if t.get_text() in set(web.nodes["item"])]
    assert len(labels) == len(web.nodes) and all(t.get_rotation() == 0 for t in labels)
    assert all(t.get_fontsize() >= 11 for t in labels)
    assert ("尿布" if lang == "zh" else "diapers") in {t.get_text() for t in labels}
    assert ("蜘蛛网图" if lang == "zh" else "Spider-web") in ax.get_title()
    assert len(ax.patches) == len(web.edges)
    lifts = [t.get_text() for t in ax.texts if t.get_text().endswith("×")]
    assert len(lifts) == min(5, len(web.edges)) and f"{max(web.lift):.1f}×" in lifts  # the strongest are labelled
    key = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(key) == 4 and all(("提升度" if lang == "zh" else "Lift") in k for k in key[1:])
