"""Story tables: stories with their centroid profiles, membership, merge/split events, frozen state."""

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

from newsprism.store.meta import metadata

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("label", Text, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("first_published", DateTime(timezone=True)),
    Column("last_published", DateTime(timezone=True)),
    # "active", or "merged" / "split" once its articles went to other stories (see story_events).
    Column("status", String(20), nullable=False, default="active"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Centroid sums (sketch, text and name profiles) so a new article is scored without a rescan.
    Column("profile", LargeBinary),
    Index("ix_stories_status", "status"),
)

story_members = Table(
    "story_members",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(32), ForeignKey("stories.id"), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("how", String(20), nullable=False),  # "batch" or "incremental"
    Column("score", Float),  # mean pair score with the story when it joined incrementally
    Index("ix_story_members_story_id", "story_id"),
)

story_events = Table(
    "story_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(20), nullable=False),  # "merge" or "split"
    Column("from_ids", JSON, nullable=False),
    Column("to_ids", JSON, nullable=False),
    Column("article_ids", JSON, nullable=False),  # the articles whose evidence caused it
    Column("detail", JSON, nullable=False),
)

story_state = Table(
    "story_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
