"""Every stored datetime one UTC instant, stored one way (repairs stores of older versions).

Older versions returned a ``published`` given without a zone as a naive datetime, and the story
tables' timestamps came back naive on SQLite: one naive and one aware date in a story made every
later ingest and ``stories build`` fail. Reads are aware now; this migration also makes the stored
values consistent, so SQL ordering and comparisons agree with Python's:

- SQLite keeps datetimes as text. Any value not in the canonical UTC form SQLAlchemy writes
  (``YYYY-MM-DD HH:MM:SS.ffffff``), such as ``2024-05-02T10:00:00Z`` or ``2024-05-01`` written by
  hand or by another tool, is rewritten in it: a zone is converted to UTC, no zone means UTC.
- PostgreSQL: a column of type ``timestamp without time zone`` becomes ``timestamptz``, its
  values read as UTC.
- ``articles.published`` with no recorded offset (it was given without a zone) gets offset 0, as
  the write path now records.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

# Frozen at this migration: the datetime columns that existed when it was written.
COLUMNS = {
    "articles": ("published", "ingested_at"),
    "ingest_errors": ("at",),
    "stories": ("first_published", "last_published", "created_at", "updated_at"),
    "story_members": ("added_at",),
    "story_events": ("at",),
    "story_state": ("updated_at",),
    "analyses": ("created_at",),
    "api_tokens": ("created_at", "revoked_at", "last_used_at"),
}
_D = "[0-9]"
_CANONICAL = f"{_D * 4}-{_D * 2}-{_D * 2} {_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}"  # a GLOB pattern


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None  # a number or blob no newsprism version wrote: left for a person to judge
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _sqlite_column(conn: Connection, table: str, column: str) -> None:
    rows = conn.execute(
        text(f'SELECT rowid, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL '
             f"AND (typeof(\"{column}\") != 'text' OR \"{column}\" NOT GLOB :canonical)"),
        {"canonical": _CANONICAL},
    ).all()
    for rowid, raw in rows:
        value = _parse(raw)
        if value is None:
            continue
        if value.tzinfo is not None and table == "articles" and column == "published":
            # The zone it was given in is kept, as the write path keeps it.
            offset = int(value.utcoffset().total_seconds())
            conn.execute(text("UPDATE articles SET published_utcoffset = :o WHERE rowid = :r "
                              "AND published_utcoffset IS NULL"), {"o": offset, "r": rowid})
        value = value.astimezone(UTC) if value.tzinfo is not None else value
        conn.execute(text(f'UPDATE "{table}" SET "{column}" = :v WHERE rowid = :r'),
                     {"v": value.strftime("%Y-%m-%d %H:%M:%S.%f"), "r": rowid})


def _postgresql_column(conn: Connection, table: str, column: str) -> None:
    kind = conn.execute(
        text("SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
             "AND table_name = :t AND column_name = :c"),
        {"t": table, "c": column},
    ).scalar()
    if kind == "timestamp without time zone":
        conn.execute(text(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE timestamptz '
                          f"USING \"{column}\" AT TIME ZONE 'UTC'"))


def upgrade(conn: Connection) -> None:
    present = set(inspect(conn).get_table_names())
    fix = _sqlite_column if conn.dialect.name == "sqlite" else _postgresql_column
    for table, columns in COLUMNS.items():
        if table not in present:
            continue
        for column in columns:
            fix(conn, table, column)
    if "articles" in present:
        conn.execute(text("UPDATE articles SET published_utcoffset = 0 "
                          "WHERE published IS NOT NULL AND published_utcoffset IS NULL"))
