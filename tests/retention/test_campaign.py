"""Tests of crmlab.retention.campaign: the economics of a retention campaign, checked by hand."""

import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.retention import campaign as campaign_mod
from tests.conftest import zh_message


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
        "margin": 0.5,
        "value_threshold": 100,
        "retained_share": 0.25,
        "expected_life": 2,
    }
    campaign = campaign_mod.plan_campaign(scored, **terms, risk_threshold=0.5, contact_cost=10)
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
    table = campaign_mod.plan_campaign(scored, **terms, contact_cost=10, bands=3).table
    # Eligible a, b, c in risk order, one per band.
    assert table["customers"].tolist() == [1, 1, 1]
    assert table["net_value"].tolist() == pytest.approx([230, 80, 50])
    assert table["cum_net_value"].iloc[-1] == pytest.approx(360)
    # Contact cost 60: nets a 180, b 30, c 0 -> the best is to contact a and b (210).
    costly = campaign_mod.plan_campaign(scored, **terms, contact_cost=60)
    assert (costly.best_targeted, costly.best_value) == (2, pytest.approx(210))
    assert scored.equals(_scored())  # input not mutated


def test_plan_campaign_bad_input():
    scored = _scored()
    with pytest.raises(InputError, match="'risk' must lie between 0 and 1.*row 2: 1.5"):
        campaign_mod.plan_campaign(scored.assign(risk=[0.1, 1.5, 0.2, 0.3]), value_col="monthly")
    with pytest.raises(InputError, match="monthly"):
        campaign_mod.plan_campaign(scored.assign(monthly=[1, None, 2, 3]), value_col="monthly")
    with pytest.raises(InputError, match="margin"):
        campaign_mod.plan_campaign(scored, value_col="margin")
    with pytest.raises(ParameterError, match="retained_share"):
        campaign_mod.plan_campaign(scored, value_col="monthly", retained_share=35)


@pytest.mark.parametrize(
    ("error", "change"),
    [
        (ParameterError, {"retained_share": 35}),
        (ParameterError, {"margin": 30}),
        (ParameterError, {"contact_cost": -1}),
        (InputError, {"value_col": "margin"}),
        (InputError, {"scored": _scored().assign(monthly=[1, None, 2, 3])}),
        (InputError, {"scored": _scored().assign(risk=[0.1, 1.5, 0.2, 0.3])}),
        (InputError, {"scored": _scored().assign(risk=["x", 0.5, 0.2, 0.3])}),
        (InputError, {"scored": _scored().iloc[0:0]}),
    ],
)
def test_errors_read_in_chinese(error, change):
    terms = {"scored": _scored(), "value_col": "monthly", **change}
    zh_message(lambda: campaign_mod.plan_campaign(terms.pop("scored"), **terms), error)
