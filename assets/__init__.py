"""Dagster assets, one module per source or layer. Loaded whole by ``pipelines.definitions``."""
