"""What is new in the store since a reader's last visit: new stories, new conflicts, new sources.

The last visit lives in two cookies the stories page sets (times, UTC; nothing about the reader is
stored server-side): when the reader was last seen, and the visit before the current one. A visit
ends after ``VISIT_GAP`` without a page view, so reloading or paging during a visit keeps showing
what was new when it began. Changes come from the stored analyses: each ``story_analyses`` row
records what its analysis found new against the one before (``changes``), so a story analysed since
the visit shows those. Where a story was analysed more than once since the visit, only its latest
analysis's changes are kept in the store, and the page says so ("at least").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from newsprism.store.findings import aware, story_analyses
from newsprism.store.store import Store

SEEN_COOKIE = "newsprism_seen"  # the latest page view
SINCE_COOKIE = "newsprism_since"  # the end of the visit before this one
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers honour
VISIT_GAP = timedelta(minutes=30)
MAX_LISTED = 50


def parse_visit(value: str | None) -> datetime | None:
    """The cookie's time, or None for a missing, malformed or future one (a first visit)."""
    if not value or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when if when <= datetime.now(UTC) else None


def visit_window(
    cookies: dict[str, str], now: datetime | None = None
) -> tuple[datetime | None, dict[str, str]]:
    """(the time "new" is counted from, or None on a first visit; the cookies to set now)."""
    now = now or datetime.now(UTC)
    seen, since = parse_visit(cookies.get(SEEN_COOKIE)), parse_visit(cookies.get(SINCE_COOKIE))
    if seen is not None and now - seen > VISIT_GAP:
        since = seen  # a new visit: what is new is counted from the end of the last one
    keep = {SEEN_COOKIE: now.isoformat()}
    if since is not None:
        keep[SINCE_COOKIE] = since.isoformat()
    return since, keep


@dataclass(slots=True)
class StoryNews:
    story_id: str
    label: str
    new_story: bool  # created since the visit
    analysed_at: str | None
    new_conflicts: int = 0
    new_disputes: int = 0
    new_sources: list[str] = field(default_factory=list)
    new_articles: int = 0
    partial: bool = False  # analysed again since the visit: earlier changes are not stored

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id, "label": self.label, "new_story": self.new_story,
            "analysed_at": self.analysed_at, "new_conflicts": self.new_conflicts,
            "new_disputes": self.new_disputes, "new_sources": list(self.new_sources),
            "new_articles": self.new_articles, "at_least": self.partial,
        }


def _changes(news: StoryNews, changes: dict[str, Any], since: datetime) -> None:
    previous = changes.get("previous_analysed_at")
    news.partial = bool(previous) and datetime.fromisoformat(previous) >= since
    news.new_conflicts = len(changes.get("new_conflicts") or [])
    news.new_disputes = len(changes.get("new_disputes") or [])
    news.new_sources = [str(s) for s in changes.get("new_sources") or []]
    news.new_articles = len(changes.get("new_articles") or [])


def whats_new(store: Store, since: datetime) -> list[StoryNews]:
    """Active stories created or analysed since ``since``, newest first (at most ``MAX_LISTED``)."""
    from newsprism.stories.tables import stories

    with store.engine.connect() as conn:
        created = conn.execute(
            select(stories.c.id, stories.c.label, stories.c.created_at)
            .where(stories.c.status == "active", stories.c.created_at >= since)
            .order_by(stories.c.created_at.desc(), stories.c.id).limit(MAX_LISTED)
        ).all()
        analysed = conn.execute(
            select(story_analyses.c.story_id, story_analyses.c.analysed_at, story_analyses.c.changes,
                   stories.c.label, stories.c.created_at)
            .join(stories, stories.c.id == story_analyses.c.story_id)
            .where(stories.c.status == "active", story_analyses.c.analysed_at >= since)
            .order_by(story_analyses.c.analysed_at.desc(), story_analyses.c.story_id).limit(MAX_LISTED)
        ).all()
    out: dict[str, StoryNews] = {}
    for r in analysed:
        news = StoryNews(r.story_id, r.label, aware(r.created_at) >= since, aware(r.analysed_at).isoformat())
        _changes(news, dict(r.changes or {}), since)
        if news.new_story or news.new_conflicts or news.new_disputes or news.new_sources or news.new_articles:
            out[r.story_id] = news
    for r in created:
        out.setdefault(r.id, StoryNews(r.id, r.label, True, None))
    return list(out.values())[:MAX_LISTED]
