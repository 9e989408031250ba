"""Persisted analysis: each story's claims, fact groups, verdicts and reuse links, with stable ids.

The stories of ``newsprism.stories`` are the only stories; an analysis belongs to one of them. Every
row's id is derived from its content (article ids, character offsets, kind), so analysing the same
articles again writes the same ids: ``save_story_findings`` replaces a story's analysis in the
caller's transaction and, run twice, leaves the tables as one run left them. Any engine (the
in-process runner, a Ray job) writes through that one function.

Each row keeps its indexed columns (what lists, filters and exports read) and ``detail``, the
finding as the report shows it, so a report is rendered from these tables alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    select,
)
from sqlalchemy.engine import Connection

from newsprism.store.meta import metadata
from newsprism.store.search import claim_doc, index_docs, remove_docs
from newsprism.store.tables import UTCDateTime

# Verdict sections, in report order; a verdict row's ``section`` is one of them.
VERDICT_SECTIONS = ("fact_sheet", "conflicts", "actor_disputes", "single_source", "dismissed", "wording")
_IN_CHUNK = 500

story_analyses = Table(
    "story_analyses",
    metadata,
    Column("story_id", String(32), ForeignKey("stories.id"), primary_key=True),
    Column("analysed_at", UTCDateTime, nullable=False),
    Column("newsprism_version", String(40)),
    Column("article_ids", JSON, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_independent_sources", Integer, nullable=False),
    Column("independent_basis", String(20), nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("n_fact_groups", Integer, nullable=False),
    Column("n_corroborated", Integer, nullable=False),
    Column("n_conflicts", Integer, nullable=False),
    Column("n_disputes", Integer, nullable=False),
    Column("n_single_source", Integer, nullable=False),
    # What this analysis found that the previous one of the story did not (new conflicts, sources).
    Column("changes", JSON, nullable=False),
    # Stage records and each layer's story-level notes, errors and independence basis.
    Column("detail", JSON, nullable=False),
    Index("ix_story_analyses_analysed_at", "analysed_at"),
)


def _child(name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("id", String(40), primary_key=True),
        Column("story_id", String(32), ForeignKey("story_analyses.story_id", ondelete="CASCADE"),
               nullable=False),
        *columns,
        Column("detail", JSON, nullable=False),
        Index(f"ix_{name}_story_id", "story_id"),
    )


story_claims = _child(
    "story_claims",
    Column("article_id", String(32), nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
story_fact_groups = _child(
    "story_fact_groups",
    Column("n_articles", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("claim_ids", JSON, nullable=False),
)
story_verdicts = _child(
    "story_verdicts",
    Column("section", String(20), nullable=False),
    Column("label", String(20), nullable=False),
    Column("type", String(40)),
    Column("text", Text, nullable=False),
    Column("n_independent_sources", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("article_ids", JSON, nullable=False),
)
story_reuse_links = _child(
    "story_reuse_links",
    Column("a", String(32), nullable=False),
    Column("b", String(32), nullable=False),
    Column("type", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("confidence", Float, nullable=False),
)
CHILD_TABLES = (story_claims, story_fact_groups, story_verdicts, story_reuse_links)


def stable_id(prefix: str, *parts: object) -> str:
    """An id from content: the same parts always give the same id, on every run and engine."""
    basis = "\x1f".join(str(p) for p in (prefix, *parts))
    return prefix + hashlib.sha256(basis.encode()).hexdigest()[:20]


@dataclass
class StoryFindings:
    """One story's analysis as rows: ``summary`` is its ``story_analyses`` row (without the story id,
    time and changes); each list holds rows of the table it is named after, ids already stable."""

    story_id: str
    summary: dict[str, Any]
    claims: list[dict[str, Any]] = field(default_factory=list)
    fact_groups: list[dict[str, Any]] = field(default_factory=list)
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    reuse_links: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[tuple[Table, list[dict[str, Any]]]]:
        return list(zip(CHILD_TABLES, (self.claims, self.fact_groups, self.verdicts, self.reuse_links),
                        strict=True))


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), _IN_CHUNK):
        yield values[i : i + _IN_CHUNK]


def _changes(conn: Connection, findings: StoryFindings) -> dict[str, Any]:
    """What is new against the analysis stored before: conflicts, disputes and sources (outlets or,
    without an outlet, articles). A first analysis reports everything as new."""
    before = conn.execute(
        select(story_analyses.c.analysed_at, story_analyses.c.outlets, story_analyses.c.article_ids)
        .where(story_analyses.c.story_id == findings.story_id)
    ).first()
    old_verdicts = set(conn.execute(
        select(story_verdicts.c.id).where(story_verdicts.c.story_id == findings.story_id)
    ).scalars())

    def new_of(section: str) -> list[str]:
        return [v["id"] for v in findings.verdicts if v["section"] == section and v["id"] not in old_verdicts]

    old_outlets = set(before.outlets) if before else set()
    old_articles = set(before.article_ids) if before else set()
    return {
        "previous_analysed_at": before.analysed_at.astimezone(UTC).isoformat() if before else None,
        "new_articles": [a for a in findings.summary["article_ids"] if a not in old_articles],
        "new_sources": [o for o in findings.summary["outlets"] if o not in old_outlets],
        "new_conflicts": new_of("conflicts"),
        "new_disputes": new_of("actor_disputes"),
    }


def save_story_findings(conn: Connection, findings: StoryFindings, now: datetime | None = None) -> None:
    """Replace one story's stored analysis with ``findings`` inside the caller's write transaction.

    Idempotent: rows are keyed by their stable ids, and a row with one of these ids stored under
    another story (its article moved in a merge) is replaced too, so nothing is stored twice."""
    changes = _changes(conn, findings)
    before = set(conn.execute(select(story_claims.c.id).where(story_claims.c.story_id == findings.story_id))
                 .scalars())
    for table, rows in findings.rows():
        conn.execute(delete(table).where(table.c.story_id == findings.story_id))
        for chunk in _chunks([r["id"] for r in rows]):
            conn.execute(delete(table).where(table.c.id.in_(chunk)))
    conn.execute(delete(story_analyses).where(story_analyses.c.story_id == findings.story_id))
    conn.execute(story_analyses.insert().values(
        story_id=findings.story_id, analysed_at=now or datetime.now(UTC), changes=changes,
        **findings.summary,
    ))
    for table, rows in findings.rows():
        if rows:
            conn.execute(table.insert(), [{**r, "story_id": findings.story_id} for r in rows])
    # The stored claims are what search finds: the index follows them in the same transaction.
    claims = [r for table, rows in findings.rows() if table is story_claims for r in rows]
    remove_docs(conn, "claim", sorted(before - {r["id"] for r in claims}))
    index_docs(conn, (claim_doc(r["id"], r["article_id"], r["text"]) for r in claims))


def drop_story_findings(conn: Connection, story_ids: Sequence[str]) -> None:
    """Forget the analyses of ``story_ids`` (stories merged into or split into others)."""
    for chunk in _chunks(list(story_ids)):
        gone = select(story_claims.c.id).where(story_claims.c.story_id.in_(chunk))
        remove_docs(conn, "claim", list(conn.execute(gone).scalars()))
        for table in CHILD_TABLES:
            conn.execute(delete(table).where(table.c.story_id.in_(chunk)))
        conn.execute(delete(story_analyses).where(story_analyses.c.story_id.in_(chunk)))


def analysis_summaries(conn: Connection, story_ids: Sequence[str]) -> dict[str, Any]:
    """story id -> its ``story_analyses`` row, for those of ``story_ids`` that were analysed."""
    out: dict[str, Any] = {}
    for chunk in _chunks(list(story_ids)):
        out.update({r.story_id: r for r in conn.execute(
            select(story_analyses).where(story_analyses.c.story_id.in_(chunk)))})
    return out


def story_rows(conn: Connection, table: Table, story_ids: Sequence[str]) -> list[Any]:
    """The rows of one findings table for ``story_ids``, in a stable order."""
    out: list[Any] = []
    for chunk in _chunks(list(story_ids)):
        out += conn.execute(select(table).where(table.c.story_id.in_(chunk)).order_by(table.c.id)).all()
    return out


def stories_with_findings(conn: Connection, since: datetime | None = None) -> list[str]:
    """Ids of the analysed stories (analysed at or after ``since`` when given), newest first."""
    query = select(story_analyses.c.story_id).order_by(
        story_analyses.c.analysed_at.desc(), story_analyses.c.story_id)
    if since is not None:
        query = query.where(story_analyses.c.analysed_at >= since)
    return list(conn.execute(query).scalars())


def aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything written here is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def summary_dict(row: Any) -> dict[str, Any]:
    """A ``story_analyses`` row as JSON-ready counts, time and changes."""
    m: Mapping[str, Any] = row._mapping
    keys = ("n_independent_sources", "independent_basis", "n_claims", "n_fact_groups", "n_corroborated",
            "n_conflicts", "n_disputes", "n_single_source")
    return {"analysed_at": aware(m["analysed_at"]).isoformat(), **{k: m[k] for k in keys},
            "changes": dict(m["changes"])}
