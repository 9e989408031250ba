"""Saved analyze reports (read-only since findings are stored per story). Frozen DDL (see ``m0001``)."""

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text
from sqlalchemy.engine import Connection

from newsprism.store.migrations._frozen import frozen_metadata

_analyses = Table(
    "analyses",
    frozen_metadata(),
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("newsprism_version", String(40)),
    Column("schema_version", String(20)),
    Column("n_articles", Integer, nullable=False),
    Column("article_ids", JSON, nullable=False),
    Column("title", Text),
    Column("report", JSON, nullable=False),
    Index("ix_analyses_created_at", "created_at"),
)


def upgrade(conn: Connection) -> None:
    _analyses.create(conn)
