"""sote-indicators: the Dagster code location and its pure-Python building blocks."""
