"""Propensity models shared by 40 and 60: preparation, model comparison, evaluation, tree rules, thresholds."""
