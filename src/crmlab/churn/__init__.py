"""50 churn causes: churn status and rates, exit types, exit economics, win-back.

One module per step of notebook 50:

- `status`: who churned (a churn flag or date, inactivity in transactions, or a list of exits);
- `rates`: the churn rate (顾客流失率), overall, per segment and per period;
- `causes`: reasons mapped onto exit types, and the churn-cause distribution (流失原因分布);
- `economics`: profit lost, the cost of defection, the break-even retention budget and a what-if;
- `winback`: the five kinds of lost customer and whom to win back (赢返);
- `keywords`: the keyword tables (data in ``keywords.yaml``) and how reasons are matched;
- `tables`: result tables for the report; `charts`: the charts.

The public functions are re-exported here, so a notebook calls ``churn.mark_churn(...)``.
"""

from crmlab.churn.causes import (
    NOT_CAUSES,
    CauseDistribution,
    cause_distribution,
    cause_matchers,
    map_causes,
    mapping_template,
)
from crmlab.churn.economics import (
    ExitCosts,
    ExitEconomics,
    break_even_budget,
    exit_costs,
    exit_economics,
    retention_what_if,
)
from crmlab.churn.keywords import CAUSES, UNKNOWN, UNMAPPED, WINBACK_TYPES, keyword_tables
from crmlab.churn.rates import ChurnRate, churn_by_period, churn_rate
from crmlab.churn.status import (
    DEFINITIONS,
    churn_status,
    churn_status_from_transactions,
    default_dataset,
    mark_churn,
)
from crmlab.churn.tables import localize, segment_name
from crmlab.churn.winback import WinBack, classify_winback, win_back, winback_table

__all__ = [
    "CAUSES",
    "DEFINITIONS",
    "NOT_CAUSES",
    "UNKNOWN",
    "UNMAPPED",
    "WINBACK_TYPES",
    "CauseDistribution",
    "ChurnRate",
    "ExitCosts",
    "ExitEconomics",
    "WinBack",
    "break_even_budget",
    "cause_distribution",
    "cause_matchers",
    "churn_by_period",
    "churn_rate",
    "churn_status",
    "churn_status_from_transactions",
    "classify_winback",
    "default_dataset",
    "exit_costs",
    "exit_economics",
    "keyword_tables",
    "localize",
    "map_causes",
    "mapping_template",
    "mark_churn",
    "retention_what_if",
    "segment_name",
    "win_back",
    "winback_table",
]
