from sqlalchemy.engine import Connection

from newsprism.web.tokens import api_tokens


def upgrade(conn: Connection) -> None:
    api_tokens.create(conn)
