"""Benchmark harness of sote-indicators (issue 6). Run everything with ``python -m bench``.

Each benchmark runs the code path in its own subprocess, so the peak memory (RSS) printed is that
path's alone, and prints its figure, a reference measured in the same run, and their ratio.
"""
