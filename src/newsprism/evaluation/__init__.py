"""Benchmark loaders and metrics (``pairs``: sentence-pair judges)."""
