"""20 value analysis: 80/20, customer value matrix, BG/NBD + Gamma-Gamma potential value, churn warning, RFM."""
