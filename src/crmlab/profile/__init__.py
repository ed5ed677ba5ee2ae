"""00 data profile: what is in a file (rows, missing values, types, outliers, dates, baskets)."""
