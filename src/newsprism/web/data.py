"""Read model for the web app: stories from saved analyses, searchable, and reports cut to one story.

Stories live inside saved analyze reports. Listing them would mean parsing every report on every
request, so the app keeps an index of story rows per app instance and rebuilds it only when the set
of saved analyses changes (checked with one cheap aggregate query per request).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from newsprism.store.analyses import analyses, get_analysis
from newsprism.store.store import Store


@dataclass(slots=True)
class StoryRow:
    analysis_id: str
    story_id: str
    label: str
    article_ids: list[str]
    outlets: list[str]
    start: str | None
    end: str | None
    n_articles: int
    n_independent_sources: int | None
    n_conflicts: int
    created_at: str

    @property
    def key(self) -> str:
        return f"{self.analysis_id}/{self.story_id}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["article_ids"] = list(self.article_ids)
        return d


def iso_date(value: str | None) -> str | None:
    """A ``since``/``until`` filter checked as an ISO 8601 date or date-time (``2024-05-01``,
    ``2024-05-01T09:00Z``); anything else (``yesterday``) is refused, not compared as a string
    that silently matches nothing."""
    if value is None or value == "":
        return value
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date such as 2024-05-01") from None
    return value


@dataclass(slots=True)
class StoryQuery:
    q: str | None = None
    outlet: str | None = None
    since: str | None = None  # ISO date/time: stories that end at or after it
    until: str | None = None  # stories that start at or before it
    has_conflicts: bool | None = None
    limit: int = 20
    offset: int = 0


@dataclass(slots=True)
class _Index:
    key: tuple[Any, ...] = ()
    rows: list[StoryRow] = field(default_factory=list)
    by_key: dict[str, StoryRow] = field(default_factory=dict)
    by_article: dict[str, list[StoryRow]] = field(default_factory=dict)
    # Article id -> entry of a saved analysis's ``languages.not_compared`` (newest analysis wins).
    not_compared: dict[str, dict[str, Any]] = field(default_factory=dict)


def article_ids_in(obj: Any) -> set[str]:
    """Every article id an item of a report layer cites, however deeply it is nested."""
    found: set[str] = set()
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            if k in ("article_id", "article", "a", "b", "origin") and isinstance(v, str):
                found.add(v)
            elif k in ("article_ids", "members") and isinstance(v, list):
                found.update(str(x) for x in v if isinstance(x, str))
            else:
                found |= article_ids_in(v)
    elif isinstance(obj, list):
        for v in obj:
            found |= article_ids_in(v)
    return found


def _span(story: Mapping[str, Any]) -> tuple[str | None, str | None]:
    span = story.get("time_span")
    if isinstance(span, Mapping):
        return span.get("start"), span.get("end")
    if isinstance(span, list) and len(span) == 2:
        return span[0], span[1]
    return None, None


def _story_rows(
    analysis_id: str, created: str, stories: Any, conflicts: Any, ids: list[str]
) -> list[StoryRow]:
    conflict_ids = [article_ids_in(c) for c in conflicts or []] if isinstance(conflicts, list) else []
    if not isinstance(stories, Mapping) or not isinstance(stories.get("stories"), list):
        # No stories layer: the whole analysis is shown as one story, and says so in its label.
        stories = {"stories": [{"id": "all", "label": None, "article_ids": ids}]}
    rows = []
    for s in stories["stories"]:
        members = [str(x) for x in s.get("article_ids") or []]
        member_set = set(members)
        start, end = _span(s)
        rows.append(StoryRow(
            analysis_id=analysis_id, story_id=str(s.get("id")),
            label=str(s.get("label") or f"all {len(members)} articles of analysis {analysis_id[:8]}"),
            article_ids=members, outlets=[str(o) for o in s.get("outlets") or [] if o],
            start=str(start) if start else None, end=str(end) if end else None,
            n_articles=int(s.get("n_articles") or len(members)),
            n_independent_sources=s.get("n_independent_sources"),
            n_conflicts=sum(1 for c in conflict_ids if c & member_set), created_at=created,
        ))
    return rows


class WebData:
    """Everything the pages and the API read, over one ``Store``."""

    def __init__(self, store: Store):
        self.store = store
        self._index = _Index()
        self._lock = threading.Lock()

    def _index_key(self) -> tuple[Any, ...]:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(func.count(), func.max(analyses.c.created_at))).one()
        return (row[0], str(row[1]))

    def index(self) -> _Index:
        key = self._index_key()
        if key == self._index.key:
            return self._index
        with self._lock:
            if key != self._index.key:
                self._index = self._build_index(key)
        return self._index

    def _build_index(self, key: tuple[Any, ...]) -> _Index:
        index = _Index(key=key)
        query = select(
            analyses.c.id, analyses.c.created_at, analyses.c.article_ids,
            analyses.c.report[("stories",)], analyses.c.report[("verdicts", "conflicts")],
            analyses.c.report[("languages", "not_compared")],
        ).order_by(analyses.c.created_at.desc(), analyses.c.id)
        with self.store.engine.connect() as conn:
            for r in conn.execute(query):
                index.rows.extend(_story_rows(r[0], str(r[1])[:19], r[3], r[4], list(r[2] or [])))
                for entry in r[5] if isinstance(r[5], list) else ():
                    if isinstance(entry, Mapping) and entry.get("id"):
                        index.not_compared.setdefault(str(entry["id"]), {**entry, "analysis_id": r[0]})
        for row in index.rows:
            index.by_key[row.key] = row
            for aid in row.article_ids:
                index.by_article.setdefault(aid, []).append(row)
        return index

    def stories(self, query: StoryQuery) -> tuple[list[StoryRow], int]:
        rows: Iterable[StoryRow] = self.index().rows
        if query.q:
            words = query.q.lower().split()
            rows = (r for r in rows if all(w in (r.label + " " + " ".join(r.outlets)).lower() for w in words))
        if query.outlet:
            outlet = query.outlet.lower()
            rows = (r for r in rows if any(outlet == o.lower() for o in r.outlets))
        if query.since:
            rows = (r for r in rows if (r.end or r.start or "") >= query.since)
        if query.until:
            rows = (r for r in rows if (r.start or r.end or "~") <= query.until)
        if query.has_conflicts is not None:
            rows = (r for r in rows if (r.n_conflicts > 0) == query.has_conflicts)
        matched = list(rows)
        return matched[query.offset : query.offset + query.limit], len(matched)

    def not_compared(self) -> list[dict[str, Any]]:
        """Articles saved analyses left out of comparison (their language), newest analysis first."""
        return list(self.index().not_compared.values())

    def not_compared_reason(self, article_id: str) -> str | None:
        entry = self.index().not_compared.get(article_id)
        return str(entry.get("reason")) if entry else None

    def outlets(self) -> list[str]:
        return sorted({o for r in self.index().rows for o in r.outlets})

    def story(self, analysis_id: str, story_id: str) -> tuple[StoryRow, dict[str, Any]] | None:
        row = self.index().by_key.get(f"{analysis_id}/{story_id}")
        if row is None:
            return None
        report = get_analysis(self.store, analysis_id)
        if report is None:
            return None
        return row, restrict_report(report, row.article_ids, row.story_id)

    def stories_of_article(self, article_id: str) -> list[StoryRow]:
        return list(self.index().by_article.get(article_id, []))

    def texts_for(self, report: Mapping[str, Any]) -> dict[str, str]:
        """Article texts for a report saved without them, read from the store."""
        entries = {a["id"]: a for a in report.get("articles") or [] if not a.get("text")}
        if not entries:
            return {}
        # An article analysed in part is shown in part: nothing the report cites lies past the cut.
        cut = {i: a.get("analysis_truncated_at") for i, a in entries.items()}
        return {a.id: a.text[: cut[a.id]] for a in self.store.get_articles(list(entries))}


def _keep(items: Any, ids: set[str]) -> Any:
    if not isinstance(items, list):
        return items
    return [i for i in items if not article_ids_in(i) or article_ids_in(i) & ids]


def restrict_report(report: Mapping[str, Any], article_ids: Iterable[str], story_id: str) -> dict[str, Any]:
    """The part of a report about one story: its articles and the layer items that cite them."""
    ids = set(article_ids)
    out = dict(report)
    out["articles"] = [a for a in report.get("articles") or [] if a.get("id") in ids]
    reuse = report.get("reuse")
    if isinstance(reuse, Mapping):
        reuse = dict(reuse)
        reuse["pairs"] = [p for p in reuse.get("pairs") or [] if p.get("a") in ids and p.get("b") in ids]
        reuse["groups"] = [
            {**g, "members": [m for m in g.get("members") or [] if m in ids]}
            for g in reuse.get("groups") or [] if set(g.get("members") or []) & ids
        ]
        for key in ("revisions", "revision_diffs"):
            if key in reuse:
                reuse[key] = _keep(reuse[key], ids)
        out["reuse"] = reuse
    stories = report.get("stories")
    if isinstance(stories, Mapping):
        out["stories"] = {**stories, "stories": [s for s in stories.get("stories") or []
                                                 if str(s.get("id")) == story_id]}
    verdicts = report.get("verdicts")
    if isinstance(verdicts, Mapping):
        out["verdicts"] = {k: _keep(v, ids) for k, v in verdicts.items()}
    return out
