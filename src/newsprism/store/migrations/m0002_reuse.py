"""Reuse signatures, pairs and passages. Frozen DDL (see ``m0001_articles``)."""

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, LargeBinary, String, Table, Text
from sqlalchemy.engine import Connection

from newsprism.store.migrations._frozen import frozen_metadata

_md = frozen_metadata("articles")
_ARTICLE = "articles.id"
_tables = (
    Table(
        "reuse_signatures",
        _md,
        Column("article_id", String(32), ForeignKey(_ARTICLE, ondelete="CASCADE"), primary_key=True),
        Column("doc", Integer, nullable=False, unique=True),
        Column("content_hash", String(64), nullable=False),
        Column("params", String(200), nullable=False),
        Column("n_tokens", Integer, nullable=False),
        Column("index_keys", LargeBinary, nullable=False),
        Index("ix_reuse_signatures_content_hash", "content_hash"),
    ),
    Table(
        "reuse_pairs",
        _md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("a", String(32), ForeignKey(_ARTICLE, ondelete="CASCADE"), nullable=False),
        Column("b", String(32), ForeignKey(_ARTICLE, ondelete="CASCADE"), nullable=False),
        Column("type", String(20), nullable=False),
        Column("direction", String(10), nullable=False),
        Column("confidence", Float, nullable=False),
        Column("reason", Text, nullable=False),
        Column("direction_reason", Text, nullable=False),
        Column("coverage_a", Float, nullable=False),
        Column("coverage_b", Float, nullable=False),
        Index("ix_reuse_pairs_ab", "a", "b", unique=True),
        Index("ix_reuse_pairs_b", "b"),
    ),
    Table(
        "reuse_passages",
        _md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("pair_id", Integer, ForeignKey("reuse_pairs.id", ondelete="CASCADE"), nullable=False),
        Column("a_start", Integer, nullable=False),
        Column("a_end", Integer, nullable=False),
        Column("b_start", Integer, nullable=False),
        Column("b_end", Integer, nullable=False),
        Index("ix_reuse_passages_pair_id", "pair_id"),
    ),
)


def upgrade(conn: Connection) -> None:
    for table in _tables:
        table.create(conn)
