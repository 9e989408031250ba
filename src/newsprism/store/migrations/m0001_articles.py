from sqlalchemy.engine import Connection

from newsprism.store.tables import articles, ingest_errors


def upgrade(conn: Connection) -> None:
    articles.create(conn)
    ingest_errors.create(conn)
