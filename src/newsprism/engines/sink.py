"""The engines' writes to the store, in one small adapter so each write path is one function.

Every write here is idempotent, because a Ray task can run twice (a node lost mid-task, a retried
actor call): articles are keyed by their content id, so a second ``add_articles`` of the same batch
reports duplicates and inserts nothing; an ingest error already recorded with the same source and
reason is not recorded again. Stored stories' findings are written by the story tasks through
``newsprism.findings.run.analyse_batch``, the one write path of stored analysis on either engine:
one transaction per story that replaces what the story had, so a retried task stores them once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, tuple_

from newsprism.model import Article
from newsprism.store import AddStatus, Store
from newsprism.store.tables import ingest_errors


def _unrecorded(conn: Any, errors: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    wanted = list(dict.fromkeys(errors))
    if not wanted:
        return []
    known: set[tuple[str, str]] = set()
    for lo in range(0, len(wanted), 500):
        part = wanted[lo : lo + 500]
        query = select(ingest_errors.c.source, ingest_errors.c.reason).where(
            tuple_(ingest_errors.c.source, ingest_errors.c.reason).in_(part)
        )
        known.update((s, r) for s, r in conn.execute(query))
    return [e for e in wanted if e not in known]


def write_articles(
    store: Store, articles: Sequence[Article], errors: Sequence[tuple[str, str]]
) -> list[tuple[AddStatus, Article]]:
    """Store a batch of articles and the errors met reading them, in one transaction."""
    with store.transaction() as conn:
        result = store.add_articles(articles, conn) if articles else None
        store.record_errors(_unrecorded(conn, errors), conn)
    return list(result.statuses) if result is not None else []

