"""50 churn causes: churn status and rates, exit types, exit economics, win-back."""
