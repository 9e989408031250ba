"""Read side of stored stories: pages of summaries and one story with its members and events."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from typing import Any

from sqlalchemy import String, cast, func, or_, select

from newsprism.components import connected_components
from newsprism.reuse.tables import reuse_pairs, reuse_signatures
from newsprism.store import Store
from newsprism.store.findings import analysis_summaries, summary_dict
from newsprism.store.tables import articles
from newsprism.stories.result import Story
from newsprism.stories.tables import stories, story_events, story_members, topic_members, topics


class StoryNotFound(LookupError):
    """A story id (or prefix) that names no story, or more than one."""


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if getattr(value, "tzinfo", 1) is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def independent_sources(conn: Any, ids: list[str]) -> tuple[int, str]:
    """Copy groups among ``ids`` from stored reuse pairs (each group counts once), when reuse ran on
    them. Every surface (``stories list``, the web app, the API, stored analyses) counts with this."""
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
    n_indep, basis = independent_sources(conn, ids)
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


def _with_analysis(conn: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each summary with its stored analysis (``None`` before the first): when, the finding counts,
    what changed, and ``stale`` when articles joined or left the story since."""
    found = analysis_summaries(conn, [r["id"] for r in rows])
    for r in rows:
        a = found.get(r["id"])
        r["analysis"] = None if a is None else {
            **summary_dict(a), "stale": sorted(a.article_ids) != sorted(r["article_ids"])}
        if a is not None and not r["analysis"]["stale"]:
            # The analysis also counts paraphrased rewrites as copies: its count is the one every
            # surface shows once the story is analysed (ingest's count stands until then).
            r["n_independent_sources"] = a.n_independent_sources
            r["independent_basis"] = a.independent_basis
    return rows


def _with_topics(conn: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each summary with its topic's id and label (``None`` for a story stored before topics)."""
    found: dict[str, Any] = {}
    ids = [r["id"] for r in rows]
    for i in range(0, len(ids), 500):
        query = (select(topic_members.c.story_id, topics.c.id, topics.c.label)
                 .join(topics, topics.c.id == topic_members.c.topic_id)
                 .where(topic_members.c.story_id.in_(ids[i : i + 500])))
        found.update({r.story_id: r for r in conn.execute(query)})
    for r in rows:
        t = found.get(r["id"])
        r["topic_id"], r["topic_label"] = (t.id, t.label) if t is not None else (None, None)
    return rows


def list_stories(
    store: Store, *, limit: int = 50, offset: int = 0, topic: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Active stories, largest first, with outlets, independent-source counts and their topic;
    ``topic`` keeps only the stories of that topic (by id)."""
    with store.engine.connect() as conn:
        where = [stories.c.status == "active"]
        if topic is not None:
            where.append(stories.c.id.in_(select(topic_members.c.story_id)
                                          .where(topic_members.c.topic_id == topic)))
        total = conn.execute(select(func.count()).select_from(stories).where(*where)).scalar_one()
        rows = conn.execute(
            select(stories)
            .where(*where)
            .order_by(stories.c.n_articles.desc(), stories.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        members = _members(conn, [r.id for r in rows])
        summaries = [_summary(r, members.get(r.id, []), conn) for r in rows]
        return _with_topics(conn, _with_analysis(conn, summaries)), total


def list_topics(store: Store, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Active topics, most stories first: id, label, how many active stories and articles they hold."""
    live = (select(topic_members.c.topic_id, func.count().label("n_stories"),
                   func.sum(stories.c.n_articles).label("n_articles"))
            .join(stories, stories.c.id == topic_members.c.story_id)
            .where(stories.c.status == "active")
            .group_by(topic_members.c.topic_id).subquery())
    query = (select(topics.c.id, topics.c.label, topics.c.updated_at, live.c.n_stories, live.c.n_articles)
             .join(live, live.c.topic_id == topics.c.id).where(topics.c.status == "active"))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.order_by(live.c.n_stories.desc(), live.c.n_articles.desc(), topics.c.id)
                            .limit(limit).offset(offset)).all()
    return [{"id": r.id, "label": r.label, "n_stories": int(r.n_stories), "n_articles": int(r.n_articles),
             "updated_at": _iso(r.updated_at)} for r in rows], total


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
        out = _with_topics(conn, _with_analysis(conn, [_summary(row, members, conn)]))[0]
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


def resolve_story_ids(conn: Any, given: list[str] | tuple[str, ...] | None) -> list[str]:
    """Full ids of the stories named by id or unambiguous prefix, in order; every active story,
    largest first, when ``given`` is ``None``. ``StoryNotFound`` names the first that fits none."""
    if given is None:
        query = select(stories.c.id).where(stories.c.status == "active")
        return list(conn.execute(query.order_by(stories.c.n_articles.desc(), stories.c.id)).scalars())
    out: list[str] = []
    for sid in given:
        exact = conn.execute(select(stories.c.id).where(stories.c.id == sid)).scalar()
        found = [exact] if exact else list(
            conn.execute(select(stories.c.id).where(stories.c.id.like(f"{sid}%")).limit(2)).scalars())
        if len(found) != 1:
            raise StoryNotFound(f"{sid}: no such story (or the prefix is ambiguous)")
        out.append(found[0])
    return list(dict.fromkeys(out))


def story_objects(conn: Any, story_ids: list[str]) -> list[Story]:
    """The stories as analysis reads them: members ordered by date, outlets, independent sources."""
    out = []
    for i in range(0, len(story_ids), 500):
        chunk = story_ids[i : i + 500]
        rows = {r.id: r for r in conn.execute(select(stories).where(stories.c.id.in_(chunk)))}
        members = _members(conn, chunk)
        for sid in chunk:
            ordered = sorted(members.get(sid, []),
                             key=lambda m: (m.published is None, _iso(m.published) or "", m.id))
            if not ordered:
                continue  # a merged or split story: its articles are analysed with their new story
            s = _summary(rows[sid], ordered, conn)
            span = s["time_span"]
            out.append(Story(sid, s["label"], tuple(s["article_ids"]), tuple(s["outlets"]),
                             (span["start"], span["end"]), len(ordered), s["n_independent_sources"],
                             s["independent_basis"]))
    return out


def stories_of_articles(conn: Any, article_ids: list[str]) -> list[str]:
    """The stories holding any of ``article_ids``, each once, in a stable order."""
    out: set[str] = set()
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        out.update(conn.execute(select(story_members.c.story_id)
                                .where(story_members.c.article_id.in_(chunk))).scalars())
    return sorted(out)
