"""Synthetic data for churn (placeholder until written)."""
