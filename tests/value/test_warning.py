import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.data.summary import customer_summary
from crmlab.data.synthetic.value import make_lapsed_transactions
from crmlab.value import clv
from crmlab.value.warning import churn_warning


@pytest.fixture(scope="module")
def planted():
    made = make_lapsed_transactions(seed=3)
    summary = customer_summary(made.data, as_of=made.as_of)
    table = clv.frequency_table(summary)
    summary["p_alive"] = clv.p_alive(clv.fit_bgnbd(table), table).to_numpy()
    return summary, set(made.lapsed_customers)


def test_gap_rule_finds_the_planted_lapsed_customers(planted):
    summary, lapsed = planted
    result = churn_warning(summary, gap_multiple=3.0)
    flagged = set(result.customers.loc[result.customers["gap_flag"], "customer_id"])
    assert flagged == lapsed
    assert result.assessable == len(summary)


def test_p_alive_rule_finds_most_of_them_without_false_alarms(planted):
    summary, lapsed = planted
    result = churn_warning(summary, p_alive_threshold=0.5)
    flagged = set(result.customers.loc[result.customers["p_alive_flag"], "customer_id"])
    assert len(flagged & lapsed) >= 0.7 * len(lapsed)
    assert len(flagged - lapsed) <= 0.02 * len(summary)


def test_same_seed_same_data():
    pd.testing.assert_frame_equal(make_lapsed_transactions(seed=5).data, make_lapsed_transactions(seed=5).data)


def test_groups_and_overlap_hand_computed():
    df = pd.DataFrame(
        {
            "recency_days": [100, 10, 50, 90, 5],
            "median_gap_days": [20.0, 20.0, np.nan, 10.0, 1.0],
            "p_alive": [0.2, 0.9, 0.3, 0.8, 0.1],
            "revenue": [10.0, 30.0, 60.0, 100.0, 0.0],
        }
    )
    result = churn_warning(df, gap_multiple=3.0, p_alive_threshold=0.5)
    g = result.groups.set_index("group")
    assert g["customers"].to_dict() == {
        "gap_rule": 3,
        "p_alive_rule": 3,
        "both": 2,
        "gap_only": 1,
        "p_alive_only": 1,
        "either": 4,
    }
    assert g.loc["gap_only", "revenue"] == 100.0
    assert g.loc["either", "revenue_share"] == pytest.approx(170 / 200)
    assert result.jaccard == pytest.approx(0.5)
    assert result.assessable == 4


def test_bad_input():
    df = pd.DataFrame({"recency_days": [1], "median_gap_days": [1.0], "p_alive": [0.5], "revenue": [1.0]})
    with pytest.raises(InputError, match="p_alive"):
        churn_warning(df.drop(columns="p_alive"))
    with pytest.raises(ParameterError, match="gap_multiple"):
        churn_warning(df, gap_multiple=0)
    with pytest.raises(ParameterError, match="p_alive_threshold"):
        churn_warning(df, p_alive_threshold=1.5)


def test_named_data_set_and_chart():
    import matplotlib

    matplotlib.use("Agg")
    from crmlab import data as datasets
    from crmlab.value.charts import plot_warning

    tx = datasets.load("value_lapsed")
    assert tx["customer_id"].str.startswith("L").groupby(tx["customer_id"]).first().sum() == 40
    df = pd.DataFrame(
        {"recency_days": [100, 10], "median_gap_days": [20.0, 20.0], "p_alive": [0.2, 0.9], "revenue": [1.0, 3.0]}
    )
    ax = plot_warning(churn_warning(df), lang="zh")
    assert ax.get_title() == "流失预警：预警客户与涉及收入"
