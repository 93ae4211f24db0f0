"""Data-quality suites (great-expectations) surfaced as Dagster asset checks.

Each module in ``quality.suites`` declares ``SUITES``; ``quality.checks`` turns every suite into one
``@multi_asset_check`` with one check result per expectation.
"""
