"""Tests of crmlab.retention.report: the tables and sentences of notebook 60 as the report shows them."""

import pandas as pd
import pytest

from crmlab.retention.report import display_table, response_sentence
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
