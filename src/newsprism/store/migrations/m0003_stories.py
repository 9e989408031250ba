"""Stories, membership, merge/split events and frozen feature state. Frozen DDL (see ``m0001``);
``stories.rev`` is created here for new stores and added by ``m0007`` to older ones."""

from sqlalchemy import (
    JSON,
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

_md = frozen_metadata("articles")
_tables = (
    Table(
        "stories",
        _md,
        Column("id", String(32), primary_key=True),
        Column("label", Text, nullable=False),
        Column("n_articles", Integer, nullable=False),
        Column("first_published", DateTime(timezone=True)),
        Column("last_published", DateTime(timezone=True)),
        Column("status", String(20), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("profile", LargeBinary),
        Column("rev", Integer, nullable=False, server_default="0"),
        Index("ix_stories_status", "status"),
        Index("ix_stories_rev", "rev"),
    ),
    Table(
        "story_members",
        _md,
        Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        Column("story_id", String(32), ForeignKey("stories.id"), nullable=False),
        Column("added_at", DateTime(timezone=True), nullable=False),
        Column("how", String(20), nullable=False),
        Column("score", Float),
        Index("ix_story_members_story_id", "story_id"),
    ),
    Table(
        "story_events",
        _md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("kind", String(20), nullable=False),
        Column("from_ids", JSON, nullable=False),
        Column("to_ids", JSON, nullable=False),
        Column("article_ids", JSON, nullable=False),
        Column("detail", JSON, nullable=False),
    ),
    Table(
        "story_state",
        _md,
        Column("key", String(64), primary_key=True),
        Column("value", LargeBinary, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ),
)


def upgrade(conn: Connection) -> None:
    for table in _tables:
        table.create(conn)
