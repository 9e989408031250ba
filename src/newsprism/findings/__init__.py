"""Persisted analysis: stored stories analysed, their findings written, read back and exported."""
