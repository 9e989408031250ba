"""Verdicts: corroborated facts, outlet conflicts, actor disputes and single-source claims."""
