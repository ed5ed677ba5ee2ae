"""Seeded synthetic data with documented, planted truth.

One module per domain. Every generator takes ``seed`` and returns identical data for the same seed;
its docstring states the truth it plants, so tests can check that a method recovers it. Importing this
package registers each module's named data sets with `crmlab.datasets`.
"""

from crmlab.synthetic import baskets, churn, exit_factors, fraud, retention, transactions, value

__all__ = ["baskets", "churn", "exit_factors", "fraud", "retention", "transactions", "value"]
