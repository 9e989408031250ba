"""Reuse tables: per-article LSH signatures, typed pairs, and their aligned passages."""

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from newsprism.store.meta import metadata

reuse_signatures = Table(
    "reuse_signatures",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("doc", Integer, nullable=False, unique=True),  # dense id used inside the band index
    Column("content_hash", String(64), nullable=False),
    Column("params", String(200), nullable=False),  # fingerprint options the keys were made with
    Column("n_tokens", Integer, nullable=False),
    Column("index_keys", LargeBinary, nullable=False),  # little-endian uint64 band keys
    Index("ix_reuse_signatures_content_hash", "content_hash"),
)

reuse_pairs = Table(
    "reuse_pairs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("b", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("direction_reason", Text, nullable=False),
    Column("coverage_a", Float, nullable=False),
    Column("coverage_b", Float, nullable=False),
    Index("ix_reuse_pairs_ab", "a", "b", unique=True),
    Index("ix_reuse_pairs_b", "b"),
)

reuse_passages = Table(
    "reuse_passages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pair_id", Integer, ForeignKey("reuse_pairs.id", ondelete="CASCADE"), nullable=False),
    Column("a_start", Integer, nullable=False),
    Column("a_end", Integer, nullable=False),
    Column("b_start", Integer, nullable=False),
    Column("b_end", Integer, nullable=False),
    Index("ix_reuse_passages_pair_id", "pair_id"),
)
