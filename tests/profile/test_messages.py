"""Every error of the data profile reads entirely in Chinese when the report's language is zh."""

from __future__ import annotations

import pandas as pd

from crmlab.core.errors import ParameterError
from crmlab.profile import charts
from crmlab.profile import profiling as profile
from tests.conftest import zh_message

CUSTOMERS = pd.DataFrame({"customer_id": ["a", "b"], "age": [30, 40]})



def test_profile_errors_in_chinese() -> None:
    zh_message(lambda: profile.profile(CUSTOMERS, "labelled"))
    zh_message(lambda: profile.profile(CUSTOMERS.iloc[:0], "customers"))
    zh_message(lambda: profile.profile(CUSTOMERS, "customer"))
    zh_message(lambda: profile.transaction_profile(CUSTOMERS))


def test_chart_errors_in_chinese() -> None:
    p = profile.profile(CUSTOMERS, "customers")
    for plot in (charts.plot_basket_sizes, charts.plot_customer_revenue, charts.plot_target):
        assert plot.__name__ in zh_message(lambda plot=plot: plot(p), ParameterError)
