"""30 basket analysis: frequent itemsets, association rules, cross-sell, spider web, purchase types."""
