"""40 fraud propensity: bill-trend features, the fraud model, scoring new cases."""
