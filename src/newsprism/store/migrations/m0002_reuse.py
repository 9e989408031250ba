from sqlalchemy.engine import Connection

from newsprism.reuse.tables import reuse_pairs, reuse_passages, reuse_signatures


def upgrade(conn: Connection) -> None:
    reuse_signatures.create(conn)
    reuse_pairs.create(conn)
    reuse_passages.create(conn)
