"""Grouping claims within one story: nearest-neighbour candidates, then constrained greedy merging.

Each claim proposes its ``k`` nearest claims from *other* articles (cosine on normalised
embeddings, computed in row blocks so memory stays bounded). Candidate pairs are scored and merged
best-first, like average-linkage clustering with two constraints: a group holds at most one claim
per article (an article states a fact once; two of its claims are two facts), and the average score
between the two groups being merged must stay above ``link_threshold`` so chains of weak links
cannot glue unrelated claims together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from newsprism.align.score import ClaimFeatures, ScoreWeights, pair_score


@dataclass
class GroupOptions:
    k: int = 8
    threshold: float = 0.48  # a candidate pair must score this to be merged (chosen on MSRP val)
    link_threshold: float = 0.42  # average score between the two groups being merged
    min_cosine: float = 0.3  # candidates below this cosine are not scored at all
    block_rows: int = 1024
    weights: ScoreWeights = field(default_factory=ScoreWeights)


def candidate_pairs(emb: np.ndarray, articles: list[str], opts: GroupOptions) -> dict[tuple[int, int], float]:
    """(i, j) with i < j -> cosine, for each claim's k nearest claims of other articles."""
    n = emb.shape[0]
    art = np.unique(np.array(articles, dtype=object).astype(str), return_inverse=True)[1]
    out: dict[tuple[int, int], float] = {}
    k = min(opts.k, max(n - 1, 0))
    if k == 0:
        return out
    for lo in range(0, n, opts.block_rows):
        hi = min(lo + opts.block_rows, n)
        sims = emb[lo:hi] @ emb.T
        sims[art[lo:hi, None] == art[None, :]] = -1.0  # never pair claims of one article
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.argsort(-sims, axis=1)
        for r, row in enumerate(top):
            i = lo + r
            for j in row:
                cos = float(sims[r, j])
                if cos >= opts.min_cosine:
                    out[(min(i, int(j)), max(i, int(j)))] = cos
    return out


class _Groups:
    def __init__(self, articles: list[str]):
        self.parent = list(range(len(articles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(articles))}
        self.arts: dict[int, set[str]] = {i: {a} for i, a in enumerate(articles)}

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
        self.arts[a] |= self.arts.pop(b)


def group_claims(
    emb: np.ndarray, articles: list[str], feats: list[ClaimFeatures], opts: GroupOptions
) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Index groups (each a list of claim indices) and the scores of the links that formed them."""
    cands = candidate_pairs(emb, articles, opts)
    scored = {p: pair_score(cos, feats[p[0]], feats[p[1]], opts.weights) for p, cos in cands.items()}
    order = sorted((s, p) for p, s in scored.items() if s >= opts.threshold)
    groups = _Groups(articles)
    links: dict[tuple[int, int], float] = {}

    def score(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key not in scored:
            scored[key] = pair_score(float(emb[i] @ emb[j]), feats[i], feats[j], opts.weights)
        return scored[key]

    for s, (i, j) in reversed(order):
        a, b = groups.find(i), groups.find(j)
        if a == b or groups.arts[a] & groups.arts[b]:
            continue
        cross = [score(x, y) for x in groups.members[a] for y in groups.members[b]]
        if sum(cross) / len(cross) < opts.link_threshold:
            continue
        groups.union(a, b)
        links[(i, j)] = s
    return [sorted(m) for m in groups.members.values()], links
