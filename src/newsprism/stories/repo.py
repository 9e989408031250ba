"""Stories in the store: batch rebuild with stable ids, incremental add, and the read side (list/show)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from newsprism.model import Article
from newsprism.reuse.tables import reuse_pairs
from newsprism.store import Store
from newsprism.stories.cluster import SKETCH_NAME_DIMS, SKETCH_TEXT_DIMS
from newsprism.stories.engine import Clustering, cluster_articles, lead_embeddings
from newsprism.stories.features import Idf, featurize, lead_of
from newsprism.stories.index import Assignment, Profile, StoryIndex
from newsprism.stories.reconcile import StoryEvent, reconcile
from newsprism.stories.result import story_id, summarize
from newsprism.stories.score import StoryOptions
from newsprism.stories.tables import stories, story_events, story_members, story_state

STATE_KEY = "features"


def _when(t: float) -> datetime | None:
    return None if np.isnan(t) else datetime.fromtimestamp(t * 86400.0, tz=UTC)


@dataclass(slots=True)
class RebuildReport:
    n_articles: int
    n_stories: int
    events: list[StoryEvent] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_articles": self.n_articles,
            "n_stories": self.n_stories,
            "events": [e.to_dict() for e in self.events],
        }


def _save_state(conn: Connection, idf: Idf, emb_dims: int) -> None:
    buf = io.BytesIO()
    np.savez(buf, text=idf.text, names=idf.names, scalars=np.array([idf.n_docs, emb_dims]))
    conn.execute(delete(story_state).where(story_state.c.key == STATE_KEY))
    conn.execute(
        story_state.insert().values(key=STATE_KEY, value=buf.getvalue(), updated_at=datetime.now(UTC))
    )


def _load_state(conn: Connection) -> tuple[Idf, int] | None:
    row = conn.execute(select(story_state.c.value).where(story_state.c.key == STATE_KEY)).first()
    if row is None:
        return None
    z = np.load(io.BytesIO(row.value))
    n_docs, emb_dims = (int(x) for x in z["scalars"])
    return Idf(z["text"], z["names"], n_docs), emb_dims


class StoryStore:
    """Story persistence over a ``Store``. Holds the loaded centroid index between ``add`` calls."""

    def __init__(self, store: Store, options: StoryOptions | None = None, embedder: Any = None):
        self.store = store
        self.options = options or StoryOptions()
        self.embedder = embedder
        self._index: StoryIndex | None = None
        self._idf: Idf | None = None

    # -- batch ------------------------------------------------------------------------------

    def _reuse_links(self, ids: list[str]) -> list[tuple[str, str]]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(reuse_pairs.c.a, reuse_pairs.c.b)).all()
        known = set(ids)
        return [(r.a, r.b) for r in rows if r.a in known and r.b in known]

    def rebuild(self) -> RebuildReport:
        """Re-cluster every stored article; keep ids where stories survive, record merges and splits."""
        articles = list(self.store.iter_articles())
        embeddings = lead_embeddings(articles, self.embedder, self.options)
        reuse = _PairsOnly(self._reuse_links([a.id for a in articles]))
        clustering = cluster_articles(articles, embeddings, self.options, reuse)
        return self.save_clustering(articles, clustering)

    def save_clustering(self, articles: list[Article], clustering: Clustering) -> RebuildReport:
        """Store a clustering of all stored ``articles``, reconciling ids with the previous one."""
        groups: dict[int, list[int]] = {}
        for i, label in enumerate(clustering.labels.tolist()):
            groups.setdefault(label, []).append(i)
        rows = list(groups.values())
        clusters = [[articles[i].id for i in r] for r in rows]
        with self.store.transaction() as conn:
            old = {r.article_id: r.story_id for r in conn.execute(select(story_members))}
            rec = reconcile(clusters, old, lambda members: story_id(min(members)))
            self._write_rebuild(conn, articles, clustering, rows, rec.ids)
            for sid, status in rec.retired.items():
                conn.execute(
                    update(stories)
                    .where(stories.c.id == sid)
                    .values(status=status, n_articles=0, updated_at=datetime.now(UTC))
                )
            self._write_events(conn, rec.events)
            _save_state(conn, clustering.idf, clustering.feats.embeddings.shape[1])
        self._index, self._idf = None, None
        return RebuildReport(len(articles), len(rows), rec.events)

    def _write_rebuild(
        self,
        conn: Connection,
        articles: list[Article],
        clustering: Clustering,
        rows: list[list[int]],
        ids: list[str],
    ) -> None:
        now = datetime.now(UTC)
        index = StoryIndex(self.options, 1, clustering.feats.embeddings.shape[1])
        sketches = index.sketcher(clustering.feats)
        conn.execute(delete(story_members))
        existing = set(conn.execute(select(stories.c.id)).scalars())
        for sid, members in zip(ids, rows, strict=True):
            profile = index.doc_profile(clustering.feats, members[0])
            for i in members[1:]:
                profile = index._combine(profile, index.doc_profile(clustering.feats, i))
            story = summarize([articles[i] for i in members], clustering.feats.text[members], None)
            values = dict(
                label=story.label,
                n_articles=len(members),
                status="active",
                updated_at=now,
                first_published=_when(profile.t_min),
                last_published=_when(profile.t_max),
                profile=profile.to_bytes(sketches[members].sum(axis=0)),
            )
            if sid in existing:
                conn.execute(update(stories).where(stories.c.id == sid).values(**values))
            else:
                conn.execute(stories.insert().values(id=sid, created_at=now, **values))
        conn.execute(
            story_members.insert(),
            [
                {
                    "article_id": articles[i].id,
                    "story_id": sid,
                    "added_at": now,
                    "how": "batch",
                    "score": None,
                }
                for sid, members in zip(ids, rows, strict=True)
                for i in members
            ],
        )

    @staticmethod
    def _write_events(conn: Connection, events: Sequence[StoryEvent]) -> None:
        now = datetime.now(UTC)
        for e in events:
            conn.execute(
                story_events.insert().values(
                    at=now,
                    kind=e.kind,
                    from_ids=e.from_ids,
                    to_ids=e.to_ids,
                    article_ids=e.article_ids,
                    detail=e.detail,
                )
            )

    # -- incremental ------------------------------------------------------------------------

    def load_index(self) -> StoryIndex | None:
        """The centroids of all active stories, loaded once; ``None`` before the first rebuild."""
        if self._index is not None:
            return self._index
        with self.store.engine.connect() as conn:
            state = _load_state(conn)
            if state is None:
                return None
            self._idf, emb_dims = state
            index = StoryIndex(self.options, emb_dims + SKETCH_TEXT_DIMS + SKETCH_NAME_DIMS, emb_dims)
            query = select(stories.c.id, stories.c.n_articles, stories.c.profile).where(
                stories.c.status == "active"
            )
            for row in conn.execute(query):
                profile, sketch_sum = Profile.from_bytes(row.profile)
                index.put(row.id, profile, sketch_sum, row.n_articles)
        self._index = index
        return self._index

    def add(self, articles: Sequence[Article]) -> list[Assignment]:
        """Assign stored articles to stories without rescanning the others (the first call builds in batch).

        The articles must already be in the store (``Store.add_articles``); ones that already have a
        story keep it.
        """
        articles = list(articles)
        if not articles:
            return []
        index = self.load_index()
        if index is None:
            self.rebuild()
            with self.store.engine.connect() as conn:
                got = dict(conn.execute(select(story_members.c.article_id, story_members.c.story_id)).all())
            return [Assignment(got[a.id], None, opened=False) for a in articles if a.id in got]
        with self.store.engine.connect() as conn:
            known = dict(
                conn.execute(
                    select(story_members.c.article_id, story_members.c.story_id).where(
                        story_members.c.article_id.in_([a.id for a in articles])
                    )
                ).all()
            )
        fresh = [a for a in articles if a.id not in known]
        embeddings = lead_embeddings(fresh, self.embedder, self.options)
        feats, _ = featurize(fresh, embeddings, self._idf)
        placed: dict[str, Assignment] = {}
        with self.store.transaction() as conn:
            for row, article in enumerate(fresh):
                assignment = index.add(story_id(article.id), feats, row)
                self._write_assignment(conn, index, article, assignment)
                placed[article.id] = assignment
        # An article seen before keeps its story (a re-ingest is not new evidence).
        return [placed.get(a.id) or Assignment(known[a.id], None, opened=False) for a in articles]

    def _write_assignment(self, conn: Connection, index: StoryIndex, article: Article, a: Assignment) -> None:
        now = datetime.now(UTC)
        profile, sketch_sum, n = index.profile_of(a.story_id)
        values = dict(
            n_articles=n,
            updated_at=now,
            profile=profile.to_bytes(sketch_sum),
            first_published=_when(profile.t_min),
            last_published=_when(profile.t_max),
        )
        if a.opened:
            label = article.title or lead_of(article) or "(no text)"
            conn.execute(
                stories.insert().values(
                    id=a.story_id, label=label[:140], status="active", created_at=now, **values
                )
            )
        else:
            conn.execute(update(stories).where(stories.c.id == a.story_id).values(**values))
        conn.execute(
            story_members.insert().values(
                article_id=article.id, story_id=a.story_id, added_at=now, how="incremental", score=a.score
            )
        )
        if a.merged:
            conn.execute(
                update(story_members)
                .where(story_members.c.story_id.in_(a.merged))
                .values(story_id=a.story_id)
            )
            conn.execute(
                update(stories)
                .where(stories.c.id.in_(a.merged))
                .values(status="merged", n_articles=0, updated_at=now)
            )
            self._write_events(
                conn,
                [
                    StoryEvent(
                        "merge",
                        sorted([a.story_id, *a.merged]),
                        [a.story_id],
                        [article.id],
                        {"score": a.score},
                    )
                ],
            )


@dataclass(slots=True)
class _PairsOnly:
    """Stored reuse pairs in the shape ``engine.reuse_links`` reads from a reuse layer."""

    links: list[tuple[str, str]]

    @property
    def pairs(self) -> list[Any]:
        return [_Pair(a, b) for a, b in self.links]


@dataclass(frozen=True, slots=True)
class _Pair:
    a: str
    b: str


def count_stories(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(stories).where(stories.c.status == "active")
        ).scalar_one()
