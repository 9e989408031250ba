"""Articles and ingest errors. Frozen DDL: the tables as they were declared when this migration
was written (``newsprism.store.tables`` may change; a change gets a migration of its own)."""

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.engine import Connection

from newsprism.store.migrations._frozen import frozen_metadata

_md = frozen_metadata()
_articles = Table(
    "articles",
    _md,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("identity_key", Text),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("outlet", Text),
    Column("outlet_domain", Text),
    Column("byline", Text),
    Column("dateline", Text),
    Column("published", DateTime(timezone=True)),
    Column("published_utcoffset", Integer),
    Column("language", Text),
    Column("source_path", Text),
    Column("source_format", Text, nullable=False),
    Column("external_id", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("paragraphs", JSON, nullable=False),
    Column("sentences", JSON, nullable=False),
    Column("origins", JSON, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("revision_of", String(32), ForeignKey("articles.id")),
    Column("revision", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Index("ix_articles_seq", "seq", unique=True),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_identity_key", "identity_key", postgresql_using="hash"),
    Index("ix_articles_revision_of", "revision_of"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet_seq", "outlet", "seq"),
)
_ingest_errors = Table(
    "ingest_errors",
    _md,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)


def upgrade(conn: Connection) -> None:
    _articles.create(conn)
    _ingest_errors.create(conn)
    if conn.dialect.name == "postgresql":
        # Id-prefix lookups (``LIKE 'ab12%'``) use this index under any collation.
        conn.execute(text("CREATE INDEX ix_articles_id_pattern ON articles (id varchar_pattern_ops)"))
