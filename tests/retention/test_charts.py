"""Tests of crmlab.retention.charts: each chart draws, its text from the catalogue."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab.data.synthetic.retention import make_defection, make_response  # noqa: E402
from crmlab.retention import charts as plots  # noqa: E402
from crmlab.retention import defection as retention  # noqa: E402
from crmlab.retention import targeting  # noqa: E402
from crmlab.retention.campaign import plan_campaign  # noqa: E402

SCORED = pd.DataFrame({"risk": [0.8, 0.6, 0.2, 0.9], "monthly": [100.0, 50.0, 100.0, 10.0]})


@pytest.fixture(scope="module")
def models():
    data = make_defection(3000, seed=0)
    return retention.defection_models(data, target="defected", models=("logistic", "tree"), folds=3, seed=0)


@pytest.fixture(scope="module")
def response_result():
    data = make_response(8000, seed=1)
    return targeting.fit_response_models(data, target="responded", models=("logistic", "tree"), seed=0)


def test_charts_take_their_text_from_the_catalogue(models):
    products = retention.products_held(make_defection(400, seed=1), target="defected", count_col="products_held")
    ax = plots.plot_products_held(products, lang="zh")
    assert ax.get_title() == "按持有产品数量看客户流失"
    ax = plots.plot_model_comparison(models, lang="en")
    assert "3-fold" in ax.get_title()
    campaign = plan_campaign(SCORED, value_col="monthly", risk_threshold=0.5)
    ax = plots.plot_campaign(campaign, lang="zh")
    assert ax.get_xlabel() == "按风险从高到低联系的合格客户数"
    plt.close("all")


def test_decile_response_chart_reads_as_rate_and_lift(response_result):
    ax = plots.plot_decile_response(response_result, model="logistic", lang="zh")
    assert ax.get_title() == "逻辑回归模型各十分位的响应率"
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(response_result.gains["logistic"]["response_rate"].tolist())
    plt.close("all")


def test_model_comparison_names_models_and_metrics_once(models):
    ax = plots.plot_model_comparison(models, lang="zh")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["逻辑回归", "决策树"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ROC AUC", "PR AUC"]
    plt.close("all")
