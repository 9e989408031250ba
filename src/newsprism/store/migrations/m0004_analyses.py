from sqlalchemy.engine import Connection

from newsprism.store.analyses import analyses


def upgrade(conn: Connection) -> None:
    analyses.create(conn)
