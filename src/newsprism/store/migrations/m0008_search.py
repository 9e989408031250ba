"""Full-text search (``newsprism.store.search``): the documents table and its index, filled with
what an existing store already holds: the current revision of every article, and the claims of
every saved analysis.

Frozen DDL: later changes to the search module must not change what this migration creates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from newsprism.store.search import BODY_MAX_CHARS, SearchDoc, claim_docs_of_report, index_docs

# Article text read per round while filling the index: bounded by characters, not by rows.
FILL_CHARS = 16 << 20

_SQLITE = [
    # body: a claim's text; NULL for an article, whose text the view reads from ``articles``.
    "CREATE TABLE search_docs (id INTEGER PRIMARY KEY, kind VARCHAR(10) NOT NULL, "
    "ref VARCHAR(80) NOT NULL, parent VARCHAR(32), title TEXT, body TEXT, "
    "CONSTRAINT uq_search_docs_kind_ref UNIQUE (kind, ref))",
    "CREATE VIEW search_content AS SELECT d.id AS id, coalesce(d.title, '') AS title, "
    f"coalesce(d.body, substr(a.text, 1, {BODY_MAX_CHARS})) AS body FROM search_docs d "
    "LEFT JOIN articles a ON d.kind = 'article' AND a.id = d.ref",
    # External content: the text is stored once, where it lives, and snippets are cut from it there.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_content', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
]
_POSTGRES = [
    "CREATE TABLE search_docs (id BIGSERIAL PRIMARY KEY, kind VARCHAR(10) NOT NULL, "
    "ref VARCHAR(80) NOT NULL, parent VARCHAR(32), title TEXT, body TEXT, tsv tsvector NOT NULL, "
    "CONSTRAINT uq_search_docs_kind_ref UNIQUE (kind, ref))",
    "CREATE INDEX ix_search_docs_tsv ON search_docs USING GIN (tsv)",
]


def upgrade(conn: Connection) -> None:
    for statement in _SQLITE if conn.dialect.name == "sqlite" else _POSTGRES:
        conn.execute(text(statement))
    # Stores created before this migration: everything they hold becomes searchable.
    for docs in _current_articles(conn):
        index_docs(conn, docs)
    for docs in _saved_claims(conn):
        index_docs(conn, docs)


def _current_articles(conn: Connection) -> Iterator[list[SearchDoc]]:
    """Pages of the articles no later revision replaces, each page under ``FILL_CHARS``."""
    sizes = conn.execute(text(
        "SELECT a.id, length(a.text) FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM articles b WHERE b.revision_of = a.id) ORDER BY a.seq")).all()
    page: list[str] = []
    used = 0
    for art_id, size in [*sizes, (None, 0)]:
        if page and (art_id is None or used + min(size, BODY_MAX_CHARS) > FILL_CHARS):
            query = text("SELECT id, title, substr(text, 1, :n) FROM articles WHERE id IN :ids")
            rows = conn.execute(query.bindparams(bindparam("ids", expanding=True)),
                                {"ids": page, "n": BODY_MAX_CHARS}).all()
            yield [SearchDoc("article", i, None, t, body) for i, t, body in rows]
            page, used = [], 0
        if art_id is not None:
            page.append(art_id)
            used += min(size, BODY_MAX_CHARS)


def _saved_claims(conn: Connection) -> Iterator[list[SearchDoc]]:
    """The claims of each saved analysis, one analysis at a time."""
    for (analysis_id,) in conn.execute(text("SELECT id FROM analyses ORDER BY created_at")).all():
        report = conn.execute(text("SELECT report FROM analyses WHERE id = :id"),
                              {"id": analysis_id}).scalar()
        yield list(claim_docs_of_report(_json(report)))


def _json(value: object) -> dict:
    return json.loads(value) if isinstance(value, str | bytes) else dict(value or {})
