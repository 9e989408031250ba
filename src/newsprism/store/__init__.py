"""Storage: SQLAlchemy Core over SQLite (default) or PostgreSQL."""

from newsprism.store.store import AddResult, AddStatus, Store, StoreOpenError, database_url, make_engine

__all__ = ["AddResult", "AddStatus", "Store", "StoreOpenError", "database_url", "make_engine"]
