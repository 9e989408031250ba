"""Grouping claims within one story: nearest-neighbour candidates, then complete-link merging.

Each claim proposes its ``k`` nearest claims from *other* articles, by raw cosine and by cosine with
the story's mean vector removed (computed in row blocks so memory stays bounded). Candidate pairs are
scored by the fitted same-fact model (``align.pairs``) and merged best-first. Two groups merge only
when **every** pair across them is judged the same fact (complete link): a chain of pairwise-similar
claims, each close to the next, can no longer glue "the quake struck at 3 a.m." to "the quake killed
5" through a claim that mentions both. A group's score is its weakest pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from newsprism.align.pairs import SameFactModel, StoryPairs, shipped_model


@dataclass
class GroupOptions:
    k: int = 8
    # P(same fact) a pair needs to seed a merge, and every pair across two merging groups needs.
    # Chosen on the verdict gold's dev split and on hand-read fresh coverage: at 0.6, facts grouped
    # below 0.75 cited one gold fact in 2 of 3 cases on dev and in 1 of 3 on unseen news (members
    # sharing topic words, "railway minister ... disaster"); at 0.75 dev fact-sheet purity rises
    # from 0.83 to 0.89 and pair precision from 0.944 to 0.960, at little cost in pair recall.
    threshold: float = 0.75
    # Two groups merge when the pairs across them average ``link_threshold`` and none falls below
    # ``link_floor``: a claim clearly about something else blocks the merge (no chaining).
    link_threshold: float = 0.75
    link_floor: float = 0.75
    min_cosine: float = 0.3  # candidates below this cosine are not scored at all
    # An article may state one fact twice (a headline and its lead); its claims may share a group.
    max_per_article: int = 1
    block_rows: int = 1024


def _knn(emb: np.ndarray, art: np.ndarray, k: int, block: int) -> set[tuple[int, int]]:
    n = emb.shape[0]
    out: set[tuple[int, int]] = set()
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        sims = emb[lo:hi] @ emb.T
        sims[art[lo:hi, None] == art[None, :]] = -2.0  # never pair claims of one article
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.argsort(-sims, axis=1)
        for r, row in enumerate(top):
            i = lo + r
            out.update((min(i, int(j)), max(i, int(j))) for j in row if sims[r, j] > -2.0)
    return out


def candidate_pairs(sp: StoryPairs, articles: list[str], opts: GroupOptions) -> set[tuple[int, int]]:
    """(i, j) with i < j: each claim's k nearest claims of other articles, raw and story-centred."""
    n = sp.emb.shape[0]
    k = min(opts.k, max(n - 1, 0))
    if k == 0:
        return set()
    art = np.unique(np.array(articles, dtype=object).astype(str), return_inverse=True)[1]
    pairs = _knn(sp.emb, art, k, opts.block_rows) | _knn(sp.centred, art, k, opts.block_rows)
    return {(i, j) for i, j in pairs if float(sp.emb[i] @ sp.emb[j]) >= opts.min_cosine}


class _Groups:
    def __init__(self, articles: list[str]):
        self.parent = list(range(len(articles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(articles))}
        self.arts: dict[int, Counter[str]] = {i: Counter([a]) for i, a in enumerate(articles)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] += self.members.pop(b)
        self.arts[a] += self.arts.pop(b)


def group_claims(
    sp: StoryPairs,
    articles: list[str],
    opts: GroupOptions,
    model: SameFactModel | None = None,
    apart: Callable[[int, int], bool] | None = None,
) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Index groups (each a list of claim indices) and P(same fact) of every pair scored: all pairs
    inside a group, and the candidate pairs that stayed apart. Two groups with a pair ``apart`` says
    cannot state one fact never merge, whatever the pair scores."""
    model = model or shipped_model()
    probs: dict[tuple[int, int], float] = {}

    def prob(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key not in probs:
            probs[key] = model.prob(sp.features(*key))
        return probs[key]

    cands = candidate_pairs(sp, articles, opts)
    order = sorted(((prob(i, j), (i, j)) for i, j in cands), reverse=True)
    groups = _Groups(articles)
    for p, (i, j) in order:
        if p < opts.threshold:
            break
        a, b = groups.find(i), groups.find(j)
        if a == b or any(n > opts.max_per_article for n in (groups.arts[a] + groups.arts[b]).values()):
            continue
        cross = [prob(x, y) for x in groups.members[a] for y in groups.members[b]]
        if apart and any(apart(x, y) for x in groups.members[a] for y in groups.members[b]):
            continue
        if min(cross) >= opts.link_floor and sum(cross) / len(cross) >= opts.link_threshold:
            groups.union(a, b)
    out = [sorted(m) for m in groups.members.values()]
    for m in out:
        for x, y in combinations(m, 2):
            prob(x, y)
    return out, probs
