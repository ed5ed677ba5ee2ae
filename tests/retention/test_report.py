"""Tests of crmlab.retention.report: the tables of notebook 60 as the report shows them."""

import pandas as pd

from crmlab.retention.report import display_table


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
