"""The shared core: errors and checks, the zh/en message catalogue, display tables, chart style, the notebook API."""
