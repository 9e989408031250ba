"""API tokens: random secrets shown once, stored only as SHA-256 hashes.

A token is ``np_<id>_<secret>``; the id lets a user revoke it by name without ever showing the
secret again, and a stolen database holds no usable token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from newsprism.store.store import Store
from newsprism.store.tokens import api_tokens

PREFIX = "np"


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None, "active": self.active}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, name: str) -> tuple[str, TokenInfo]:
    """A new token; the plain secret is returned once and never stored."""
    token_id = secrets.token_hex(4)
    token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    now = datetime.now(UTC)
    with store.transaction() as conn:
        conn.execute(api_tokens.insert().values(
            id=token_id, name=name, token_sha256=hash_token(token), created_at=now))
    return token, TokenInfo(token_id, name, now, None)


def revoke_token(store: Store, token_id: str) -> bool:
    """Revoke by id; ``False`` when no active token has that id."""
    with store.transaction() as conn:
        result = conn.execute(
            update(api_tokens)
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return result.rowcount > 0


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def list_tokens(store: Store) -> list[TokenInfo]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(api_tokens).order_by(api_tokens.c.created_at)).all()
    return [TokenInfo(r.id, r.name, _aware(r.created_at), _aware(r.revoked_at)) for r in rows]


def verify_token(store: Store, token: str) -> TokenInfo | None:
    """The active token matching ``token``, or ``None``."""
    if not token or len(token) > 200:
        return None
    digest = hash_token(token)
    with store.engine.connect() as conn:
        row = conn.execute(
            select(api_tokens).where(api_tokens.c.token_sha256 == digest, api_tokens.c.revoked_at.is_(None))
        ).first()
    # The lookup is by hash, so timing reveals nothing about the secret; compare again to be explicit.
    if row is None or not hmac.compare_digest(row.token_sha256, digest):
        return None
    return TokenInfo(row.id, row.name, _aware(row.created_at), None)
