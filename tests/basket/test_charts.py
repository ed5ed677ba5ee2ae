"""The spider-web chart draws one curve per edge and Chinese labels without missing glyphs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from crmlab.basket.charts import plot_spider_web
from crmlab.basket.pairs import spider_web
from crmlab.basket.rules import mine
from crmlab.data.synthetic.baskets import make_baskets


def test_spider_web_chart_draws_chinese_labels() -> None:
    lines, _ = make_baskets(0, n_customers=300, lang="zh")
    web = spider_web(mine(lines, min_support=0.01), top_n=10)
    ax = plot_spider_web(web, lang="zh")
    texts = {t.get_text() for t in ax.texts}
    assert "尿布" in texts and "蜘蛛网图" in ax.get_title()
    assert len(ax.patches) == len(web.edges)
    assert "提升度" in ax.get_legend().get_texts()[1].get_text()
