"""``stories.rev``: which write transaction last changed a story, so concurrent writers catch up.

Stores created from this version on get the column from ``m0003`` (it creates the table as
declared now); older ones get it here, 0 for every existing row.
"""

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection


def upgrade(conn: Connection) -> None:
    inspector = inspect(conn)
    if "rev" not in {c["name"] for c in inspector.get_columns("stories")}:
        conn.execute(text("ALTER TABLE stories ADD COLUMN rev INTEGER NOT NULL DEFAULT 0"))
    if "ix_stories_rev" not in {i["name"] for i in inspector.get_indexes("stories")}:
        conn.execute(text("CREATE INDEX ix_stories_rev ON stories (rev)"))
