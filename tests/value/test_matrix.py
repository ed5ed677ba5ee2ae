import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.value.matrix import CLASSES, RESOURCE_SHARES, action_table, value_matrix


def test_quadrants_at_the_cut_points():
    # exactly at the cut counts as high
    df = pd.DataFrame({"current_value": [5, 5, 4.99, 4.99, 100], "potential_value": [3, 2.99, 3, 2.99, 0]})
    out = value_matrix(df, current_cut=5, potential_cut=3).customers
    assert out["value_class"].astype(str).tolist() == ["platinum", "gold", "iron", "lead", "gold"]


def test_default_cuts_are_medians_and_summary_shares():
    df = pd.DataFrame({"current_value": [1.0, 2.0, 3.0, 4.0], "potential_value": [40.0, 10.0, 30.0, 20.0]})
    m = value_matrix(df)
    assert (m.current_cut, m.potential_cut) == (2.5, 25.0)
    q = value_matrix(df, current_quantile=0.75, potential_quantile=0.0)
    assert (q.current_cut, q.potential_cut) == (3.25, 10.0)
    assert q.customers["value_class"].astype(str).tolist() == ["iron", "iron", "iron", "platinum"]
    assert m.customers["value_class"].astype(str).tolist() == ["iron", "lead", "platinum", "gold"]
    s = m.summary.set_index("value_class")
    assert s.index.tolist() == list(CLASSES)
    assert s.loc["platinum", "current_share"] == pytest.approx(0.3)
    assert s.loc["iron", "potential_share"] == pytest.approx(0.4)
    assert s["customers"].sum() == 4
    assert s["resource_share"].to_dict() == RESOURCE_SHARES


def test_other_columns_and_empty_class():
    df = pd.DataFrame({"profit": [1.0, 2.0], "clv": [1.0, 2.0]})
    m = value_matrix(df, current_col="profit", potential_col="clv")
    s = m.summary.set_index("value_class")
    assert s.loc["gold", "customers"] == 0
    assert "value_class" not in df.columns


def test_action_table_is_translated():
    m = value_matrix(pd.DataFrame({"current_value": [1.0, 2.0], "potential_value": [1.0, 2.0]}))
    zh = action_table(m, "zh")
    assert zh.data.iloc[:, 0].tolist() == ["白金", "黄金", "铁质", "铅质"]
    assert zh.data.columns[0] == "类别"
    assert len(action_table(m, "en").data.columns) == 7
    html = action_table(m, "en").to_html()
    assert "45%" in html and "50.0%" in html and "Keep at any cost" in html


def test_bad_input():
    with pytest.raises(InputError, match="potential_value"):
        value_matrix(pd.DataFrame({"current_value": [1.0]}))
    with pytest.raises(InputError, match="current_value"):
        value_matrix(pd.DataFrame({"current_value": [1.0, None], "potential_value": [1.0, 2.0]}))
    with pytest.raises(ParameterError, match="resource_shares"):
        value_matrix(
            pd.DataFrame({"current_value": [1.0], "potential_value": [1.0]}), resource_shares={"platinum": 1.0}
        )
    with pytest.raises(ParameterError, match="current_quantile"):
        value_matrix(pd.DataFrame({"current_value": [1.0], "potential_value": [1.0]}), current_quantile=1.5)


def test_chart_labels_the_quadrants_as_the_table_places_them():
    """Potential across, current up: platinum top right, gold top left, iron bottom right, lead bottom left."""
    import matplotlib

    matplotlib.use("Agg")
    from crmlab.value.charts import CLASS_COLORS, plot_value_matrix

    df = pd.DataFrame({"current_value": [0.0, 10.0, 1.0, 5.0], "potential_value": [5.0, 1.0, 0.0, 9.0]})
    ax = plot_value_matrix(value_matrix(df), lang="zh")
    corners = {text.get_text().split("\n")[0]: text.xy for text in ax.texts}
    assert corners == {"白金": (1, 1), "黄金": (0, 1), "铁质": (1, 0), "铅质": (0, 0)}
    assert "1 位客户（25%）" in ax.texts[0].get_text()
    assert len(set(CLASS_COLORS.values())) == 4
    assert ax.get_legend() is None


def test_chart_draws_a_seeded_sample_at_large_n():
    from crmlab.value.charts import matrix_sample

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"current_value": rng.exponential(size=5000), "potential_value": rng.exponential(size=5000)})
    m = value_matrix(df)
    first, again = matrix_sample(m, max_points=300, seed=3), matrix_sample(m, max_points=300, seed=3)
    assert len(first) == 300 and first.index.equals(again.index)
    assert len(matrix_sample(m, max_points=6000)) == 5000


def test_seven_p_says_which_views_the_data_supports():
    from crmlab.value.matrix import seven_p

    df = pd.DataFrame(
        {
            "current_value": [1.0, 2.0, 3.0, 4.0],
            "potential_value": [4.0, 3.0, 2.0, 1.0],
            "tenure_days": [10, 20, 30, 40],
            "purchase_days": [1, 2, 3, 4],
            "p_alive": [1.0, 0.5, 0.5, 1.0],
        }
    )
    m = value_matrix(df)
    lines = pd.DataFrame({"item_id": ["a", "b", "c", "d", "e"], "amount": [80.0, 5.0, 5.0, 5.0, 5.0]})
    table = seven_p(m, top20_share=0.4, gini=0.3, flagged=1, lines=lines, lang="en").data
    assert len(table) == 7
    assert table.iloc[0, :2].tolist() == ["Profiling", "Who are the customers?"]
    answers = table.iloc[:, 2].tolist()
    assert answers[0] == "4 customers; median tenure 25 days; 75.0% bought on more than one day."
    assert answers[5] == "5 distinct items; the top 20% of items make 80.0% of revenue."
    assert answers[6].startswith("Not supported")
    no_items = seven_p(m, top20_share=0.4, gini=0.3, flagged=1, lang="zh").data
    assert no_items.iloc[5, 2].startswith("无法分析")
