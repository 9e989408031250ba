"""Core tables: articles, ingest runs and ingest errors."""

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from newsprism.store.meta import metadata

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("identity_key", String(2048)),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("outlet", String(300)),
    Column("outlet_domain", String(300)),
    Column("byline", Text),
    Column("dateline", String(300)),
    Column("published", DateTime(timezone=True)),
    Column("language", String(20)),
    Column("source_path", Text),
    Column("source_format", String(40), nullable=False),
    Column("external_id", String(500)),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("sentences", JSON, nullable=False),
    Column("origins", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("revision_of", String(32), ForeignKey("articles.id")),
    Column("revision", Integer, nullable=False, default=1),
    Column("seq", Integer, nullable=False),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_identity_key", "identity_key"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet", "outlet"),
)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
