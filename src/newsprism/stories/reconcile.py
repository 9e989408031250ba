"""Keeping story ids stable when a batch re-run regroups articles: heirs, merges and splits.

A new cluster inherits the id of the old story whose articles it holds most of, provided no other new
cluster holds more of that story; every other cluster gets a fresh id. Regroupings are returned as events
(which ids became which) instead of silently renumbering.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


def fresh_namer(taken: set[str], make_id: Callable[[str, int], str]) -> Callable[[Sequence[str]], str]:
    """Names for a rebuild's new clusters (of articles or of stories): ``make_id`` of their first
    member, never an id an old group (possibly the heir of another cluster) or an earlier new cluster
    holds, or two clusters would share one id and one row."""

    def name(members: Sequence[str]) -> str:
        first, attempt = min(members), 0
        while make_id(first, attempt) in taken:
            attempt += 1
        taken.add(make_id(first, attempt))
        return make_id(first, attempt)

    return name


@dataclass(slots=True)
class StoryEvent:
    kind: str  # "merge": several old stories now one; "split": one old story now several
    from_ids: list[str]
    to_ids: list[str]
    article_ids: list[str]
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "from_ids": self.from_ids,
            "to_ids": self.to_ids,
            "article_ids": self.article_ids,
            "detail": self.detail,
        }


@dataclass(slots=True)
class Reconciled:
    ids: list[str]  # one per new cluster
    events: list[StoryEvent]
    retired: dict[str, str]  # old id with no heir -> "merged" or "split"


def _heirs(clusters: Sequence[Sequence[str]], old: Mapping[str, str]) -> dict[int, str]:
    """New cluster index -> the old id it inherits."""
    overlap = [Counter(old[a] for a in members if a in old) for members in clusters]
    best_cluster: dict[str, tuple[int, int]] = {}  # old id -> (count, cluster index) holding most of it
    for c, counts in enumerate(overlap):
        for sid, n in counts.items():
            if n > best_cluster.get(sid, (0, -1))[0]:
                best_cluster[sid] = (n, c)
    heirs: dict[int, str] = {}
    for c, counts in enumerate(overlap):
        for sid, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if best_cluster[sid][1] == c:
                heirs[c] = sid
                break
    return heirs


def reconcile(
    clusters: Sequence[Sequence[str]], old: Mapping[str, str], fresh_id: Callable[[Sequence[str]], str]
) -> Reconciled:
    """Ids for ``clusters`` (lists of article ids) given the ``old`` article -> story id mapping."""
    heirs = _heirs(clusters, old)
    ids = [heirs.get(c) or fresh_id(members) for c, members in enumerate(clusters)]
    events: list[StoryEvent] = []
    spread: dict[str, set[str]] = {}
    for new_id, members in zip(ids, clusters, strict=True):
        sources = sorted({old[a] for a in members if a in old})
        for sid in sources:
            spread.setdefault(sid, set()).add(new_id)
        if len(sources) > 1:
            moved = sorted(a for a in members if a in old and old[a] != new_id)
            events.append(StoryEvent("merge", sources, [new_id], moved))
    for sid, targets in sorted(spread.items()):
        if len(targets) > 1:
            moved = sorted(
                a
                for members, nid in zip(clusters, ids, strict=True)
                if nid != sid
                for a in members
                if old.get(a) == sid
            )
            events.append(StoryEvent("split", [sid], sorted(targets), moved))
    alive = set(ids)
    retired = {sid: ("split" if len(t) > 1 else "merged") for sid, t in spread.items() if sid not in alive}
    gone = set(old.values()) - set(spread) - alive  # stories whose articles all left the store
    retired.update({sid: "emptied" for sid in gone})
    return Reconciled(ids, events, retired)
