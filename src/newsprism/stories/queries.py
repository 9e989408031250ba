"""Read side of stored stories: pages of summaries and one story with its members and events."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from typing import Any

from sqlalchemy import String, cast, func, or_, select

from newsprism.components import connected_components
from newsprism.reuse.tables import reuse_pairs, reuse_signatures
from newsprism.store import Store
from newsprism.store.tables import articles
from newsprism.stories.tables import stories, story_events, story_members


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if getattr(value, "tzinfo", 1) is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _independent(conn: Any, ids: list[str]) -> tuple[int, str]:
    """Copy groups among ``ids`` from stored reuse pairs (each group counts once), when reuse ran on them."""
    if not ids:
        return 0, "articles"
    seen = conn.execute(
        select(func.count()).select_from(reuse_signatures).where(reuse_signatures.c.article_id.in_(ids))
    ).scalar_one()
    if not seen:
        return len(ids), "articles"
    rows = conn.execute(select(reuse_pairs.c.a, reuse_pairs.c.b).where(reuse_pairs.c.a.in_(ids))).all()
    return len(connected_components(ids, ((a, b) for a, b in rows))), "reuse"


def _members(conn: Any, story_ids: list[str]) -> dict[str, list[Any]]:
    query = (
        select(
            story_members.c.story_id,
            story_members.c.how,
            story_members.c.score,
            articles.c.id,
            articles.c.title,
            articles.c.outlet,
            articles.c.outlet_domain,
            articles.c.published,
        )
        .join(articles, articles.c.id == story_members.c.article_id)
        .where(story_members.c.story_id.in_(story_ids))
    )
    out: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        out[row.story_id].append(row)
    return out


def _summary(row: Any, members: list[Any], conn: Any) -> dict[str, Any]:
    ids = [m.id for m in members]
    n_indep, basis = _independent(conn, ids)
    outlets = list(dict.fromkeys(m.outlet or m.outlet_domain for m in members if m.outlet or m.outlet_domain))
    return {
        "id": row.id,
        "label": row.label,
        "article_ids": ids,
        "outlets": outlets,
        "time_span": {"start": _iso(row.first_published), "end": _iso(row.last_published)},
        "n_articles": row.n_articles,
        "n_independent_sources": n_indep,
        "independent_basis": basis,
        "status": row.status,
        "updated_at": _iso(row.updated_at),
    }


def list_stories(store: Store, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Active stories, largest first, with outlets and independent-source counts."""
    with store.engine.connect() as conn:
        active = stories.c.status == "active"
        total = conn.execute(select(func.count()).select_from(stories).where(active)).scalar_one()
        rows = conn.execute(
            select(stories)
            .where(active)
            .order_by(stories.c.n_articles.desc(), stories.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        members = _members(conn, [r.id for r in rows])
        return [_summary(r, members.get(r.id, []), conn) for r in rows], total


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story (any status; an unambiguous id prefix works) with its articles and the events naming it."""
    with store.engine.connect() as conn:
        row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        if row is None:
            found = conn.execute(select(stories).where(stories.c.id.like(f"{story_id}%")).limit(2)).all()
            row = found[0] if len(found) == 1 else None
        if row is None:
            return None
        members = _members(conn, [row.id]).get(row.id, [])
        out = _summary(row, members, conn)
        out["articles"] = [
            {
                "id": m.id,
                "title": m.title,
                "outlet": m.outlet,
                "published": _iso(m.published),
                "how": m.how,
                "score": None if m.score is None else round(m.score, 4),
            }
            for m in sorted(members, key=lambda m: (m.published is None, _iso(m.published) or "", m.id))
        ]
        like = f'%"{row.id}"%'
        events = conn.execute(
            select(story_events)
            .where(
                or_(
                    cast(story_events.c.from_ids, String).like(like),
                    cast(story_events.c.to_ids, String).like(like),
                )
            )
            .order_by(story_events.c.id)
        ).all()
        out["events"] = [
            {
                "at": _iso(e.at),
                "kind": e.kind,
                "from_ids": e.from_ids,
                "to_ids": e.to_ids,
                "article_ids": e.article_ids,
                "detail": e.detail,
            }
            for e in events
        ]
        return out
