"""Synthetic data for transactions (placeholder until written)."""
