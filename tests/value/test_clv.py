import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.core.errors import InputError, ParameterError
from crmlab.data.summary import customer_summary
from crmlab.value import clv
from tests.conftest import zh_message


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


def test_a_fit_that_cannot_converge_stops_with_a_clear_error():
    # Half the customers buy three times in their first week and never again, half never come back:
    # the likelihood rises without limit as a and b grow (a drop-out probability with no spread).
    table = pd.DataFrame({"frequency": [3] * 50 + [0] * 50, "recency": [1.0] * 50 + [0.0] * 50, "T": [30.0] * 100})
    with pytest.raises(InputError, match=r"The BG/NBD fit did not converge: the optimiser stopped"):
        clv.fit_bgnbd(table)
    zh_message(lambda: clv.fit_bgnbd(table))


def test_gamma_gamma_without_spread_in_spend_has_no_maximum():
    table = pd.DataFrame({"frequency": [2] * 20, "monetary_value": [10.0] * 20})
    with pytest.raises(InputError, match=r"Gamma-Gamma fit did not converge: the parameter \w+ ran off"):
        clv.fit_gamma_gamma(table)
    assert "没有收敛" in zh_message(lambda: clv.fit_gamma_gamma(table))


@pytest.mark.filterwarnings("ignore:The 'mode.chained_assignment' option")  # lifetimes sets it on import
def test_expected_repeat_purchases_matches_lifetimes(cdnow_fit):
    from lifetimes import BetaGeoFitter  # the archived reference implementation, as an oracle

    oracle = BetaGeoFitter()
    oracle.params_ = pd.Series({k: getattr(cdnow_fit, k) for k in ("r", "alpha", "a", "b")})
    weeks = np.array([0.0, 1.0, 10.0, 39.0, 78.0])
    np.testing.assert_allclose(
        clv.expected_repeat_purchases(cdnow_fit, weeks), oracle.expected_number_of_purchases_up_to_time(weeks)
    )


@pytest.fixture(scope="module")
def cdnow_holdout() -> clv.HoldoutCheck:
    return clv.holdout_check(datasets.load("cdnow_sample"))


def test_cdnow_holdout_check_in_the_manner_of_fhl(cdnow_holdout, cdnow_fit, cdnow_table):
    # FHL (2005): calibration weeks 1-39 (to 1997-09-30), holdout weeks 40-78 (to 1998-06-30)
    check = cdnow_holdout
    assert (check.calibration_end, check.end) == (pd.Timestamp("1997-09-30"), pd.Timestamp("1998-06-30"))
    assert check.holdout_weeks == 39.0
    assert (check.bgnbd.r, check.bgnbd.a) == (cdnow_fit.r, cdnow_fit.a)  # the published fit
    tx = datasets.load("cdnow_sample")
    days = tx.assign(day=tx["timestamp"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    assert check.actual == (days["day"] > "1997-09-30").sum() == 1882  # hand count: repeat purchase days
    assert abs(check.error) < 0.15
    assert abs(check.conditional_error) < 0.15
    track = check.tracking
    assert len(track) == 78 and track["holdout"].sum() == 39
    assert track["actual"].is_monotonic_increasing and track["predicted"].is_monotonic_increasing
    assert track["actual"].iloc[38] == (days["day"] <= "1997-09-30").sum() - len(cdnow_table)
    # The forecast at the end of calibration is the model's expectation over each customer's own T.
    at_cut = clv.expected_repeat_purchases(cdnow_fit, cdnow_table["T"].to_numpy()).sum()
    assert track["predicted"].iloc[38] == pytest.approx(at_cut)
    assert check.predicted == pytest.approx(track["predicted"].iloc[-1] - at_cut)


def test_holdout_check_leaves_out_later_customers_and_checks_its_dates():
    tx = datasets.load("cdnow_sample")
    late = pd.DataFrame(
        {"customer_id": ["new"] * 2, "timestamp": pd.to_datetime(["1998-03-01", "1998-04-01"]), "amount": [5.0, 6.0]}
    )
    check = clv.holdout_check(pd.concat([tx, late], ignore_index=True), calibration_end="1997-09-30")
    assert check.n_later == 1
    assert check.actual == 1882  # the late customer's purchases are not in the check
    with pytest.raises(ParameterError, match="calibration_end 1999-01-01"):
        clv.holdout_check(tx, calibration_end="1999-01-01")
    zh_message(lambda: clv.holdout_check(tx, calibration_end="1996-01-01"), ParameterError)


def test_holdout_chart_draws_actual_and_forecast_with_the_calibration_end(cdnow_holdout):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlab.value import charts

    ax = charts.plot_holdout(cdnow_holdout, lang="zh")
    actual, predicted, cut = ax.get_lines()
    assert actual.get_ydata()[-1] == cdnow_holdout.tracking["actual"].iloc[-1]
    assert predicted.get_ydata()[-1] == pytest.approx(cdnow_holdout.tracking["predicted"].iloc[-1])
    assert cut.get_xdata()[0] == 39
    assert ax.get_title() == "BG/NBD 校准期与验证期：累计重复购买次数"
    plt.close(ax.figure)
