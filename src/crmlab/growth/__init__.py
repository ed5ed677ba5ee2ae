"""70 relationship growth (更多 / 更久 / 更深): more, longer and deeper customer relationships.

One module per step of notebook ``70-relationship-growth``:

- `purchases`: cleaned lines as orders and product lines with their periods (month, quarter, week);
- `flows`: more: new, returning, won-back and lost customers per period, net growth;
- `cohorts`: longer: the cohort retention matrix, the retention curve, Kaplan-Meier relationship
  lengths (lifelines) and the sample of relationships for the cylinder chart;
- `depth`: deeper: product lines by tenure, cross-sell uptake, spend per order, first lines that lead on;
- `loyalty`: the five marks of a loyal customer, as far as the data measures them;
- `whatif`: "retention +5% -> profit +60%?" on the user's own cohorts;
- `report`: the generated sentences; `charts`: the charts (the cylinder chart among them).

The public functions are re-exported here, so a notebook calls ``growth.relationship_flows(...)``.
"""

from crmlab.growth.cohorts import (
    Cohorts,
    Lengths,
    cohort_retention,
    relationship_lengths,
    relationship_sample,
)
from crmlab.growth.depth import Depth, first_lines_table, relationship_depth, tenure_table
from crmlab.growth.flows import Flows, flows_table, relationship_flows
from crmlab.growth.loyalty import MARK_COLUMNS, MARKS, Loyalty, loyalty_marks, marks_table
from crmlab.growth.purchases import PERIODS, Purchases, prepare_purchases
from crmlab.growth.whatif import TEXT_UPLIFT, WhatIf, profit_by_tenure, retention_whatif

__all__ = [
    "MARKS",
    "MARK_COLUMNS",
    "PERIODS",
    "TEXT_UPLIFT",
    "Cohorts",
    "Depth",
    "Flows",
    "Lengths",
    "Loyalty",
    "Purchases",
    "WhatIf",
    "cohort_retention",
    "first_lines_table",
    "flows_table",
    "loyalty_marks",
    "marks_table",
    "profit_by_tenure",
    "prepare_purchases",
    "relationship_depth",
    "relationship_flows",
    "relationship_lengths",
    "relationship_sample",
    "retention_whatif",
    "tenure_table",
]
