"""Stories: grouping articles that report one event (batch clustering and incremental assignment)."""
