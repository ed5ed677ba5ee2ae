"""00 data profile: what is in a file (its kind, rows, missing values, types, outliers, dates, baskets)."""
