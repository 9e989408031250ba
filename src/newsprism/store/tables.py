"""Core tables: articles and ingest errors, plus ``UTCDateTime`` for every table's timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.types import TypeDecorator

from newsprism.store.meta import metadata


class UTCDateTime(TypeDecorator):
    """An instant stored in UTC, returned as an aware UTC datetime on every backend.

    SQLite keeps no offset (SQLAlchemy writes wall-clock text) and PostgreSQL returns
    ``timestamptz`` in the session's TimeZone, so normalising to UTC on both sides is what makes
    the two backends return the same value. Naive inputs are rejected here: whether a naive
    value means UTC or "local, zone unknown" is the caller's decision (see ``Store``).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    # Text, not VARCHAR(n): PostgreSQL rejects over-long values where SQLite would not, and a
    # long URL or dateline from a messy page must not fail a batch on one backend only.
    Column("identity_key", Text),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("outlet", Text),
    Column("outlet_domain", Text),
    Column("byline", Text),
    Column("dateline", Text),
    Column("published", UTCDateTime),
    # The published value's UTC offset in seconds, so an outlet's local time comes back as it
    # was given; NULL with a non-NULL ``published`` means the input had no zone (naive).
    Column("published_utcoffset", Integer),
    Column("language", Text),
    Column("source_path", Text),
    Column("source_format", Text, nullable=False),
    Column("external_id", Text),
    Column("ingested_at", UTCDateTime, nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("sentences", JSON, nullable=False),
    Column("origins", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("revision_of", String(32), ForeignKey("articles.id")),
    Column("revision", Integer, nullable=False, default=1),
    # Insertion order; assigned under the store's write lock, so unique and gap-free per writer.
    Column("seq", Integer, nullable=False),
    Index("ix_articles_seq", "seq", unique=True),
    Index("ix_articles_content_hash", "content_hash"),
    # Hash on PostgreSQL: a btree entry over ~2.7 kB (a very long URL) is an error there.
    Index("ix_articles_identity_key", "identity_key", postgresql_using="hash"),
    Index("ix_articles_revision_of", "revision_of"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet_seq", "outlet", "seq"),
)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
