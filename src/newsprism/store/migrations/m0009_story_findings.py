"""Persisted analysis per story: ``story_analyses`` and its claims, fact groups, verdicts, reuse links.

Frozen DDL: the tables are declared here as they were when this migration was written, on a
private ``MetaData`` (``_frozen``), so a later change to ``newsprism.store.findings`` never changes what this
migration creates (a later change gets a migration of its own).
"""

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

from newsprism.store.migrations._frozen import frozen_metadata

_md = frozen_metadata("stories")

_analyses = Table(
    "story_analyses",
    _md,
    Column("story_id", String(32), ForeignKey("stories.id"), primary_key=True),
    Column("analysed_at", DateTime(timezone=True), nullable=False),
    Column("newsprism_version", String(40)),
    Column("article_ids", JSON, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_independent_sources", Integer, nullable=False),
    Column("independent_basis", String(20), nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("n_fact_groups", Integer, nullable=False),
    Column("n_corroborated", Integer, nullable=False),
    Column("n_conflicts", Integer, nullable=False),
    Column("n_disputes", Integer, nullable=False),
    Column("n_single_source", Integer, nullable=False),
    Column("changes", JSON, nullable=False),
    Column("detail", JSON, nullable=False),
    Index("ix_story_analyses_analysed_at", "analysed_at"),
)


def _child(name: str, *columns: Column) -> Table:
    return Table(
        name,
        _md,
        Column("id", String(40), primary_key=True),
        Column("story_id", String(32), ForeignKey("story_analyses.story_id", ondelete="CASCADE"),
               nullable=False),
        *columns,
        Column("detail", JSON, nullable=False),
        Index(f"ix_{name}_story_id", "story_id"),
    )


_children = (
    _child("story_claims",
           Column("article_id", String(32), nullable=False),
           Column("span_start", Integer, nullable=False),
           Column("span_end", Integer, nullable=False),
           Column("text", Text, nullable=False)),
    _child("story_fact_groups",
           Column("n_articles", Integer, nullable=False),
           Column("score", Float, nullable=False),
           Column("claim_ids", JSON, nullable=False)),
    _child("story_verdicts",
           Column("section", String(20), nullable=False),
           Column("label", String(20), nullable=False),
           Column("type", String(40)),
           Column("text", Text, nullable=False),
           Column("n_independent_sources", Integer, nullable=False),
           Column("confidence", Float, nullable=False),
           Column("article_ids", JSON, nullable=False)),
    _child("story_reuse_links",
           Column("a", String(32), nullable=False),
           Column("b", String(32), nullable=False),
           Column("type", String(20), nullable=False),
           Column("direction", String(10), nullable=False),
           Column("confidence", Float, nullable=False)),
)


def upgrade(conn: Connection) -> None:
    _analyses.create(conn)
    for table in _children:
        table.create(conn)
