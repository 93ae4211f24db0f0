"""Pure-Python source clients and parsers (no Dagster imports)."""
