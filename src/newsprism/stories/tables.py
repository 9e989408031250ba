"""Story tables: stories with their centroid profiles, membership, merge/split events, frozen state."""

from sqlalchemy import (
    JSON,
    Column,
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
from newsprism.store.tables import UTCDateTime

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("label", Text, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("first_published", UTCDateTime),
    Column("last_published", UTCDateTime),
    # "active", or "merged" / "split" once its articles went to other stories (see story_events).
    Column("status", String(20), nullable=False, default="active"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Centroid sums (sketch, text and name profiles) so a new article is scored without a rescan.
    Column("profile", LargeBinary),
    # The write transaction that last changed the row (a store-wide counter taken under the write
    # lock): a writer catches up on other writers' changes by reading the rows above its last rev.
    Column("rev", Integer, nullable=False, server_default="0"),
    Index("ix_stories_status", "status"),
    Index("ix_stories_rev", "rev"),
)

story_members = Table(
    "story_members",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(32), ForeignKey("stories.id"), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("how", String(20), nullable=False),  # "batch" or "incremental"
    Column("score", Float),  # mean pair score with the story when it joined incrementally
    Index("ix_story_members_story_id", "story_id"),
)

story_events = Table(
    "story_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
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
    Column("updated_at", UTCDateTime, nullable=False),
)

# Topics: looser groups of stories (``stories/topics.py``); ids stable as story ids are.
topics = Table(
    "topics",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("label", Text, nullable=False),
    # "active", or "merged" / "split" / "emptied" once its stories went to other topics or away.
    Column("status", String(20), nullable=False, default="active"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Summed story-row profiles (as ``stories.profile``) and how many stories were summed into it:
    # the divisor of the mean score, not the live count (a story merged away leaves its evidence).
    Column("profile", LargeBinary),
    Column("profile_size", Integer, nullable=False),
    Column("rev", Integer, nullable=False, server_default="0"),  # as ``stories.rev``
    Index("ix_topics_status", "status"),
    Index("ix_topics_rev", "rev"),
)

topic_members = Table(
    "topic_members",
    metadata,
    Column("story_id", String(32), ForeignKey("stories.id"), primary_key=True),
    Column("topic_id", String(32), ForeignKey("topics.id"), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("how", String(20), nullable=False),  # "batch" or "incremental"
    Column("score", Float),  # mean score with the topic when the story joined incrementally
    Index("ix_topic_members_topic_id", "topic_id"),
)
