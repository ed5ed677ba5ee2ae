"""Tests of crmlab.churn.causes, its synthetic data and its charts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmlab import data as datasets
from crmlab.churn import causes as churn
from crmlab.churn import charts
from crmlab.core.errors import InputError, ParameterError
from crmlab.core.i18n import catalogue
from crmlab.data.synthetic.churn import (
    CAUSE_SHARES,
    REASON_TEMPLATES,
    SEGMENT_CHURN,
    make_churn,
    make_churn_transactions,
)
from tests.conftest import NOTEBOOKS


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return make_churn(seed=7)


@pytest.fixture(scope="module")
def causes(synthetic: pd.DataFrame) -> churn.CauseDistribution:
    return churn.cause_distribution(churn.churn_status(synthetic), segment_col="segment")


# --------------------------------------------------------------------------- worked example


def test_worked_example_is_exact() -> None:
    e = churn.exit_economics(6000, 0.05, 1000, 0.10)
    assert e.n_lost == 300
    assert e.revenue_lost == 300_000
    assert e.profit_lost == 30_000
    assert churn.break_even_budget(e) == 30_000
    assert churn.break_even_budget(e, kept_share=0.5) == 15_000


def test_worked_example_from_customer_data() -> None:
    df = pd.DataFrame({"customer_id": [f"c{i}" for i in range(6000)], "churned": [1] * 300 + [0] * 5700})
    status = churn.churn_status(df, churn_date_col=None)
    assert churn.churn_rate(status).rate == 0.05
    costs = churn.exit_costs(status, revenue=1000, margin=0.10, expected_lifetime_years=2)
    assert (costs.n_lost, costs.revenue_lost, costs.profit_lost) == (300, 300_000, 30_000)
    assert costs.cost_of_defection == 60_000
    assert (costs.n_revenue_default, costs.n_margin_default) == (300, 300)


def test_retention_what_if_is_linear_in_kept_share() -> None:
    table = churn.retention_what_if(
        churn.exit_economics(6000, 0.05, 1000, 0.10), kept_shares=[0.2, 1.0], programme_cost=10_000
    )
    assert table["customers_kept"].tolist() == pytest.approx([60, 300])
    assert table["profit_saved"].tolist() == pytest.approx([6_000, 30_000])
    assert table["net_profit"].tolist() == pytest.approx([-4_000, 20_000])


# -------------------------------------------------------------------------------- churn rate


def test_flag_values_in_several_spellings() -> None:
    df = pd.DataFrame({"churned": [1, 0, "yes", "No", "是", "否", True, "TRUE"]})
    status = churn.churn_status(df, churn_date_col=None)
    assert status["churned"].tolist() == [True, False, True, False, True, False, True, True]


def test_churn_date_defines_churn_and_as_of_cuts_it() -> None:
    df = pd.DataFrame({"churn_date": ["2024-01-10", None, "2024-06-01", ""]})
    assert churn.churn_status(df, churn_col=None)["churned"].tolist() == [True, False, True, False]
    cut = churn.churn_status(df, churn_col=None, as_of="2024-03-01")
    assert cut["churned"].tolist() == [True, False, False, False]


def test_planted_churn_rates_are_recovered(synthetic: pd.DataFrame) -> None:
    rate = churn.churn_rate(churn.churn_status(synthetic), segment_col="segment")
    by_segment = rate.by_segment.set_index("segment")["rate"]
    for segment, planted in SEGMENT_CHURN.items():
        assert by_segment[segment] == pytest.approx(planted, abs=0.001)
    assert rate.rate == pytest.approx(0.1225)


def test_total_customers_for_a_list_of_churners() -> None:
    dates = pd.to_datetime(["2024-01-15"] * 10 + ["2024-02-15"] * 20)
    listed = pd.DataFrame({"reason": ["x"] * 30, "churn_date": dates, "segment": ["a", "b"] * 15})
    status = churn.mark_churn(listed, definition="list")
    rate = churn.churn_rate(status, total_customers=600, segment_col="segment")
    assert rate.rate == 0.05
    assert rate.by_segment is None  # the segments of the 570 customers not listed are unknown
    periods = churn.churn_by_period(status, freq="M", total_customers=600)
    assert periods["at_risk"].tolist() == [600, 590]
    assert periods["rate"].tolist() == pytest.approx([10 / 600, 20 / 590])
    with pytest.raises(ParameterError, match="total_customers"):
        churn.churn_rate(status, total_customers=10)


def test_churn_by_period_hand_computed() -> None:
    df = pd.DataFrame(
        {
            "churned": [1, 1, 1, 0],
            "churn_date": pd.to_datetime(["2024-01-05", "2024-02-20", "2024-02-21", None]),
        }
    )
    periods = churn.churn_by_period(churn.churn_status(df), freq="M")
    assert periods["period"].tolist() == ["2024-01", "2024-02"]
    assert periods["at_risk"].tolist() == [4, 3]
    assert periods["churned"].tolist() == [1, 2]
    assert periods["rate"].tolist() == pytest.approx([0.25, 2 / 3])


def test_planted_price_rise_shows_in_2025q1(synthetic: pd.DataFrame) -> None:
    periods = churn.churn_by_period(churn.churn_status(synthetic), start_col="signup_date").set_index("period")
    assert periods["rate"].idxmax() == "2025Q1"
    assert periods.loc["2025Q1", "rate"] > 2 * periods["rate"].drop("2025Q1").max()


def test_churn_from_transactions_hand_computed() -> None:
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", None, "c"],
            "timestamp": pd.to_datetime(
                ["2024-01-01", "2024-03-01", "2024-01-01", "2024-06-20", "2024-06-30", "2024-07-01"]
            ),
            "amount": [10.0, 20.0, 5.0, 5.0, 99.0, 1.0],
        }
    )
    status = churn.churn_status_from_transactions(tx, inactive_days=90).set_index("customer_id")
    assert status.index.tolist() == ["a", "b", "c"]
    assert status["churned"].tolist() == [True, False, False]
    assert status.loc["a", "churn_date"] == pd.Timestamp("2024-05-30")
    assert status.loc["a", "revenue"] == 30.0
    early = churn.churn_status_from_transactions(tx, inactive_days=90, as_of="2024-04-01")
    assert early["churned"].tolist() == [False, True]  # b: 91 days since 2024-01-01


def test_inactivity_definition_on_synthetic_transactions_matches_flags() -> None:
    customers = make_churn(2000, seed=3)
    status = churn.mark_churn(make_churn_transactions(2000, seed=3), definition="inactive", inactive_days=180)
    merged = status.merge(customers[["customer_id", "churned", "churn_date"]], on="customer_id", suffixes=("", "_true"))
    detectable = merged[merged["churn_date_true"].isna() | (merged["churn_date_true"] < "2025-06-01")]
    agreement = (detectable["churned"] == detectable["churned_true"].astype(bool)).mean()
    assert agreement > 0.95


# ------------------------------------------------------------------------------------ causes


def test_planted_cause_shares_within_two_points(causes: churn.CauseDistribution, synthetic: pd.DataFrame) -> None:
    churners = synthetic[synthetic["churned"] == 1]
    weights = churners["segment"].value_counts(normalize=True)
    shares = causes.distribution.set_index("cause")["share"]
    for cause in CAUSE_SHARES["basic"]:
        planted = sum(weights[s] * CAUSE_SHARES[s][cause] for s in weights.index)
        assert shares[cause] == pytest.approx(planted, abs=0.02), cause
    for segment, planted_shares in CAUSE_SHARES.items():
        for cause, planted in planted_shares.items():
            assert causes.by_segment.loc[segment, cause] == pytest.approx(planted, abs=0.02), (segment, cause)
    assert causes.top_cause == "price"


def test_distribution_is_pareto_ordered_and_complete(causes: churn.CauseDistribution) -> None:
    dist = causes.distribution
    assert dist["count"].is_monotonic_decreasing
    assert dist["count"].sum() == len(causes.assigned)
    assert dist["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_unmapped_reasons_stay_visible() -> None:
    df = pd.DataFrame({"reason": ["Too expensive", "weird thing", "weird thing", "价格太高", "见备注", None]})
    result = churn.cause_distribution(df)
    counts = result.distribution.set_index("cause")["count"]
    assert counts.sum() == 6
    assert counts["unmapped"] == 3
    assert counts["other"] == 1
    assert result.unmapped.set_index("reason")["count"].to_dict() == {"weird thing": 2, "见备注": 1}


def test_default_mapping_covers_english_and_chinese_reasons() -> None:
    reasons = pd.Series(
        ["Found a CHEAPER provider", "产品质量不好", "Switched to newer technology", "公司污染环境", "其他", "unknown"]
    )
    assert churn.map_causes(reasons)["cause"].tolist() == [
        "price",
        "product",
        "technology",
        "political",
        "other",
        "other",
    ]


def test_category_column_and_custom_mapping() -> None:
    reasons = pd.Series(["价格", "Technology", "Vendor lock-in", "我们的技术落后"])
    assert churn.map_causes(reasons)["cause"].tolist() == ["price", "technology", "unmapped", "technology"]
    custom = churn.map_causes(reasons, mapping={"lock-in": "技术", "我们的技术落后": "price"})
    assert custom["cause"].tolist() == ["price", "technology", "technology", "price"]
    alone = churn.map_causes(reasons, mapping={"lock-in": "technology"}, extend_default=False)
    assert alone["cause"].tolist() == ["unmapped", "unmapped", "technology", "unmapped"]


def test_longest_keyword_wins_and_latin_keys_match_at_word_start() -> None:
    reasons = pd.Series(["no longer need it", "app crashed", "happy elsewhere"])
    result = churn.map_causes(reasons)
    assert result["keyword"].tolist()[:2] == ["no longer need", "app"]
    assert result["cause"].tolist() == ["product", "technology", "unmapped"]


def test_bad_mapping_type_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="pricee"):
        churn.map_causes(pd.Series(["x"]), mapping={"x": "pricee"})


def test_users_csv_of_churned_customers_with_chinese_reasons(tmp_path) -> None:
    path = tmp_path / "流失客户.csv"
    pd.DataFrame(
        {
            "客户编号": ["A1", "A2", "A3", "A4", "A5"],
            "流失原因": ["价格太贵", "搬家了", "竞争对手的APP更好用", "价格太贵", "不清楚"],
            "年收入": [1200, 800, None, 500, 300],
        }
    ).to_csv(path, index=False, encoding="gbk")
    df = datasets.read(path, columns={"客户编号": "customer_id"})
    status = churn.mark_churn(df, definition="list", churn_col="流失", churn_date_col="")
    result = churn.cause_distribution(status, reason_col="流失原因")
    assert result.top_cause == "price"
    assert result.top_cause_share == pytest.approx(0.4)
    assert result.unmapped["reason"].tolist() == ["不清楚"]
    costs = churn.exit_costs(result.assigned, revenue_col="年收入", revenue=1000, margin=0.2)
    assert costs.revenue_lost == 3800
    assert costs.profit_lost == pytest.approx(760)
    assert (costs.n_revenue_default, costs.n_margin_default) == (1, 5)  # the file has no margin column


# -------------------------------------------------------------------------------- bad input


def test_no_churn_column_or_date() -> None:
    df = pd.DataFrame({"customer_id": ["a"], "churn": [1]})
    with pytest.raises(InputError, match="churned.*churn_date") as err:
        churn.churn_status(df)
    assert "churn" in str(err.value)


def test_margin_outside_unit_interval() -> None:
    with pytest.raises(ParameterError, match="margin"):
        churn.exit_economics(6000, 0.05, 1000, 10)
    df = pd.DataFrame({"churned": [1, 1], "margin": [0.1, 15]})
    with pytest.raises(InputError, match="'margin'.*2: 15"):
        churn.exit_costs(df)


def test_empty_set_of_churners() -> None:
    df = pd.DataFrame({"churned": [0, 0], "reason": ["x", "y"]})
    with pytest.raises(InputError, match="None of the 2 customers"):
        churn.cause_distribution(df)
    with pytest.raises(InputError):
        churn.exit_costs(df)
    with pytest.raises(InputError):
        churn.churn_status(pd.DataFrame({"churned": []}))


def test_bad_flag_and_date_values_name_the_rows() -> None:
    with pytest.raises(InputError, match=r"'status'.*2: 'maybe'"):
        churn.churn_status(pd.DataFrame({"status": [1, "maybe"]}), churn_col="status")
    with pytest.raises(InputError, match=r"'left'.*1: 'soon'"):
        churn.churn_status(pd.DataFrame({"left": ["soon", "2024-01-01"]}), churn_col=None, churn_date_col="left")


def test_bad_parameters() -> None:
    with pytest.raises(ParameterError, match="flags"):
        churn.mark_churn(pd.DataFrame({"churned": [1]}), definition="flags")
    with pytest.raises(ParameterError, match="inactive_days"):
        churn.churn_status_from_transactions(pd.DataFrame(), inactive_days=0)
    with pytest.raises(InputError, match="reason"):
        churn.cause_distribution(pd.DataFrame({"churned": [1], "why": ["x"]}))


# ---------------------------------------------------------------------------------- win-back


def _lost(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(len(rows))],
            "reason": [r for r, _, _ in rows],
            "cause": [c for _, c, _ in rows],
            "revenue": [v for _, _, v in rows],
            "margin": 0.1,
        }
    )


def test_winback_ranking_follows_value_and_type_rules() -> None:
    lost = _lost(
        [
            ("Too expensive", "price", 100_000),  # price seeker: not recommended, however valuable
            ("Competitor made a better offer", "price", 1_000),  # competitor offer: 0.30 x 300 = 90
            ("Poor service", "product", 5_000),  # left although retained: 0.15 x 1,500 = 225
            ("Moved away", "product", 50_000),  # lost the condition to buy
            ("Account closed by us for non-payment", "other", 9_000),  # dropped by the firm
            ("The app is outdated", "technology", 3_000),  # competitor offer: 0.30 x 900 = 270
        ]
    )
    result = churn.win_back(lost, second_life_years=3)
    ranking = result.ranking
    assert ranking["customer_id"].tolist()[:3] == ["c5", "c2", "c1"]
    assert ranking["recommend"].tolist() == [True, True, True, False, False, False]
    assert ranking["expected_value"].iloc[:3].tolist() == pytest.approx([270, 225, 90])
    rejected = ranking[~ranking["recommend"]]
    assert set(rejected["winback_type"]) == {"price_seeker", "lost_condition", "dropped_by_firm"}
    assert rejected["expected_value"].is_monotonic_decreasing
    summary = result.summary.set_index("winback_type")
    assert summary.loc["competitor_offer", "recommended"] == 2
    assert summary.loc["price_seeker", "recommended_value"] == 0

    changed = churn.win_back(lost, table={"低价寻求者": {"win_back": True}}, min_value=200)
    assert changed.ranking["customer_id"].tolist()[:3] == ["c0", "c5", "c2"]  # c1 (90) is below 200
    assert changed.ranking["recommend"].sum() == 3


def test_winback_types_recovered_on_synthetic_data(causes: churn.CauseDistribution) -> None:
    truth = {}
    for _, kind, en, zh in REASON_TEMPLATES:
        truth[en] = truth[zh] = kind
    classified = churn.classify_winback(causes.assigned)
    planted = classified["reason"].map(truth).fillna("left_despite_retention")
    assert (planted == classified["winback_type"]).all()


def test_winback_type_column_and_bad_table() -> None:
    lost = _lost([("x", "other", 100.0)]).assign(kind=["低价寻求者"])
    assert churn.classify_winback(lost, type_col="kind")["winback_type"].tolist() == ["price_seeker"]
    with pytest.raises(ParameterError, match="success"):
        churn.win_back(lost, table={"price_seeker": {"succes_rate": 0.5}})
    with pytest.raises(ParameterError, match="success_rate"):
        churn.win_back(lost, table={"price_seeker": {"success_rate": 5}})


# ------------------------------------------------------------------------- data and charts


def test_same_seed_same_data() -> None:
    pd.testing.assert_frame_equal(make_churn(500, seed=1), make_churn(500, seed=1))
    assert not make_churn(500, seed=1)["reason"].equals(make_churn(500, seed=2)["reason"])
    assert "synthetic_churn" in set(datasets.available()["name"])


def test_every_churn_message_has_both_languages() -> None:
    keys = [k for k in catalogue() if k.startswith("churn.")]
    assert len(keys) > 50
    for key in keys:
        assert catalogue()[key]["en"] and catalogue()[key]["zh"], key


def test_charts_draw_with_chinese_titles(synthetic: pd.DataFrame, causes: churn.CauseDistribution) -> None:
    status = churn.churn_status(synthetic)
    costs = churn.exit_costs(causes.assigned)
    drawn = [
        charts.plot_churn_by_period(churn.churn_by_period(status), lang="zh"),
        charts.plot_segment_rates(churn.churn_rate(status, segment_col="segment"), lang="zh"),
        charts.plot_cause_pareto(causes, lang="zh"),
        charts.plot_causes_by_segment(causes, lang="zh"),
        charts.plot_retention_what_if(churn.retention_what_if(costs, programme_cost=1000), lang="zh"),
        charts.plot_winback(churn.win_back(costs.per_customer), lang="zh"),
    ]
    assert drawn[2].get_title() == "流失原因分布图"
    assert [label.get_text() for label in drawn[2].get_xticklabels()][0] == "价格"
    assert all(np.isfinite(ax.get_ylim()).all() for ax in drawn)
    plt.close("all")


# ------------------------------------------------------------------------------- notebook


def test_notebook_runs_on_a_users_csv_of_churned_customers(tmp_path) -> None:

    from crmlab.reports import runner
    from crmlab.reports.specs import read_spec

    reasons = ["价格太贵", "搬家了", "Found a cheaper plan", "服务态度差", "个人原因", "see notes"]
    revenue = [1000, 2000, 3000, 500, 1500, None]
    path = tmp_path / "churned.csv"
    pd.DataFrame({"客户编号": [f"K{i}" for i in range(60)], "流失原因": reasons * 10, "年收入": revenue * 10}).to_csv(
        path, index=False, encoding="utf-8-sig"
    )
    spec = read_spec(NOTEBOOKS / "50-churn-causes.ipynb")
    params = {
        "input_path": str(path),
        "churn_definition": "list",
        "total_customers": 1200,
        "customer_column": "客户编号",
        "reason_column": "流失原因",
        "revenue_column": "年收入",
        "margin": 0.2,
    }
    result = runner.execute(runner.plan(spec, params, lang="zh"), tmp_path / "reports")
    assert result.status == "ok", result.message
    figures = {f["name"]: f["value"] for f in result.figures}
    assert figures["churn_rate"] == 0.05
    assert figures["top_cause"] == "价格"
    assert figures["top_cause_share"] == pytest.approx(2 / 6)
    assert figures["profit_lost"] == pytest.approx(10 * (8000 + 1000) * 0.2)  # one revenue missing -> 1,000
    assert figures["break_even_budget"] == pytest.approx(figures["profit_lost"])
    ranking = pd.read_csv(result.folder / "winback_ranking.csv")
    assert len(ranking) == 60
