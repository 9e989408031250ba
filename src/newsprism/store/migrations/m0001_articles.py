"""Articles and ingest errors (see ``newsprism.store.tables``)."""

from sqlalchemy import text
from sqlalchemy.engine import Connection

from newsprism.store.tables import articles, ingest_errors


def upgrade(conn: Connection) -> None:
    articles.create(conn)
    ingest_errors.create(conn)
    if conn.dialect.name == "postgresql":
        # Id-prefix lookups (``LIKE 'ab12%'``) use this index under any collation.
        conn.execute(text("CREATE INDEX ix_articles_id_pattern ON articles (id varchar_pattern_ops)"))
