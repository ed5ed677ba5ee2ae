"""Synthetic data for fraud (placeholder until written)."""
