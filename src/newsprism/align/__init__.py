"""Alignment: grouping the claims of different articles in a story that state the same fact."""
