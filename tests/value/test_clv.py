import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.summary import customer_summary
from crmlab.value import clv


@pytest.fixture(scope="module")
def cdnow_table() -> pd.DataFrame:
    """CDNOW 1/10 sample, 39-week calibration period ending 1997-09-30, in weeks."""
    summary = customer_summary(datasets.load("cdnow_sample"), as_of="1997-09-30")
    return clv.frequency_table(summary, unit_days=7.0)


@pytest.fixture(scope="module")
def cdnow_fit(cdnow_table):
    return clv.fit_bgnbd(cdnow_table)


def test_calibration_table_matches_the_paper(cdnow_table):
    # Fader, Hardie & Lee (2005): 2,357 customers, 1,411 with no repeat purchase, T up to 38.86 weeks
    assert len(cdnow_table) == 2357
    assert (cdnow_table["frequency"] == 0).sum() == 1411
    assert cdnow_table["T"].max() == pytest.approx(38.857, abs=1e-3)


def test_bgnbd_reproduces_published_parameters(cdnow_fit):
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert getattr(cdnow_fit, name) == pytest.approx(value, rel=0.01), name
    assert cdnow_fit.log_likelihood == pytest.approx(-9582.4, abs=0.1)


def test_gamma_gamma_reproduces_published_parameters(cdnow_table):
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": p=6.25, q=3.74, gamma=15.44
    fit = clv.fit_gamma_gamma(cdnow_table)
    assert (fit.p, fit.q, fit.gamma) == pytest.approx((6.25, 3.74, 15.44), rel=0.01)
    assert fit.n_customers == 946


def test_published_individual_prediction(cdnow_fit):
    # Fader, Hardie & Lee (2005), section 5: x=2, t_x=30.43, T=38.86 -> 1.226 purchases in 39 weeks
    row = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    assert clv.expected_purchases(cdnow_fit, row, 39.0)[0] == pytest.approx(1.226, abs=0.002)


def test_p_alive_is_one_without_repeats_and_falls_with_silence(cdnow_fit):
    rows = pd.DataFrame({"frequency": [0, 5, 5], "recency": [0.0, 35.0, 5.0], "T": [30.0, 36.0, 36.0]})
    alive = clv.p_alive(cdnow_fit, rows)
    assert alive.iloc[0] == 1.0
    assert alive.iloc[1] > 0.8 > 0.2 > alive.iloc[2]


def test_customer_value_discounting_and_margin(cdnow_table, cdnow_fit):
    gg = clv.fit_gamma_gamma(cdnow_table)
    head = cdnow_table.head(50)
    plain = clv.customer_value(head, cdnow_fit, gg, horizon_months=12, annual_discount_rate=0.0)
    discounted = clv.customer_value(head, cdnow_fit, gg, horizon_months=12, annual_discount_rate=0.1)
    half = clv.customer_value(head, cdnow_fit, gg, horizon_months=12, annual_discount_rate=0.0, margin=0.5)
    assert (discounted < plain).all()
    np.testing.assert_allclose(half, plain / 2)
    expected = clv.expected_purchases(cdnow_fit, head, 12 * clv.DAYS_PER_MONTH / 7) * clv.expected_spend(gg, head)
    np.testing.assert_allclose(plain, expected, rtol=1e-9)


def test_frequency_table_from_summary():
    summary = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "purchase_days": [3, 1],
            "revenue": [50.0, 9.0],
            "first_day_revenue": [10.0, 9.0],
            "recency_days": [7, 14],
            "tenure_days": [21, 14],
        }
    )
    table = clv.frequency_table(summary)
    assert table["frequency"].tolist() == [2, 0]
    assert table["recency"].tolist() == [2.0, 0.0]
    assert table["T"].tolist() == [3.0, 2.0]
    assert table["monetary_value"].tolist() == [20.0, 0.0]


def test_bad_inputs():
    with pytest.raises(InputError, match="recency"):
        clv.fit_bgnbd(pd.DataFrame({"frequency": [1] * 10, "recency": [5.0] * 10, "T": [4.0] * 10}))
    with pytest.raises(InputError, match="purchase_days"):
        clv.frequency_table(pd.DataFrame({"customer_id": ["a"]}))
    with pytest.raises(ParameterError, match="horizon_months"):
        clv.customer_value(pd.DataFrame(), None, None, horizon_months=0)
    with pytest.raises(ParameterError, match="margin"):
        clv.customer_value(pd.DataFrame(), None, None, margin=1.5)
    with pytest.raises(ParameterError, match="unit_days"):
        clv.frequency_table(
            pd.DataFrame(
                columns=["customer_id", "purchase_days", "revenue", "first_day_revenue", "recency_days", "tenure_days"]
            ),
            unit_days=0,
        )
    with pytest.raises(InputError, match=r"at least 10 customers.*has 1 customers"):
        clv.fit_bgnbd(pd.DataFrame({"frequency": [1], "recency": [1.0], "T": [2.0]}))
    with pytest.raises(InputError, match=r"rows 2 "):
        clv.fit_bgnbd(pd.DataFrame({"frequency": [1, 1], "recency": [1.0, 3.0], "T": [2.0, 2.0]}))


def test_params_table_four_decimals_and_meanings(cdnow_table, cdnow_fit):
    gg = clv.fit_gamma_gamma(cdnow_table)
    result = clv.ClvResult(cdnow_table, cdnow_fit, gg, 12, 0.1, 1.0)
    table = clv.params_table(result, lang="zh")
    assert table.data.columns.tolist() == ["参数", "数值", "含义"]
    assert table.data["参数"].tolist() == ["r", "alpha", "a", "b", "p", "q", "gamma"]
    assert table.data.iloc[0, 2] == "购买率分布的形状参数"
    assert f"{cdnow_fit.r:.4f}" in table.to_html()
