"""Tests of crmlab.retention.report: the tables and sentences of notebook 60 as the report shows them."""

import pandas as pd
import pytest

from crmlab.core.i18n import t
from crmlab.retention.campaign import plan_campaign
from crmlab.retention.defection import ProductsHeld
from crmlab.retention.report import (
    campaign_advice,
    campaign_meaning,
    claim_sentence,
    decile_caption,
    display_table,
    drivers_sentence,
    products_sentence,
    response_advice,
    response_meaning,
    response_sentence,
)
from crmlab.retention.targeting import ResponseModels
from tests.conftest import english_runs


def test_display_table_translates_headings_and_model_names():
    table = pd.DataFrame({"model": ["logistic"], "roc_auc": [0.8452], "defection_rate": [0.265], "customers": [7043]})
    shown = display_table(table, "zh")
    assert list(shown.data.columns) == ["模型", "ROC AUC", "流失率", "客户数"]
    assert shown.data.iloc[0, 0] == "逻辑回归"
    html = shown.to_html()
    assert "26.5%" in html and "0.845" in html and "7,043" in html


def test_display_table_shows_the_article_situations_in_words():
    table = pd.DataFrame({"situation": ["text_untargeted", "data_top_decile"], "rate_low": [0.01, 0.052]})
    shown = display_table(table, "en")
    assert shown.data.iloc[:, 0].tolist() == ["Article: untargeted mailing", "This data: top decile of the model"]
    assert "5.2%" in shown.to_html()


def _response(chosen: float, plain: float, sd: float = 0.2) -> ResponseModels:
    summary = pd.DataFrame(
        {
            "model": ["logistic", "plain_logistic", "balanced_sample"],
            "roc_auc": [0.62, 0.63, 0.63],
            "roc_auc_std": [0.02, 0.02, 0.01],
            "top_decile_rate": [chosen * 0.0845, plain * 0.0845, 0.19],
            "top_decile_lift": [chosen, plain, 2.22],
            "top_decile_lift_std": [sd, 0.22, 0.39],
        }
    )
    scores = pd.DataFrame({"logistic": [0.1] * 4000, "y": [0] * 4000})
    return ResponseModels(summary, {}, scores, 0.0845, "logistic", "top_decile_lift", 5, 0.169)


@pytest.mark.parametrize(
    ("chosen", "plain", "verdict"),
    [
        (2.45, 2.40, "The chosen model does at least as well as the plain baseline."),
        (2.37, 2.43, "The plain baseline is 0.06 higher, less than the spread"),
        (1.90, 2.43, "The plain baseline is 0.53 higher, more than the spread"),
    ],
)
def test_response_sentence_compares_the_chosen_model_with_the_baseline(chosen, plain, verdict):
    text = response_sentence(_response(chosen, plain), "en")
    assert f"a lift of {chosen:.2f} ± 0.20 (mean ± sd over 5 cross-validation folds of all 4,000 customers" in text
    assert f"a plain logistic regression reaches a lift of {plain:.2f} ± 0.22" in text
    assert "balanced sample, which keeps only 17% of the customers, 2.22 ± 0.39" in text
    assert verdict in text
    zh = response_sentence(_response(chosen, plain), "zh")
    assert english_runs(zh) == [] and f"{chosen:.2f} ± 0.20" in zh


def _held(one: int, two: int, three: int) -> ProductsHeld:
    """Defectors with one, two and three products; 100 customers per count, so the rates are the counts / 100."""
    table = pd.DataFrame({"products_held": [1, 2, 3], "customers": [100, 100, 100], "defectors": [one, two, three]})
    table["defection_rate"] = table["defectors"] / table["customers"]
    table["share_of_defectors"] = table["defectors"] / table["defectors"].sum()
    total = one + two + three
    return ProductsHeld(table, one / total, one / 100, (two + three) / 200)


@pytest.mark.parametrize(
    ("counts", "start"),
    [
        (
            (40, 10, 10),
            "66.7% of defectors held exactly one product: the article's claim that nearly 75% of defectors "
            "use one product holds here",
        ),
        ((33, 20, 10), "Most defectors (52.4%) held exactly one product, but fewer than the article's nearly 75%"),
        (
            (10, 30, 20),
            "Only 16.7% of defectors held exactly one product: the article's claim that nearly 75% do does not "
            "hold here; 83.3% of defectors held two or more, most often 2 products.",
        ),
    ],
)
def test_the_one_product_claim_follows_the_numbers(counts, start):
    held = _held(*counts)
    text = products_sentence(held, "en")
    assert text.startswith(start) and claim_sentence(held, "en") in text
    zh = products_sentence(held, "zh")
    assert english_runs(zh) == [] and "。 " not in zh  # Chinese sentences follow each other without a space


def test_the_loyalty_part_and_the_peak():
    held, spread = products_sentence(_held(40, 10, 10), "en"), products_sentence(_held(10, 30, 20), "en")
    assert "at 40.0%, those with more at 10.0%: more products go with more loyalty here." in held
    assert held.endswith("The defection rate by products held peaks at 1 (40.0%).")
    assert "more products do not go with more loyalty here." in spread
    assert spread.endswith("The defection rate by products held peaks at 2 (30.0%).")


def test_drivers_name_features_for_readers_with_their_direction():
    drivers = pd.DataFrame(
        {
            "feature": ["tenure", "contract", "my_column", "monthly_charges"],
            "importance": [0.2, 0.05, 0.01, 0.0],
            "direction": [-0.1, float("nan"), 0.02, 0.3],
        }
    )
    assert drivers_sentence(drivers, lang="en").endswith(
        "tenure (months) (more of it, lower risk), contract type (a category), my_column (more of it, higher risk)."
    )
    assert "在网时长（月）（越高风险越低）、合同类型（类别特征）" in drivers_sentence(drivers, lang="zh")
    nothing = drivers.assign(importance=[0.0, -0.01, 0.0, 0.0])
    assert drivers_sentence(nothing, lang="en") == t("retention.say.no_drivers", "en")


def _campaign(contact_cost: float, risk_threshold: float):
    # Eligible customers by risk: 0.9, 0.5, 0.2, 0.05, annual margin 100 each, retained share 1, life 1:
    # expected saved value = risk × 100, so a contact pays while risk × 100 > contact_cost.
    scored = pd.DataFrame({"risk": [0.9, 0.5, 0.2, 0.05], "annual_margin": [100.0] * 4})
    terms = {"retained_share": 1.0, "expected_life": 1.0, "value_threshold": 0.0}
    return plan_campaign(scored, **terms, contact_cost=contact_cost, risk_threshold=risk_threshold)


@pytest.mark.parametrize(
    ("cost", "rule", "key", "best"),
    [
        (10, 0.5, "grow", 3),  # nets 80 + 40 + 10 - 5: the rule stops at 2 (120), the optimum contacts 3 (130)
        (30, 0.2, "shrink", 2),  # nets 60 + 20 - 10: the rule contacts 3 (70), the optimum 2 (80)
        (30, 0.5, "same", 2),
        (95, 0.5, "none", 0),  # no contact pays
    ],
)
def test_campaign_advice_recommends_the_optimum(cost, rule, key, best):
    campaign = _campaign(cost, rule)
    assert campaign.best_targeted == best
    advice = campaign_advice(campaign, risk=rule, lang="en")
    money = {"value": f"{round(campaign.value):,.2f}", "best_value": f"{round(campaign.best_value):,.2f}"}
    numbers = {"n": campaign.targeted, "risk": rule, "best_n": best, "best_risk": campaign.best_risk, **money}
    assert advice == t(f"retention.say.campaign_{key}", "en", **numbers)
    assert f"{best:,}" in campaign_meaning(campaign, risk=rule, lang="en")
    if key == "grow":
        assert advice.startswith(
            "Contact the 3 riskiest eligible customers (down to a defection risk of 20%), not only the 2"
        )
        assert "net value 130.00 instead of 120.00" in advice


def test_response_advice_calls_a_weak_model_weak():
    weak = _response(2.37, 2.43)  # ROC AUC 0.62: modest
    assert response_advice(weak, "en").startswith("Mail the top-scoring customers of the Logistic regression model")
    assert "modest" in response_meaning(weak, "en")
    summary = weak.summary.assign(roc_auc=[0.557, 0.63, 0.63])
    weaker = ResponseModels(summary, {}, weak.scores, 0.0845, "logistic", "top_decile_lift", 5, 0.169)
    assert response_advice(weaker, "en").startswith(
        "Do not rely on the response model alone: its ROC AUC of 0.557 is weak"
    )
    assert "弱" in response_meaning(weaker, "zh")


def test_decile_caption_reads_the_chosen_models_deciles():
    gains = pd.DataFrame({"decile": [1, 2, 3], "response_rate": [0.2, 0.08, 0.03]})
    result = _response(2.37, 2.43)
    result = ResponseModels(
        result.summary, {"logistic": gains}, result.scores, 0.06, "logistic", "top_decile_lift", 5, 0.169
    )
    assert decile_caption(result, "en") == (
        "The top decile of the Logistic regression model responds at 20.0%, the bottom decile at 3.0%, "
        "against 6.0% when everyone is mailed."
    )
