"""Topics in the store: rebuilt from the stored story profiles, and new stories placed incrementally.

Both paths read the same thing, each active story's stored centroid (``stories.profile``), and score
with one function (``topics.story_rows`` then ``cluster.cluster`` or ``index.StoryIndex.add`` under
``TopicOptions``). Ids stay stable as story ids do: a rebuild reconciles with the previous
story -> topic mapping (``reconcile``), and a topic is named after the story that opened it.
Every write runs inside the caller's write transaction and stamps the topics it touches with that
transaction's ``rev`` (the stories' counter), so other writers catch up as they do for stories.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from newsprism.stories.cluster import SKETCH_NAME_DIMS, SKETCH_TEXT_DIMS
from newsprism.stories.index import Assignment, Profile, StoryIndex, group_profiles
from newsprism.stories.reconcile import fresh_namer, reconcile
from newsprism.stories.tables import stories, topic_members, topics
from newsprism.stories.topics import TopicOptions, cluster_topics, story_rows, topic_id


def _free_topic_id(conn: Connection, story_id: str) -> str:
    attempt = 0
    while conn.execute(select(topics.c.id).where(topics.c.id == topic_id(story_id, attempt))).first():
        attempt += 1
    return topic_id(story_id, attempt)


def _active_stories(conn: Connection) -> list[Any]:
    query = select(stories.c.id, stories.c.label, stories.c.n_articles, stories.c.profile)
    rows = conn.execute(query.where(stories.c.status == "active", stories.c.profile.is_not(None)))
    return sorted(rows, key=lambda r: r.id)


class TopicKeeper:
    """The topic centroids of one store, kept between incremental placements like the story index."""

    def __init__(self, options: TopicOptions | None = None):
        self.options = options or TopicOptions()
        self._index: StoryIndex | None = None
        self._token: Any = None
        self._rev = -1

    def reset(self) -> None:
        self._index = None

    # -- batch ------------------------------------------------------------------------------

    def rebuild(self, conn: Connection, emb_dims: int, rev: int) -> int:
        """Re-cluster every active story into topics; keep ids where topics survive. Returns how many."""
        rows = _active_stories(conn)
        profiles = [Profile.from_bytes(r.profile) for r in rows]
        labels = cluster_topics(profiles, emb_dims, self.options).tolist()
        groups: dict[int, list[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(label, []).append(i)
        clusters = [[rows[i].id for i in g] for g in groups.values()]
        old = dict(conn.execute(select(topic_members.c.story_id, topic_members.c.topic_id)).all())
        rec = reconcile(clusters, old, fresh_namer(set(old.values()), topic_id))
        conn.execute(delete(topic_members))
        # Each topic's centroid as an incremental index holding the same stories would have it.
        feats = story_rows(profiles, emb_dims)
        sums = group_profiles(self.options.story_options(), feats, list(groups.values()))
        existing = set(conn.execute(select(topics.c.id)).scalars())
        now = datetime.now(UTC)
        for tid, members, (profile, sketch_sum) in zip(rec.ids, groups.values(), sums, strict=True):
            # The largest story's label names the topic.
            biggest = min(members, key=lambda i: (-rows[i].n_articles, rows[i].id))
            values = dict(label=rows[biggest].label, status="active", updated_at=now, rev=rev,
                          profile=profile.to_bytes(sketch_sum), profile_size=len(members))
            if tid in existing:
                conn.execute(update(topics).where(topics.c.id == tid).values(**values))
            else:
                conn.execute(topics.insert().values(id=tid, created_at=now, **values))
            conn.execute(topic_members.insert(), [
                {"story_id": rows[i].id, "topic_id": tid, "added_at": now, "how": "batch", "score": None}
                for i in members])
        retired = {**rec.retired, **{t: "emptied" for t in existing - set(rec.ids) - set(rec.retired)}}
        for tid, status in retired.items():
            conn.execute(update(topics).where(topics.c.id == tid, topics.c.status == "active")
                         .values(status=status, updated_at=now, rev=rev))
        self._index = None  # loaded again on the next placement
        return len(clusters)

    # -- incremental ------------------------------------------------------------------------

    def _sync(self, conn: Connection, token: Any, emb_dims: int) -> StoryIndex:
        """Bring the topic centroids up to date with what every writer stored (as ``StoryStore._sync``)."""
        if self._index is None or token != self._token:
            dims = emb_dims + SKETCH_TEXT_DIMS + SKETCH_NAME_DIMS
            self._index = StoryIndex(self.options.story_options(), dims, emb_dims)
            self._token, self._rev = token, -1
        query = select(topics.c.id, topics.c.status, topics.c.profile, topics.c.profile_size, topics.c.rev)
        for row in conn.execute(query.where(topics.c.rev > self._rev).order_by(topics.c.rev)):
            if row.status == "active" and row.profile is not None:
                profile, sketch_sum = Profile.from_bytes(row.profile)
                self._index.put(row.id, profile, sketch_sum, row.profile_size)
            elif row.id in self._index.pos:
                self._index.drop(row.id)
            self._rev = row.rev
        return self._index

    def place(self, conn: Connection, stories_index: StoryIndex, changed: Sequence[Assignment],
              state: tuple[Any, int, int]) -> None:
        """After ``changed`` story placements in this transaction: stories merged away leave their
        topic, stories opened get one. ``state`` is (features token, embedding dims, rev)."""
        token, emb_dims, rev = state
        if not conn.execute(select(func.count()).select_from(topics)).scalar_one():
            self.rebuild(conn, emb_dims, rev)  # a store from before topics: every story at once
            return
        index = self._sync(conn, token, emb_dims)
        gone = {sid for a in changed for sid in a.merged}
        opened = [a.story_id for a in changed if a.opened and a.story_id not in gone]
        self._leave(conn, index, sorted(gone), rev)
        for sid in opened:
            if sid in stories_index.pos:
                self._add_story(conn, index, (sid, stories_index.profile_of(sid)), rev)
        self._rev = rev

    def _leave(self, conn: Connection, index: StoryIndex, gone: list[str], rev: int) -> None:
        if not gone:
            return
        left = set(conn.execute(select(topic_members.c.topic_id)
                                .where(topic_members.c.story_id.in_(gone))).scalars())
        conn.execute(delete(topic_members).where(topic_members.c.story_id.in_(gone)))
        for tid in sorted(left):
            members = select(topic_members.c.story_id).where(topic_members.c.topic_id == tid)
            if not conn.execute(members).first():
                conn.execute(update(topics).where(topics.c.id == tid)
                             .values(status="emptied", updated_at=datetime.now(UTC), rev=rev))
                if tid in index.pos:
                    index.drop(tid)

    def _add_story(self, conn: Connection, index: StoryIndex, story: tuple[str, Any], rev: int) -> None:
        sid, (profile, sketch_sum, _) = story
        feats = story_rows([(profile, np.asarray(sketch_sum))], index.emb_dims)
        a = index.add(_free_topic_id(conn, sid), feats, 0)
        t_profile, t_sketch, size = index.profile_of(a.story_id)
        now = datetime.now(UTC)
        values = dict(profile=t_profile.to_bytes(t_sketch), profile_size=size, updated_at=now, rev=rev)
        if a.opened:
            label = conn.execute(select(stories.c.label).where(stories.c.id == sid)).scalar_one()
            conn.execute(topics.insert().values(id=a.story_id, label=label, status="active", created_at=now,
                                                **values))
        else:
            conn.execute(update(topics).where(topics.c.id == a.story_id).values(**values))
        conn.execute(topic_members.insert().values(story_id=sid, topic_id=a.story_id, added_at=now,
                                                   how="incremental", score=a.score))
        if a.merged:
            conn.execute(update(topic_members).where(topic_members.c.topic_id.in_(a.merged))
                         .values(topic_id=a.story_id))
            conn.execute(update(topics).where(topics.c.id.in_(a.merged))
                         .values(status="merged", updated_at=now, rev=rev))
