"""The report's sentences follow the data, and read entirely in Chinese in a Chinese report."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlab import growth
from crmlab.growth import report
from tests.conftest import english_runs
from tests.growth.test_depth import planted_cross_sell
from tests.growth.test_flows import planted


def results(tx: pd.DataFrame, **options):
    p = growth.prepare_purchases(tx, as_of=tx["timestamp"].max() + pd.Timedelta(days=40))
    flows = growth.relationship_flows(p, **options)
    cohorts = growth.cohort_retention(p)
    lengths = growth.relationship_lengths(p, flows)
    depth = growth.relationship_depth(p, min_customers=20)
    loyalty = growth.loyalty_marks(p)
    profit = growth.profit_by_tenure(p, lengths)
    whatif = growth.retention_whatif(lengths.survival["survival"][: len(profit)], profit)
    return p, flows, cohorts, lengths, depth, loyalty, whatif


def sentences(tx: pd.DataFrame, lang: str, **options) -> list[str]:
    p, flows, cohorts, lengths, depth, loyalty, whatif = results(tx, **options)
    return [
        report.basis_text(p, "category", lang),
        report.more_text(p, flows, lang),
        report.cohort_text(p, cohorts, lang),
        report.lifetime_text(p, lengths, lang),
        report.depth_text(p, depth, lang),
        report.first_lines_text(depth, 20, lang),
        report.marks_text(p, loyalty, lang),
        report.cylinders_text(30, 5, 400, 0, lang),
        report.whatif_text(p, whatif, lang),
        report.finding(p, flows, lengths, depth, whatif, lang),
    ]


@pytest.mark.parametrize("frame", [planted()[0], planted_cross_sell()], ids=["one line", "categories"])
def test_chinese_sentences_hold_no_english(frame):
    for text in sentences(frame, "zh"):
        assert english_runs(text) == [], text


def test_sentences_state_this_runs_numbers():
    tx = planted_cross_sell()
    p, flows, cohorts, lengths, depth, loyalty, whatif = results(tx, winback_gap=30)
    last = flows.last(p)
    assert f"{int(last['lost']):,} were lost" in report.more_text(p, flows, "en")
    assert "33.3%" in report.depth_text(p, depth, "en")  # the planted uptake
    assert "categories of column `category`" in report.basis_text(p, "category", "en")
    assert "Several product lines" in report.marks_text(p, loyalty, "en")
    one_line = planted()[0]
    p1, *_rest, depth1, loyalty1, _w = results(one_line)
    assert report.uptake_figure(depth1, "en") == "not measurable"
    assert "cannot be measured" in report.depth_text(p1, depth1, "en")
    assert "cannot be given" in report.marks_text(p1, loyalty1, "en")
    assert report.loyal_figure(loyalty1, "zh") == "无法衡量"


def test_the_verdict_on_the_texts_60_percent_follows_the_uplift():
    p = growth.prepare_purchases(planted()[0])
    low = growth.retention_whatif([1.0, 0.5], [1.0, 1.0], horizon=2)
    assert "falls short" in report.whatif_text(p, low, "en")
    high = growth.retention_whatif([0.9**k for k in range(36)], [1.0] * 36, horizon=36)
    assert "reaches the text's +60%" in report.whatif_text(p, high, "en")
