"""Read model for the web app: the store's stories with their stored analyses, searchable.

The stories are the persistent stories (``newsprism.stories``) and each story's report is read from
its stored findings (``newsprism.findings.report``), so the pages, the API and ``stories list``
show the same numbers. Listing keeps an index of story rows per app instance, rebuilt only when
stories or analyses change (checked with one cheap aggregate query per request).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from newsprism.report.types import Report, parse_report
from newsprism.store.findings import story_analyses, story_fact_groups
from newsprism.store.store import Store


@dataclass(slots=True)
class StoryRow:
    story_id: str
    label: str
    article_ids: list[str]
    outlets: list[str]
    start: str | None
    end: str | None
    n_articles: int
    n_independent_sources: int | None
    n_conflicts: int
    updated_at: str | None
    analysed_at: str | None  # None: not analysed yet (no findings to show)
    stale: bool = False  # articles joined or left since the analysis
    topic_id: str | None = None  # the topic grouping it (None: stored before topics, until linked again)
    topic_label: str | None = None

    @property
    def key(self) -> str:
        return self.story_id

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
    topic: str | None = None  # a topic id: only its stories


@dataclass(frozen=True, slots=True)
class TopicRow:
    """A topic as the pages and the API list it: counted from the same story rows they show."""

    topic_id: str
    label: str
    n_stories: int
    n_articles: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _Index:
    key: tuple[Any, ...] = ()
    rows: list[StoryRow] = field(default_factory=list)
    by_key: dict[str, StoryRow] = field(default_factory=dict)
    by_article: dict[str, list[StoryRow]] = field(default_factory=dict)
    # Article id -> entry of a saved analysis's ``languages.not_compared`` (newest analysis wins).
    not_compared: dict[str, dict[str, Any]] = field(default_factory=dict)


def _row(s: Mapping[str, Any]) -> StoryRow:
    a = s.get("analysis")
    return StoryRow(
        story_id=s["id"], label=s["label"], article_ids=list(s["article_ids"]), outlets=list(s["outlets"]),
        start=s["time_span"]["start"], end=s["time_span"]["end"], n_articles=s["n_articles"],
        n_independent_sources=s["n_independent_sources"], n_conflicts=a["n_conflicts"] if a else 0,
        updated_at=s["updated_at"], analysed_at=a["analysed_at"] if a else None,
        stale=bool(a and a["stale"]), topic_id=s.get("topic_id"), topic_label=s.get("topic_label"),
    )


class WebData:
    """Everything the pages and the API read, over one ``Store``."""

    def __init__(self, store: Store):
        self.store = store
        self._index = _Index()
        self._lock = threading.Lock()

    def _index_key(self) -> tuple[Any, ...]:
        from newsprism.stories.tables import stories, topics

        with self.store.engine.connect() as conn:
            mark = conn.execute(
                select(func.count(), func.max(stories.c.rev), func.max(stories.c.updated_at))).one()
            done = conn.execute(select(func.count(), func.max(story_analyses.c.analysed_at))).one()
            grouped = conn.execute(
                select(func.count(), func.max(topics.c.rev), func.max(topics.c.updated_at))).one()
        return (*(str(x) for x in mark), *(str(x) for x in done), *(str(x) for x in grouped))

    def index(self) -> _Index:
        key = self._index_key()
        if key == self._index.key:
            return self._index
        with self._lock:
            if key != self._index.key:
                self._index = self._build_index(key)
        return self._index

    def _build_index(self, key: tuple[Any, ...]) -> _Index:
        from newsprism.stories.queries import list_stories

        index = _Index(key=key)
        _, total = list_stories(self.store, limit=1)
        summaries, _ = list_stories(self.store, limit=max(total, 1))
        index.rows = [_row(s) for s in summaries]
        index.not_compared = self._not_compared()
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
        if query.topic:
            rows = (r for r in rows if r.topic_id == query.topic)
        matched = list(rows)
        return matched[query.offset : query.offset + query.limit], len(matched)

    def _not_compared(self) -> dict[str, dict[str, Any]]:
        """Stored articles in a language the default models do not handle: analysis leaves them out
        (``findings.run``), so every page lists them as not compared, from the same stored language."""
        from newsprism.analysis import PipelineOptions
        from newsprism.language import comparable, normalize_tag, not_compared_reason
        from newsprism.model import display_name
        from newsprism.store.tables import articles

        compared = PipelineOptions().compared_languages()
        query = select(articles.c.id, articles.c.language, articles.c.outlet, articles.c.title,
                       articles.c.source_path).where(articles.c.language.is_not(None))
        out = {}
        with self.store.engine.connect() as conn:
            for r in conn.execute(query):
                language = normalize_tag(r.language)
                if language and not comparable(language, compared):
                    out[r.id] = {"id": r.id, "language": language, "reason": not_compared_reason(language),
                                 "display_name": display_name(dict(r._mapping))}
        return out

    def not_compared(self) -> list[dict[str, Any]]:
        """Stored articles left out of comparison (their language)."""
        return list(self.index().not_compared.values())

    def not_compared_reason(self, article_id: str) -> str | None:
        entry = self.index().not_compared.get(article_id)
        return str(entry.get("reason")) if entry else None

    def topics(self) -> list[TopicRow]:
        """The topics of the listed stories, most stories first; a topic's label is its stored label."""
        grouped: dict[str, list[StoryRow]] = {}
        for r in self.index().rows:
            if r.topic_id is not None:
                grouped.setdefault(r.topic_id, []).append(r)
        out = [TopicRow(tid, rows[0].topic_label or "", len(rows), sum(r.n_articles for r in rows))
               for tid, rows in grouped.items()]
        return sorted(out, key=lambda t: (-t.n_stories, -t.n_articles, t.topic_id))

    def outlets(self) -> list[str]:
        return sorted({o for r in self.index().rows for o in r.outlets})

    def story(self, story_id: str) -> tuple[StoryRow, Report] | None:
        """One story and its report read from its stored findings (articles only before analysis),
        typed: the pages and the API render this one reading of what the store holds."""
        from newsprism.findings.report import stored_report

        row = self.index().by_key.get(story_id)
        if row is None:
            return None
        report = stored_report(self.store, [story_id], include_text=False)
        if not report["articles"]:  # not analysed yet: its articles, and why nothing else is shown
            report = unanalysed_report(self.store, row)
        return row, parse_report(report)

    def group_story(self, group_id: str) -> str | None:
        """The story whose stored analysis holds fact group ``group_id``."""
        with self.store.engine.connect() as conn:
            return conn.execute(select(story_fact_groups.c.story_id)
                                .where(story_fact_groups.c.id == group_id)).scalar()

    def stories_of_article(self, article_id: str) -> list[StoryRow]:
        return list(self.index().by_article.get(article_id, []))

    def texts_for(self, report: Report) -> dict[str, str]:
        """Article texts for a report saved without them, read from the store."""
        entries = {a.id: a for a in report.articles if not a.text}
        if not entries:
            return {}
        # An article analysed in part is shown in part: nothing the report cites lies past the cut.
        stored = self.store.get_articles(list(entries))
        return {a.id: a.text[: entries[a.id].analysis_truncated_at] for a in stored}


def unanalysed_report(store: Store, row: StoryRow) -> dict[str, Any]:
    """A report of a story that has no stored analysis: its articles, every layer absent with why."""
    from newsprism.report.json_report import build_report

    why = "not analysed yet (newsprism analyze --db … --story " + row.story_id + ")"
    records = [{"name": n, "layer": n, "status": "skipped", "reason": why}
               for n in ("reuse", "stories", "claims", "alignment", "verdicts")]
    report = build_report(store.get_articles(row.article_ids), {}, records, {"stories": [row.story_id]})
    for a in report["articles"]:
        a.pop("text", None)
    return report
