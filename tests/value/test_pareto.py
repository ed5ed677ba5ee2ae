import numpy as np
import pandas as pd
import pytest

from crmlab.core.errors import InputError, ParameterError
from crmlab.value.pareto import gini, pareto

# Ten customers, hand-computed: sorted desc 50, 20, 10, 10, 5, 5, 0, 0, 0, 0 (total 100).
VALUES = [5.0, 0.0, 50.0, 10.0, 0.0, 20.0, 5.0, 0.0, 10.0, 0.0]


def test_hand_computed_figures():
    result = pareto(pd.DataFrame({"revenue": VALUES}))
    assert result.top_share == pytest.approx(0.70)  # 50 + 20
    assert result.min_share_for_target == pytest.approx(0.30)  # 50 + 20 + 10 = 80: 3 of 10
    assert result.n_customers == 10
    assert result.total == pytest.approx(100.0)
    # Gini: sum of i * x_(i) ascending = 5*5 + 6*5 + 7*10 + 8*10 + 9*20 + 10*50 = 885;
    # G = 2 * 885 / (10 * 100) - 11 / 10 = 0.67
    assert result.gini == pytest.approx(0.67)


def test_curve_ends_and_is_monotone():
    curve = pareto(pd.DataFrame({"revenue": VALUES})).curve
    assert curve.iloc[0].tolist() == [0.0, 0.0]
    assert curve.iloc[-1].tolist() == [1.0, 1.0]
    assert (np.diff(curve["value_share"]) >= 0).all()


def test_top_share_interpolates_between_customers():
    # 4 customers 40, 30, 20, 10: the top 20% is 0.8 of a customer -> 0.8 * 40 / 100
    result = pareto(pd.DataFrame({"revenue": [10.0, 20.0, 30.0, 40.0]}))
    assert result.top_share == pytest.approx(0.32)
    assert result.min_share_for_target == pytest.approx(0.75)  # 40 + 30 + 20 = 90 >= 80


def test_equal_values_have_zero_gini():
    assert gini(np.ones(7)) == pytest.approx(0.0)
    result = pareto(pd.DataFrame({"revenue": [3.0] * 5}))
    assert result.top_share == pytest.approx(0.2)
    assert result.min_share_for_target == pytest.approx(0.8)


def test_negative_values_are_rejected_with_rows():
    with pytest.raises(InputError, match=r"'revenue'.*negative.*rows 2 "):
        pareto(pd.DataFrame({"revenue": [1.0, -2.0]}))


def test_missing_column_and_bad_parameters():
    with pytest.raises(InputError, match="'profit'"):
        pareto(pd.DataFrame({"revenue": [1.0]}), value_col="profit")
    with pytest.raises(ParameterError, match="top_fraction"):
        pareto(pd.DataFrame({"revenue": [1.0]}), top_fraction=0)
    with pytest.raises(InputError, match="non-numeric"):
        pareto(pd.DataFrame({"revenue": [1.0, None]}))


def test_lorenz_chart_marks_the_top_share():
    import matplotlib

    matplotlib.use("Agg")
    from crmlab.value.charts import plot_lorenz

    ax = plot_lorenz(pareto(pd.DataFrame({"revenue": VALUES})), lang="en")
    assert "70.0%" in " ".join(t.get_text() for t in ax.texts)
