"""Synthetic data for baskets (placeholder until written)."""
