"""60 retention and target marketing.

- `defection` - products held, defection models compared (best by a named metric), risk drivers;
- `campaign` - the economics of a retention campaign;
- `targeting` - a response model on a balanced sample, and the pilot-sample planner;
- `report` - the report's tables; `charts` - its charts.
"""
