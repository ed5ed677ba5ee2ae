"""Tests of crmlab.retention.defection: products held, defection models, risk drivers, campaign economics."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError  # noqa: E402
from crmlab.data.synthetic.retention import make_defection  # noqa: E402
from crmlab.retention import charts as plots  # noqa: E402
from crmlab.retention import defection as retention  # noqa: E402


@pytest.fixture(scope="module")
def synthetic():
    return make_defection(3000, seed=0)


# ---------------------------------------------------------------- products held


def test_count_products_reads_yes_no_and_service_names():
    frame = pd.DataFrame(
        {
            "phone": ["Yes", "No", "yes", None],
            "internet": ["Fiber optic", "No internet service", "DSL", "DSL"],
            "tv": [1, 0, 0, 1],
        }
    )
    counts = retention.count_products(frame, product_cols=["phone", "internet", "tv"])
    assert counts.tolist() == [3, 0, 2, 2]


def test_products_held_table_by_hand():
    frame = pd.DataFrame(
        {
            "n": [1, 1, 1, 1, 2, 2, 3, 3],
            "left": ["yes", "yes", "yes", "no", "yes", "no", "no", "no"],
        }
    )
    result = retention.products_held(frame, target="left", count_col="n")
    table = result.table.set_index("products_held")
    assert table["customers"].tolist() == [4, 2, 2]
    assert table["defectors"].tolist() == [3, 1, 0]
    assert table["defection_rate"].tolist() == pytest.approx([0.75, 0.5, 0.0])
    # 3 of the 4 defectors held one product.
    assert result.one_product_share == pytest.approx(0.75)
    assert result.rate_one == pytest.approx(0.75)
    assert result.rate_more == pytest.approx(0.25)


def test_products_held_recovers_the_planted_one_product_share(synthetic):
    result = retention.products_held(synthetic, target="defected", count_col="products_held")
    defectors = synthetic[synthetic["defected"] == "yes"]
    assert result.one_product_share == pytest.approx((defectors["products_held"] == 1).mean())
    # Planted: each product held lowers the odds of defecting.
    assert result.one_product_share > 0.5
    assert result.table["defection_rate"].is_monotonic_decreasing


def test_products_held_bad_input(synthetic):
    with pytest.raises(ParameterError, match="exactly one"):
        retention.products_held(synthetic, target="defected")
    with pytest.raises(InputError, match="prodcts"):
        retention.products_held(synthetic, target="defected", product_cols=["prodcts"])
    with pytest.raises(InputError, match="products_held"):
        bad = synthetic.assign(products_held=synthetic["products_held"].astype(str).replace("2", "two"))
        retention.products_held(bad, target="defected", count_col="products_held")
    with pytest.raises(InputError, match="defectd"):
        retention.products_held(synthetic, target="defectd", count_col="products_held")


# ---------------------------------------------------------------- models and risk drivers


@pytest.fixture(scope="module")
def models(synthetic):
    return retention.defection_models(synthetic, target="defected", models=("logistic", "tree"), folds=3, seed=0)


def test_defection_models_rank_defectors(models):
    assert models.cv["model"].tolist() == ["logistic", "tree"]
    assert models.cv.set_index("model").loc["logistic", "roc_auc"] > 0.8
    assert (models.lifts["top_decile_lift"] > 2.0).all()
    assert models.best == "logistic"
    assert set(models.prepared.dropped) == {"customer_id"}
    # Out-of-fold probabilities are mapped back to the real defection rate.
    assert models.scores["logistic"].mean() == pytest.approx(models.scores["y"].mean(), rel=0.15)


def test_risk_drivers_recover_the_planted_directions(models):
    drivers = retention.risk_drivers(models.models["logistic"], models.prepared, seed=0).set_index("feature")
    direction = drivers["direction"]
    assert direction["complaints"] > 0
    assert direction["moved_address"] > 0
    assert direction["products_held"] < 0
    assert direction["balance_change"] < 0
    assert np.isnan(direction["segment"])
    # annual_margin and segment have no planted effect: they rank below the planted drivers.
    planted = drivers.loc[["complaints", "products_held", "moved_address", "balance_change"], "importance"]
    assert planted.min() > drivers.loc["annual_margin", "importance"]
    assert planted.min() > drivers.loc["segment", "importance"]


def test_defection_models_bad_input(synthetic):
    with pytest.raises(ParameterError, match="forest"):
        retention.defection_models(synthetic, target="defected", models=("forest",))
    with pytest.raises(InputError, match="single class"):
        retention.defection_models(synthetic.assign(defected="no"), target="defected")


# ---------------------------------------------------------------- campaign economics


def _scored():
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "risk": [0.8, 0.6, 0.2, 0.9],
            "monthly": [100.0, 50.0, 100.0, 10.0],
        }
    )


def test_plan_campaign_by_hand():
    scored = _scored()
    terms = {
        "value_col": "monthly",
        "periods_per_year": 12,
        "margin_rate": 0.5,
        "value_threshold": 100,
        "retained_share": 0.25,
        "expected_life": 2,
    }
    campaign = retention.plan_campaign(scored, **terms, risk_threshold=0.5, contact_cost=10)
    # Annual margins: a 600, b 300, c 600, d 60 (below 100: not eligible). Targeted: a and b.
    # a: 0.8 × 0.25 × 600 × 2 = 240; b: 0.6 × 0.25 × 300 × 2 = 90. Cost 2 × 10.
    assert campaign.targeted == 2
    assert campaign.expected_defectors == pytest.approx(1.4)
    assert campaign.saved_customers == pytest.approx(0.35)
    assert campaign.saved_value == pytest.approx(330)
    assert campaign.cost == pytest.approx(20)
    assert campaign.value == pytest.approx(310)
    assert campaign.customers["customer_id"].tolist() == ["d", "a", "b", "c"]
    assert campaign.customers.set_index("customer_id")["expected_net"]["c"] == pytest.approx(0.2 * 0.25 * 600 * 2 - 10)
    table = retention.plan_campaign(scored, **terms, contact_cost=10, bands=3).table
    # Eligible a, b, c in risk order, one per band.
    assert table["customers"].tolist() == [1, 1, 1]
    assert table["net_value"].tolist() == pytest.approx([230, 80, 50])
    assert table["cum_net_value"].iloc[-1] == pytest.approx(360)
    # Contact cost 60: nets a 180, b 30, c 0 -> the best is to contact a and b (210).
    costly = retention.plan_campaign(scored, **terms, contact_cost=60)
    assert (costly.best_targeted, costly.best_value) == (2, pytest.approx(210))
    assert scored.equals(_scored())  # input not mutated


def test_plan_campaign_bad_input():
    scored = _scored()
    with pytest.raises(InputError, match="risk.*rows 2"):
        retention.plan_campaign(scored.assign(risk=[0.1, 1.5, 0.2, 0.3]), value_col="monthly")
    with pytest.raises(InputError, match="monthly"):
        retention.plan_campaign(scored.assign(monthly=[1, None, 2, 3]), value_col="monthly")
    with pytest.raises(InputError, match="margin"):
        retention.plan_campaign(scored, value_col="margin")
    with pytest.raises(ParameterError, match="retained_share"):
        retention.plan_campaign(scored, value_col="monthly", retained_share=35)


# ---------------------------------------------------------------- charts


def test_charts_take_their_text_from_the_catalogue(models):
    products = retention.products_held(make_defection(400, seed=1), target="defected", count_col="products_held")
    ax = plots.plot_products_held(products, lang="zh")
    assert ax.get_title() == "按持有产品数量看客户流失"
    ax = plots.plot_model_comparison(models, lang="en")
    assert "3-fold" in ax.get_title()
    campaign = retention.plan_campaign(_scored(), value_col="monthly", risk_threshold=0.5)
    ax = plots.plot_campaign(campaign, lang="zh")
    assert ax.get_xlabel() == "按风险从高到低联系的合格客户数"
    plt.close("all")


def test_display_table_translates_headings_and_model_names():
    table = pd.DataFrame({"model": ["logistic"], "roc_auc": [0.8452], "defection_rate": [0.265], "customers": [7043]})
    shown = retention.display_table(table, "zh")
    assert list(shown.data.columns) == ["模型", "ROC AUC", "流失率", "客户数"]
    assert shown.data.iloc[0, 0] == "逻辑回归"
    html = shown.to_html()
    assert "26.5%" in html and "0.845" in html and "7,043" in html


def test_logistic_defection_model_reaches_the_published_baseline_on_wa_churn():
    # Plain logistic regression with 5-fold CV on the IBM telco data: ROC AUC about 0.845.
    customers = datasets.load("wa_churn")
    models = retention.defection_models(customers, target="churn", models=("logistic",), folds=5, seed=0)
    assert models.cv.loc[0, "roc_auc"] >= 0.84
    assert models.prepared.positive_label == "Yes"


def test_synthetic_data_sets_are_registered_and_reproducible():
    a = datasets.load("retention_defection")
    pd.testing.assert_frame_equal(a, make_defection())
    assert datasets.info("retention_response").kind == "labelled"
    pd.testing.assert_frame_equal(make_defection(200, seed=7), make_defection(200, seed=7))
    assert not make_defection(200, seed=7).equals(make_defection(200, seed=8))


def test_products_held_leaves_out_rows_without_a_target():
    frame = pd.DataFrame({"n": [1, 2, 1, 3], "tenure": [1, 1, 2, 2], "left": ["yes", "no", None, "yes"]})
    result = retention.products_held(frame, target="left", count_col="n")
    assert result.table["customers"].sum() == 3
    assert result.one_product_share == pytest.approx(0.5)
