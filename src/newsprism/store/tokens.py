"""The API tokens table: the store keeps tokens (as hashes); ``newsprism.web.tokens`` issues them."""

from sqlalchemy import Column, String, Table

from newsprism.store.meta import metadata
from newsprism.store.tables import UTCDateTime

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
    Column("last_used_at", UTCDateTime()),
)
