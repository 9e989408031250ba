"""Stories in the store: batch rebuild with stable ids, incremental add, and the read side (list/show).

Any number of processes may add stories to one store at once. Every write runs in the store's write
transaction (one writer at a time) and stamps the stories it touches with the next ``rev``; before
placing articles a writer loads the stories changed since its last look (``rev`` above the last it
saw), or everything after a rebuild, so it scores against what every writer stored. A rebuild
clusters a snapshot without the lock and, under it, places the articles stored since the snapshot
incrementally, so no article loses its story to a rebuild running beside an ingest.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from newsprism.limits import analysis_view
from newsprism.model import Article
from newsprism.reuse.tables import reuse_pairs
from newsprism.store import Store
from newsprism.store.tables import articles as articles_table
from newsprism.stories.cluster import SKETCH_NAME_DIMS, SKETCH_TEXT_DIMS
from newsprism.stories.engine import Clustering, cluster_articles, lead_embeddings
from newsprism.stories.features import Idf, featurize, lead_of
from newsprism.stories.index import Assignment, Profile, StoryIndex, group_profiles
from newsprism.stories.reconcile import StoryEvent, fresh_namer, reconcile
from newsprism.stories.result import story_id, summarize
from newsprism.stories.score import StoryOptions
from newsprism.stories.tables import stories, story_events, story_members, story_state
from newsprism.stories.topic_repo import TopicKeeper
from newsprism.stories.topics import TopicOptions

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


def _next_rev(conn: Connection) -> int:
    """The ``rev`` this write transaction stamps on the stories it changes (under the write lock)."""
    return conn.execute(select(func.coalesce(func.max(stories.c.rev), 0))).scalar_one() + 1


def _state_token(conn: Connection) -> datetime | None:
    """When the features were last fitted (a rebuild); ``None`` before the first one."""
    return conn.execute(select(story_state.c.updated_at).where(story_state.c.key == STATE_KEY)).scalar()


def _story_of(conn: Connection, ids: list[str], chunk: int = 500) -> dict[str, str]:
    """article id -> story id, for those of ``ids`` that have a story."""
    out: dict[str, str] = {}
    for i in range(0, len(ids), chunk):
        query = select(story_members.c.article_id, story_members.c.story_id)
        out.update(conn.execute(query.where(story_members.c.article_id.in_(ids[i : i + chunk]))).all())
    return out


def _free_story_id(conn: Connection, article_id: str) -> str:
    """The id a story opened by ``article_id`` gets: its own name unless a story holds it already."""
    attempt = 0
    while True:
        sid = story_id(article_id, attempt)
        if conn.execute(select(stories.c.id).where(stories.c.id == sid)).first() is None:
            return sid
        attempt += 1


def _load_state(conn: Connection) -> tuple[Idf, int] | None:
    row = conn.execute(select(story_state.c.value).where(story_state.c.key == STATE_KEY)).first()
    if row is None:
        return None
    z = np.load(io.BytesIO(row.value))
    n_docs, emb_dims = (int(x) for x in z["scalars"])
    return Idf(z["text"], z["names"], n_docs), emb_dims


class StoryStore:
    """Story persistence over a ``Store``. Holds the loaded centroid index between ``add`` calls."""

    def __init__(
        self,
        store: Store,
        options: StoryOptions | None = None,
        embedder: Any = None,
        topic_options: TopicOptions | None = None,
    ):
        self.store = store
        self.options = options or StoryOptions()
        self.embedder = embedder
        self.topics = TopicKeeper(topic_options)  # the topics grouping these stories, kept alongside
        self._index: StoryIndex | None = None
        self._idf: Idf | None = None
        self._token: datetime | None = None  # the state (features) the index was loaded with
        self._rev = 0  # the highest story ``rev`` the index reflects

    # -- batch ------------------------------------------------------------------------------

    def _reuse_links(self, ids: list[str]) -> list[tuple[str, str]]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(reuse_pairs.c.a, reuse_pairs.c.b)).all()
        known = set(ids)
        return [(r.a, r.b) for r in rows if r.a in known and r.b in known]

    def rebuild(self) -> RebuildReport:
        """Re-cluster every stored article; keep ids where stories survive, record merges and splits.

        Articles are read a page at a time and each is kept only as analysis reads it (``analysis_view``),
        as ``add`` sees them: memory grows with what analysis reads, not with the store's bytes."""
        articles = [analysis_view(a) for a in self.store.iter_articles()]
        embeddings = lead_embeddings(articles, self.embedder, self.options)
        reuse = _PairsOnly(self._reuse_links([a.id for a in articles]))
        clustering = cluster_articles(articles, embeddings, self.options, reuse)
        return self.save_clustering(articles, clustering)

    def save_clustering(self, articles: list[Article], clustering: Clustering) -> RebuildReport:
        """Store a clustering of all stored ``articles``, reconciling ids with the previous one.

        Articles stored since ``articles`` was read (by a writer running beside this) are placed
        incrementally in the same transaction, so every stored article has a story afterwards."""
        groups: dict[int, list[int]] = {}
        for i, label in enumerate(clustering.labels.tolist()):
            groups.setdefault(label, []).append(i)
        rows = list(groups.values())
        clusters = [[articles[i].id for i in r] for r in rows]
        try:
            with self.store.transaction() as conn:
                rev = _next_rev(conn)
                old = {r.article_id: r.story_id for r in conn.execute(select(story_members))}
                rec = reconcile(clusters, old, fresh_namer(set(old.values()), story_id))
                self._write_rebuild(conn, (articles, clustering, rows, rec.ids), rev)
                for sid, status in rec.retired.items():
                    conn.execute(
                        update(stories)
                        .where(stories.c.id == sid)
                        .values(status=status, n_articles=0, updated_at=datetime.now(UTC), rev=rev)
                    )
                self._write_events(conn, rec.events)
                _save_state(conn, clustering.idf, clustering.feats.embeddings.shape[1])
                self.topics.rebuild(conn, clustering.feats.embeddings.shape[1], rev)
                self._place_late(conn, {a.id for a in articles})
        finally:
            self._index = None  # loaded again, with the new features, on the next add
            self.topics.reset()
        return RebuildReport(len(articles), len(rows), rec.events)

    def _place_late(self, conn: Connection, snapshot: set[str]) -> None:
        late_ids = [i for i in conn.execute(select(articles_table.c.id)).scalars() if i not in snapshot]
        if late_ids:
            late = [analysis_view(a) for a in self.store.iter_articles_of(late_ids, conn)]
            self._place(conn, late, lead_embeddings(late, self.embedder, self.options))

    def _write_rebuild(
        self,
        conn: Connection,
        plan: tuple[list[Article], Clustering, list[list[int]], list[str]],
        rev: int,
    ) -> None:
        articles, clustering, rows, ids = plan
        now = datetime.now(UTC)
        profiles = group_profiles(self.options, clustering.feats, rows)
        conn.execute(delete(story_members))
        existing = set(conn.execute(select(stories.c.id)).scalars())
        for sid, members, (profile, sketch_sum) in zip(ids, rows, profiles, strict=True):
            story = summarize([articles[i] for i in members], clustering.feats.text[members], None)
            values = dict(
                label=story.label,
                n_articles=len(members),
                status="active",
                updated_at=now,
                first_published=_when(profile.t_min),
                last_published=_when(profile.t_max),
                profile=profile.to_bytes(sketch_sum),
                rev=rev,
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
        """The centroids of all active stories as stored now; ``None`` before the first rebuild."""
        with self.store.engine.connect() as conn:
            return self._sync(conn)

    def _sync(self, conn: Connection) -> StoryIndex | None:
        """Bring the in-memory centroids up to date with what every writer stored: everything
        when the features changed (a rebuild), else only the stories changed since the last sync."""
        token = _state_token(conn)
        if token is None:
            self._index = None
            return None
        if self._index is None or token != self._token:
            # -1: every row, including those of stores older than ``rev`` (all 0 there).
            self._index, self._rev = None, -1
            self._idf, emb_dims = _load_state(conn)
            self._index = StoryIndex(self.options, emb_dims + SKETCH_TEXT_DIMS + SKETCH_NAME_DIMS, emb_dims)
            self._token = token
        query = select(stories.c.id, stories.c.status, stories.c.n_articles, stories.c.profile, stories.c.rev)
        for row in conn.execute(query.where(stories.c.rev > self._rev).order_by(stories.c.rev)):
            if row.status == "active" and row.profile is not None:
                profile, sketch_sum = Profile.from_bytes(row.profile)
                self._index.put(row.id, profile, sketch_sum, row.n_articles)
            elif row.id in self._index.pos:
                self._index.drop(row.id)
            self._rev = row.rev
        return self._index

    def add(self, articles: Sequence[Article]) -> list[Assignment]:
        """Assign stored articles to stories without rescanning the others (the first call builds in batch).

        The articles must already be in the store (``Store.add_articles``); ones that already have a
        story keep it.
        """
        articles = list(articles)
        if not articles:
            return []
        with self.store.engine.connect() as conn:
            built = _state_token(conn) is not None
        if not built:
            self.rebuild()
            return self._assignments(articles, {})
        # Outside the lock: with an embedder this is the slow part, and it needs no stored state.
        embeddings = lead_embeddings(articles, self.embedder, self.options)
        try:
            with self.store.transaction() as conn:
                placed = self._place(conn, articles, embeddings)
        except BaseException:
            self._index = None  # it may hold placements that were rolled back
            self.topics.reset()
            raise
        return self._assignments(articles, placed)

    def _assignments(self, articles: list[Article], placed: dict[str, Assignment]) -> list[Assignment]:
        # An article seen before keeps its story (a re-ingest is not new evidence).
        with self.store.engine.connect() as conn:
            known = _story_of(conn, [a.id for a in articles if a.id not in placed])
        return [
            placed.get(a.id) or Assignment(known[a.id], None, opened=False)
            for a in articles
            if a.id in placed or a.id in known
        ]

    def _place(
        self, conn: Connection, articles: list[Article], embeddings: np.ndarray
    ) -> dict[str, Assignment]:
        """Assign the ``articles`` that have no story yet, inside the write transaction ``conn``."""
        index = self._sync(conn)
        if index is None:
            raise RuntimeError("stories have not been built in this store")
        known = _story_of(conn, [a.id for a in articles])
        rows = [i for i, a in enumerate(articles) if a.id not in known]
        if not rows:
            return {}
        fresh = [articles[i] for i in rows]
        feats, _ = featurize(fresh, embeddings[rows], self._idf)
        rev = _next_rev(conn)
        placed: dict[str, Assignment] = {}
        for row, article in enumerate(fresh):
            assignment = index.add(_free_story_id(conn, article.id), feats, row)
            self._write_assignment(conn, (index, article, assignment), rev)
            placed[article.id] = assignment
        self.topics.place(conn, index, list(placed.values()), (self._token, index.emb_dims, rev))
        self._rev = rev
        return placed

    def _write_assignment(
        self, conn: Connection, placement: tuple[StoryIndex, Article, Assignment], rev: int
    ) -> None:
        index, article, a = placement
        now = datetime.now(UTC)
        profile, sketch_sum, n = index.profile_of(a.story_id)
        values = dict(
            n_articles=n,
            updated_at=now,
            profile=profile.to_bytes(sketch_sum),
            first_published=_when(profile.t_min),
            last_published=_when(profile.t_max),
            rev=rev,
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
                .values(status="merged", n_articles=0, updated_at=now, rev=rev)
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
