"""Copy graph: connected components over derivation edges, each with its likely origin."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from newsprism.components import connected_components
from newsprism.model import Article
from newsprism.reuse.result import ReuseGroup, ReusePair


def _components(ids: Sequence[str], pairs: Sequence[ReusePair]) -> list[list[str]]:
    return connected_components(ids, ((p.a, p.b) for p in pairs))


def _origin(
    members: list[str], pairs: list[ReusePair], articles: dict[str, Article]
) -> tuple[str | None, str]:
    if len(members) == 1:
        return members[0], "only member"
    derived = {p.derived for p in pairs if p.derived}
    sourced = defaultdict(int)
    for p in pairs:
        if p.source:
            sourced[p.source] += 1
    roots = [m for m in members if m not in derived]
    pool = roots or members

    def key(m: str) -> tuple:
        pub = articles[m].published if m in articles else None
        return (pub is None, pub.timestamp() if pub else 0.0, -sourced[m], m)

    best = min(pool, key=key)
    if not any(p.direction != "unknown" for p in pairs):
        return None, "no pair in the group has a known direction"
    why = "derived from no other member" if best in roots else "every member is derived from another"
    if sum(1 for m in pool if key(m)[:3] == key(best)[:3]) > 1:
        why += "; tie broken by id"
    return best, f"{why}; source in {sourced[best]} pair(s)"


def build_groups(
    articles: Sequence[Article], pairs: Sequence[ReusePair]
) -> tuple[list[ReuseGroup], dict[str, str]]:
    by_id = {a.id: a for a in articles}
    ids = list(dict.fromkeys(a.id for a in articles))
    groups: list[ReuseGroup] = []
    group_of: dict[str, str] = {}
    comps = _components(ids, pairs)
    comp_of = {m: n for n, members in enumerate(comps) for m in members}
    inner: dict[int, list[ReusePair]] = defaultdict(list)
    for p in pairs:
        if p.a in comp_of:
            inner[comp_of[p.a]].append(p)
    for n, members in enumerate(comps):
        origin, reason = _origin(members, inner[n], by_id)
        gid = f"g{len(groups) + 1}"
        groups.append(ReuseGroup(gid, tuple(members), origin, reason))
        for m in members:
            group_of[m] = gid
    return groups, group_of
