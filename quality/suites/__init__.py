"""One module per table family; each defines ``SUITES`` (great-expectations) and optionally ``CHECKS``."""
