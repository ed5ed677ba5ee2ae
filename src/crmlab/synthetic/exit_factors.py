"""Synthetic data for exit_factors (placeholder until written)."""
