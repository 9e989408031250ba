"""Topics: ``topics`` (looser groups of stories, with centroid profiles) and ``topic_members``.

Frozen DDL (see ``m0001``): declared here as they were when this migration was written, on a
private ``MetaData``, never imported from ``newsprism.stories.tables``. Existing stores get empty
tables; their stories get topics on the next ``stories build`` or the next linked ingest.
"""

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

from newsprism.store.migrations._frozen import frozen_metadata

_md = frozen_metadata("stories")
_tables = (
    Table(
        "topics",
        _md,
        Column("id", String(32), primary_key=True),
        Column("label", Text, nullable=False),
        Column("status", String(20), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("profile", LargeBinary),
        Column("profile_size", Integer, nullable=False),
        Column("rev", Integer, nullable=False, server_default="0"),
        Index("ix_topics_status", "status"),
        Index("ix_topics_rev", "rev"),
    ),
    Table(
        "topic_members",
        _md,
        Column("story_id", String(32), ForeignKey("stories.id"), primary_key=True),
        Column("topic_id", String(32), ForeignKey("topics.id"), nullable=False),
        Column("added_at", DateTime(timezone=True), nullable=False),
        Column("how", String(20), nullable=False),
        Column("score", Float),
        Index("ix_topic_members_topic_id", "topic_id"),
    ),
)


def upgrade(conn: Connection) -> None:
    for table in _tables:
        table.create(conn)
