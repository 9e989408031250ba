"""API tokens (hashes only). Frozen DDL (see ``m0001``)."""

from sqlalchemy import Column, DateTime, String, Table
from sqlalchemy.engine import Connection

from newsprism.store.migrations._frozen import frozen_metadata

_api_tokens = Table(
    "api_tokens",
    frozen_metadata(),
    Column("id", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)


def upgrade(conn: Connection) -> None:
    _api_tokens.create(conn)
