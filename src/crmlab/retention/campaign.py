"""The economics of a retention campaign: whom to contact, and what it is worth.

The modelling article's rule: contact only valuable customers at high risk, when the margin the
campaign saves over the customer's expected life is worth more than the cost of the contact.
`plan_campaign` prices the campaign for given thresholds and finds the number of contacts with the
highest net value; its ``table`` shows the cost and benefit band by band, riskiest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.core.checks import check_range, row_examples, row_numbers
from crmlab.core.errors import InputError
from crmlab.core.i18n import t
from crmlab.data.schemas import require_nonempty, require_numeric

__all__ = ["TEXT_RETAINED_SHARE", "Campaign", "plan_campaign"]

#: The largest share of would-be defectors that retention-focused companies kept (the modelling article).
TEXT_RETAINED_SHARE = 0.35


@dataclass(frozen=True)
class Campaign:
    """A retention campaign and its cost-benefit table.

    Attributes
    ----------
    customers
        Every customer with risk, annual_margin, eligible (above the value threshold), targeted
        (eligible and at or above the risk threshold), expected_saved_value, contact_cost and
        expected_net (per customer), sorted by risk, highest first.
    table
        Cost-benefit by risk band of the eligible customers (10 bands, highest risk first): band,
        min_risk, customers, expected_defectors, saved_customers, saved_value, cost, net_value,
        cum_customers, cum_net_value.
    targeted, expected_defectors, saved_customers, saved_value, cost, value
        For the targeted customers: how many, how many are expected to defect, how many the campaign
        keeps, the margin saved over their expected life, the contact cost, and the campaign value
        (saved_value - cost).
    best_targeted, best_value, best_risk
        The number of eligible customers, riskiest first, whose contact gives the highest net value,
        that value (where contacting one more customer would cost more than it saves), and the
        lowest risk among them (NaN when contacting no one is best).
    """

    customers: pd.DataFrame
    table: pd.DataFrame
    targeted: int
    expected_defectors: float
    saved_customers: float
    saved_value: float
    cost: float
    value: float
    best_targeted: int
    best_value: float
    best_risk: float


def plan_campaign(
    scored: pd.DataFrame,
    *,
    risk_col: str = "risk",
    value_col: str = "annual_margin",
    margin: float = 1.0,
    periods_per_year: float = 1.0,
    value_threshold: float = 0.0,
    risk_threshold: float = 0.5,
    retained_share: float = TEXT_RETAINED_SHARE,
    expected_life: float = 3.0,
    contact_cost: float = 10.0,
    bands: int = 10,
) -> Campaign:
    """Expected value of a retention campaign aimed at valuable customers at high risk.

    A customer's annual margin is ``value_col × periods_per_year × margin`` (for monthly
    charges and a 30 % margin: ``periods_per_year=12, margin=0.3``). Customers whose annual margin
    is at least ``value_threshold`` are eligible; eligible customers whose risk is at least
    ``risk_threshold`` are targeted. For each contacted customer::

        saved margin   = risk × retained_share × annual margin
        expected value = saved margin × expected_life − contact_cost

    Parameters
    ----------
    scored
        One row per customer with a defection probability (``risk_col``, between 0 and 1) and a
        value column. Probabilities should be calibrated to the real defection rate.
    risk_col, value_col
        Column names.
    margin, periods_per_year
        Turn the value column into an annual margin (``margin``: profit as a share of revenue, 0 to 1).
    value_threshold
        Smallest annual margin worth a campaign.
    risk_threshold
        Smallest defection probability worth a contact.
    retained_share
        Share of would-be defectors the campaign keeps (the article cites up to 35 %).
    expected_life
        Years a kept customer stays on.
    contact_cost
        Cost of one contact (offer included).
    bands
        Number of risk bands in the cost-benefit table.

    Returns
    -------
    Campaign
    """
    for name, value in (("margin", margin), ("retained_share", retained_share), ("risk_threshold", risk_threshold)):
        check_range(value, name, low=0, high=1)
    for name, value in (("expected_life", expected_life), ("contact_cost", contact_cost)):
        check_range(value, name, low=0)
    context = t("retention.context.campaign")
    require_nonempty(scored, context=context)
    frame = require_numeric(scored, [risk_col, value_col], context=context)
    for column in (risk_col, value_col):
        missing = np.flatnonzero(frame[column].isna().to_numpy())
        if len(missing):
            raise InputError(
                t("data.null_values", context=context, column=column, n=len(missing), rows=row_numbers(missing))
            )
    risk = frame[risk_col]
    outside = np.flatnonzero(((risk < 0) | (risk > 1)).to_numpy())
    if len(outside):
        raise InputError(
            t(
                "data.out_of_range",
                context=context,
                column=risk_col,
                low=0,
                high=1,
                n=len(outside),
                examples=row_examples(outside, risk),
            )
        )
    out = frame.assign(
        risk=risk,
        annual_margin=frame[value_col] * periods_per_year * margin,
    )
    out["eligible"] = out["annual_margin"] >= value_threshold
    out["targeted"] = out["eligible"] & (out["risk"] >= risk_threshold)
    out["expected_saved_value"] = out["risk"] * retained_share * out["annual_margin"] * expected_life
    out["contact_cost"] = float(contact_cost)
    out["expected_net"] = out["expected_saved_value"] - out["contact_cost"]
    out = out.sort_values("risk", ascending=False, kind="stable")
    hit = out[out["targeted"]]
    saved_value = float(hit["expected_saved_value"].sum())
    cost = float(hit["contact_cost"].sum())
    cumulative = np.r_[0.0, out.loc[out["eligible"], "expected_net"].cumsum().to_numpy()]
    best = int(cumulative.argmax())
    best_risk = float(out.loc[out["eligible"], "risk"].iloc[best - 1]) if best else float("nan")
    return Campaign(
        customers=out,
        table=_cost_benefit(out[out["eligible"]], retained_share=retained_share, bands=bands),
        targeted=len(hit),
        expected_defectors=float(hit["risk"].sum()),
        saved_customers=float(hit["risk"].sum() * retained_share),
        saved_value=saved_value,
        cost=cost,
        value=saved_value - cost,
        best_targeted=best,
        best_value=float(cumulative[best]),
        best_risk=best_risk,
    )


def _cost_benefit(eligible: pd.DataFrame, *, retained_share: float, bands: int) -> pd.DataFrame:
    """Cost-benefit of contacting the eligible customers band by band, highest risk first."""
    columns = [
        "band",
        "min_risk",
        "customers",
        "expected_defectors",
        "saved_customers",
        "saved_value",
        "cost",
        "net_value",
        "cum_customers",
        "cum_net_value",
    ]
    if eligible.empty:
        return pd.DataFrame(columns=columns)
    band = np.arange(len(eligible)) * bands // len(eligible) + 1
    grouped = eligible.assign(band=band).groupby("band")
    table = pd.DataFrame(
        {
            "min_risk": grouped["risk"].min(),
            "customers": grouped.size(),
            "expected_defectors": grouped["risk"].sum(),
            "saved_value": grouped["expected_saved_value"].sum(),
            "cost": grouped["contact_cost"].sum(),
        }
    ).reset_index()
    table["saved_customers"] = table["expected_defectors"] * retained_share
    table["net_value"] = table["saved_value"] - table["cost"]
    table["cum_customers"] = table["customers"].cumsum()
    table["cum_net_value"] = table["net_value"].cumsum()
    return table[columns]
