"""Tests of crmlab.retention.defection: products held, defection models, risk drivers."""

import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.synthetic.retention import make_defection
from crmlab.retention import defection as retention
from tests.conftest import zh_message


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
    assert models.best == "logistic" and models.metric == "roc_auc"
    assert models.table.columns.tolist()[-1] == "top_decile_lift"
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


def test_defection_models_rank_by_the_named_metric(synthetic):
    by_lift = retention.defection_models(
        synthetic, target="defected", models=("logistic", "tree"), metric="top_decile_lift", folds=3, seed=0
    )
    lifts = by_lift.lifts.set_index("model")["top_decile_lift"]
    assert by_lift.best == lifts.idxmax() and by_lift.metric == "top_decile_lift"


@pytest.mark.parametrize(
    ("error", "call"),
    [
        (ParameterError, lambda d: retention.count_products(d, product_cols=[])),
        (ParameterError, lambda d: retention.products_held(d, target="defected")),
        (InputError, lambda d: retention.products_held(d, target="defected", product_cols=["prodcts"])),
        (
            InputError,
            lambda d: retention.products_held(
                d.assign(products_held=np.nan), target="defected", count_col="products_held"
            ),
        ),
        (InputError, lambda d: retention.products_held(d.iloc[0:0], target="defected", count_col="products_held")),
        (ParameterError, lambda d: retention.defection_models(d, target="defected", models=("forest",))),
    ],
)
def test_errors_read_in_chinese(synthetic, error, call):
    zh_message(lambda: call(synthetic), error)
