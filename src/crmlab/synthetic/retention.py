"""Synthetic data for retention (placeholder until written)."""
