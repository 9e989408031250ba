"""Batch story clustering: candidate pairs by nearest neighbours, then sparse average linkage.

Scoring all pairs is quadratic (10^10 pairs at 100k articles), so each article is compared in full only with
its nearest neighbours under a cheap dense sketch (lead embedding + a fixed random projection of its TF-IDF).
Average linkage then merges clusters while the mean pair score between them stays above the threshold,
counting pairs that were never candidates as unrelated (score 0), which makes it conservative, not greedy.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.random_projection import SparseRandomProjection

from newsprism.stories.features import N_TEXT_FEATURES, DocFeatures
from newsprism.stories.score import StoryOptions, pair_scores

SKETCH_TEXT_DIMS = 256


@dataclass(slots=True)
class Edges:
    """Undirected scored pairs ``left[k] < right[k]``."""

    left: np.ndarray
    right: np.ndarray
    score: np.ndarray


def text_projection() -> SparseRandomProjection:
    """A fixed projection (seeded), so sketches of different runs are comparable without a refit."""
    proj = SparseRandomProjection(n_components=SKETCH_TEXT_DIMS, dense_output=True, random_state=20250426)
    return proj.fit(sparse.csr_matrix((1, N_TEXT_FEATURES), dtype=np.float32))


def sketch(feats: DocFeatures, options: StoryOptions) -> np.ndarray:
    """Dense vectors whose dot product approximates the embedding and text parts of the pair score."""
    text = text_projection().transform(feats.text).astype(np.float32)
    norms = np.linalg.norm(text, axis=1, keepdims=True)
    text /= np.where(norms == 0, 1.0, norms)
    return np.hstack(
        [np.sqrt(options.w_embedding) * feats.embeddings, np.sqrt(options.w_text) * text]
    ).astype(np.float32)


def candidate_pairs(feats: DocFeatures, options: StoryOptions) -> tuple[np.ndarray, np.ndarray]:
    """Each article's ``options.neighbours`` nearest others by sketch, as unique pairs ``i < j``."""
    n = len(feats)
    k = min(options.neighbours, n - 1)
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    vecs = sketch(feats, options)
    lefts, rights = [], []
    for start in range(0, n, options.block_size):
        stop = min(start + options.block_size, n)
        sims = vecs[start:stop] @ vecs.T
        sims[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        lefts.append(np.repeat(np.arange(start, stop), k))
        rights.append(top.ravel())
    left, right = np.concatenate(lefts), np.concatenate(rights)
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    keys = np.unique(lo.astype(np.int64) * n + hi)
    return keys // n, keys % n


def scored_edges(
    feats: DocFeatures, options: StoryOptions, forced: list[tuple[int, int]] | None = None
) -> Edges:
    """Candidate pairs with their scores; ``forced`` pairs (reuse links) score at least ``reuse_score``."""
    left, right = candidate_pairs(feats, options)
    if forced:
        f = np.array([(min(a, b), max(a, b)) for a, b in forced if a != b], dtype=np.int64).reshape(-1, 2)
        n = len(feats)
        keys = np.unique(np.concatenate([left * n + right, f[:, 0] * n + f[:, 1]]))
        left, right = keys // n, keys % n
    score = pair_scores(feats, left, right, options)
    if forced:
        forced_keys = {(min(a, b), max(a, b)) for a, b in forced}
        mask = np.array([(int(a), int(b)) in forced_keys for a, b in zip(left, right, strict=True)])
        score[mask] = np.maximum(score[mask], options.reuse_score)
    keep = score > options.edge_floor
    return Edges(left[keep], right[keep], score[keep])


def average_link(n: int, edges: Edges, threshold: float, cohesion_ratio: float = 0.0) -> np.ndarray:
    """Cluster labels (0..k-1) by average linkage over a sparse similarity graph.

    The linkage of clusters A and B is (sum of edge scores between them) / (|A|·|B|); missing pairs count
    as 0. Merges run best-first from a heap with lazy invalidation; merging moves the smaller neighbour
    map into the larger, so the total work stays near O(E log E).
    """
    size = np.ones(n, dtype=np.int64)
    internal = np.zeros(n, dtype=np.float64)
    parent = np.arange(n)
    nbrs: list[dict[int, float]] = [{} for _ in range(n)]
    for a, b, s in zip(edges.left.tolist(), edges.right.tolist(), edges.score.tolist(), strict=True):
        nbrs[a][b] = nbrs[a].get(b, 0.0) + s
        nbrs[b][a] = nbrs[b].get(a, 0.0) + s
    version = np.zeros(n, dtype=np.int64)
    heap = [(-s, 0, 0, a, b) for a, b, s in zip(edges.left.tolist(), edges.right.tolist(),
                                                  edges.score.tolist(), strict=True) if s > threshold]
    heapq.heapify(heap)
    while heap:
        neg, va, vb, a, b = heapq.heappop(heap)
        if version[a] != va or version[b] != vb or parent[a] != a or parent[b] != b:
            continue
        if cohesion_ratio and -neg < cohesion_ratio * min(_cohesion(internal, size, a), _cohesion(internal, size, b)):
            continue
        keep, gone = (a, b) if len(nbrs[a]) >= len(nbrs[b]) else (b, a)
        internal[keep] += internal[gone] + nbrs[keep].get(gone, 0.0)
        parent[gone] = keep
        size[keep] += size[gone]
        version[keep] += 1
        moved = nbrs[gone]
        nbrs[gone] = {}
        nbrs[keep].pop(gone, None)
        moved.pop(keep, None)
        for c, s in moved.items():
            nbrs[keep][c] = nbrs[keep].get(c, 0.0) + s
            other = nbrs[c]
            other.pop(gone, None)
            other[keep] = other.get(keep, 0.0) + s
        for c, s in nbrs[keep].items():
            link = s / (size[keep] * size[c])
            if link > threshold:
                pair = (keep, c) if keep < c else (c, keep)
                heapq.heappush(heap, (-link, version[pair[0]], version[pair[1]], pair[0], pair[1]))
    return _labels(parent)


def _cohesion(internal: np.ndarray, size: np.ndarray, c: int) -> float:
    """Mean pair score inside cluster ``c``; a singleton sets no bar (0)."""
    pairs = size[c] * (size[c] - 1) / 2
    return float(internal[c] / pairs) if pairs else 0.0


def _labels(parent: np.ndarray) -> np.ndarray:
    roots = parent.copy()
    for i in range(len(roots)):
        r = i
        while parent[r] != r:
            r = parent[r]
        roots[i] = r
    _, labels = np.unique(roots, return_inverse=True)
    return labels


def cluster(feats: DocFeatures, options: StoryOptions, forced: list[tuple[int, int]] | None = None) -> np.ndarray:
    """Story labels for every row of ``feats`` (order-independent: no article is read twice)."""
    if len(feats) == 0:
        return np.zeros(0, dtype=np.int64)
    return average_link(len(feats), scored_edges(feats, options, forced), options.threshold)
