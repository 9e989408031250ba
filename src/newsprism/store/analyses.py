"""Saved analyze runs: each run's report JSON, so a web app or a later command can show it again."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text, func, inspect, select

from newsprism.store.meta import metadata
from newsprism.store.search import claim_docs_of_report, index_docs
from newsprism.store.store import Store
from newsprism.store.tables import UTCDateTime

analyses = Table(
    "analyses",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("newsprism_version", String(40)),
    Column("schema_version", String(20)),
    Column("n_articles", Integer, nullable=False),
    Column("article_ids", JSON, nullable=False),
    Column("title", Text),
    Column("report", JSON, nullable=False),
    Index("ix_analyses_created_at", "created_at"),
)


@dataclass(frozen=True, slots=True)
class AnalysisSummary:
    """One saved run without its (possibly large) report body."""

    id: str
    created_at: datetime
    newsprism_version: str | None
    n_articles: int
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "created_at": self.created_at.isoformat(),
            "newsprism_version": self.newsprism_version, "n_articles": self.n_articles, "title": self.title,
        }


def new_analysis_id() -> str:
    return uuid.uuid4().hex[:16]


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything newsprism writes here is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def save_analysis(store: Store, report: Mapping[str, Any], title: str | None = None) -> str:
    """Store a report; its ``analysis_id`` is used as the key when present, else a new one is made."""
    analysis_id = str(report.get("analysis_id") or new_analysis_id())
    ids = [a["id"] for a in report.get("articles", []) if isinstance(a, Mapping) and "id" in a]
    row = {
        "id": analysis_id,
        "created_at": datetime.now(UTC),
        "newsprism_version": report.get("newsprism_version"),
        "schema_version": str(report.get("schema_version") or ""),
        "n_articles": len(ids),
        "article_ids": ids,
        "title": title,
        "report": dict(report),
    }
    with store.transaction() as conn:
        conn.execute(analyses.insert().values(**row))
        if inspect(conn).has_table("search_docs"):  # else the search migration indexes them
            index_docs(conn, claim_docs_of_report(report))  # the claims become searchable with the run
    return analysis_id


def get_analysis(store: Store, analysis_id: str) -> dict[str, Any] | None:
    """The saved report of one run (an unambiguous id prefix is accepted), or ``None``."""
    with store.engine.connect() as conn:
        row = conn.execute(select(analyses.c.report).where(analyses.c.id == analysis_id)).first()
        if row is None:
            rows = conn.execute(
                select(analyses.c.report).where(analyses.c.id.like(f"{analysis_id}%")).limit(2)
            ).all()
            row = rows[0] if len(rows) == 1 else None
    return dict(row.report) if row is not None else None


def list_analyses(store: Store, *, limit: int = 50, offset: int = 0) -> list[AnalysisSummary]:
    """Saved runs, newest first."""
    query = (
        select(analyses.c.id, analyses.c.created_at, analyses.c.newsprism_version,
               analyses.c.n_articles, analyses.c.title)
        .order_by(analyses.c.created_at.desc(), analyses.c.id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        return [
            AnalysisSummary(r.id, _aware(r.created_at), r.newsprism_version, r.n_articles, r.title)
            for r in conn.execute(query)
        ]


def latest_analysis(store: Store) -> dict[str, Any] | None:
    runs = list_analyses(store, limit=1)
    return get_analysis(store, runs[0].id) if runs else None


def count_analyses(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(analyses)).scalar_one()
