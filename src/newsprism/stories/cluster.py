"""Batch story clustering: candidate pairs by nearest neighbours, then sparse average linkage.

Scoring all pairs is quadratic (10^10 pairs at 100k articles), so each article is compared in full only with
its nearest neighbours under a cheap dense sketch (lead embedding + a fixed random projection of its TF-IDF).
Average linkage then merges clusters while the mean pair score between them stays above the threshold,
counting pairs that were never candidates as unrelated (score 0), which makes it conservative, not greedy.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.random_projection import SparseRandomProjection

from newsprism.stories.features import N_NAME_FEATURES, N_TEXT_FEATURES, DocFeatures
from newsprism.stories.score import StoryOptions, cohesion_bar, pair_scores

SKETCH_TEXT_DIMS = 256
SKETCH_NAME_DIMS = 128


@dataclass(slots=True)
class Graph:
    """Scored candidate pairs ``left[k] < right[k]`` plus each article's sketch.

    ``score`` is the exact pair score, ``approx`` the sketch's dot product for the same pair; pairs that
    are not candidates are estimated from sketch sums, so the linkage still averages over every pair.
    """

    left: np.ndarray
    right: np.ndarray
    score: np.ndarray
    approx: np.ndarray
    sketch: np.ndarray


class Sketcher:
    """Dense sketches whose dot product approximates the pair score without its time term.

    The random projections are seeded, so sketches from different runs agree without a refit.
    """

    def __init__(self, options: StoryOptions):
        self.options = options
        self._text = self._projection(N_TEXT_FEATURES, SKETCH_TEXT_DIMS)
        self._names = self._projection(N_NAME_FEATURES, SKETCH_NAME_DIMS)

    @staticmethod
    @functools.cache
    def _projection(n_features: int, dims: int) -> sparse.csr_matrix:
        """The (n_features, dims) projection matrix, transposed once here rather than on every call.

        Made once per process (seeded, so always the same; read-only once made): making it takes
        ~0.2 s, and every ingest and API write opens a story index."""
        proj = SparseRandomProjection(n_components=dims, dense_output=True, random_state=20250426)
        proj.fit(sparse.csr_matrix((1, n_features), dtype=np.float32))
        return sparse.csr_matrix(proj.components_.T, dtype=np.float32)

    @staticmethod
    def _unit(proj: sparse.csr_matrix, m: sparse.csr_matrix) -> np.ndarray:
        out = np.asarray((m @ proj).toarray(), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def __call__(self, feats: DocFeatures) -> np.ndarray:
        o = self.options
        parts = [
            np.sqrt(o.w_embedding) * feats.embeddings,
            np.sqrt(o.w_text) * self._unit(self._text, feats.text),
            np.sqrt(o.w_names) * self._unit(self._names, feats.names),
        ]
        return np.hstack(parts).astype(np.float32)


def sketch(feats: DocFeatures, options: StoryOptions) -> np.ndarray:
    return Sketcher(options)(feats)


def _top_terms(m: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row cut to its ``keep`` heaviest entries: cheap to multiply, and what tells events apart."""
    m = m.tocsr(copy=True)
    for i in range(m.shape[0]):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        if hi - lo > keep:
            row = m.data[lo:hi]
            row[np.argsort(row)[: hi - lo - keep]] = 0.0
    m.eliminate_zeros()
    return m


@dataclass(slots=True)
class Profiles:
    """What neighbour search multiplies: weighted pruned profiles and their transposes."""

    text: sparse.csr_matrix
    names: sparse.csr_matrix
    text_t: sparse.csr_matrix
    names_t: sparse.csr_matrix
    emb: np.ndarray

    @classmethod
    def of(cls, feats: DocFeatures, options: StoryOptions) -> Profiles:
        text = (_top_terms(feats.text, options.candidate_terms) * options.w_text).astype(np.float32)
        names = (feats.names * options.w_names).astype(np.float32)
        return cls(text, names, text.T.tocsr(), names.T.tocsr(), feats.embeddings * options.w_embedding)


def neighbour_blocks(n: int, options: StoryOptions) -> list[tuple[int, int]]:
    """Row blocks of the neighbour search; each is independent of the others."""
    block = max(16, min(options.block_size, options.block_cells // max(n, 1)))  # bounds a block's memory
    return [(start, min(start + block, n)) for start in range(0, n, block)]


def block_neighbours(
    prof: Profiles, feats: DocFeatures, options: StoryOptions, start: int, stop: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``start:stop``'s ``options.neighbours`` best others: (row, neighbour) arrays."""
    k = min(options.neighbours, len(feats) - 1)
    sims = prof.emb[start:stop] @ feats.embeddings.T
    sims += (prof.text[start:stop] @ prof.text_t).toarray() / options.w_text if options.w_text else 0.0
    sims += (prof.names[start:stop] @ prof.names_t).toarray() / options.w_names if options.w_names else 0.0
    sims[np.arange(stop - start), np.arange(start, stop)] = -np.inf
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return np.repeat(np.arange(start, stop), k), top.ravel()


def merge_neighbours(
    n: int, lefts: list[np.ndarray], rights: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Block results -> unique pairs ``i < j``."""
    left, right = np.concatenate(lefts), np.concatenate(rights)
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    keys = np.unique(lo.astype(np.int64) * n + hi)
    return keys // n, keys % n


def candidate_pairs(feats: DocFeatures, options: StoryOptions) -> tuple[np.ndarray, np.ndarray]:
    """Each article's ``options.neighbours`` best others by the pair score on pruned profiles (i < j)."""
    n = len(feats)
    if min(options.neighbours, n - 1) <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    prof = Profiles.of(feats, options)
    lefts, rights = [], []
    for start, stop in neighbour_blocks(n, options):
        left, right = block_neighbours(prof, feats, options, start, stop)
        lefts.append(left)
        rights.append(right)
    return merge_neighbours(n, lefts, rights)


CandidateFn = Callable[[DocFeatures, StoryOptions], tuple[np.ndarray, np.ndarray]]


def build_graph(
    feats: DocFeatures,
    options: StoryOptions,
    forced: list[tuple[int, int]] | None = None,
    candidates: CandidateFn = candidate_pairs,
) -> Graph:
    """Candidate pairs (plus the ``forced`` reuse links) with exact and sketch scores. ``candidates``
    finds the neighbour pairs (the Ray engine passes one that computes its row blocks in parallel)."""
    vecs = sketch(feats, options)
    left, right = candidates(feats, options)
    n = len(feats)
    forced_keys = np.array(sorted({min(a, b) * n + max(a, b) for a, b in forced or [] if a != b}), np.int64)
    if len(forced_keys):
        keys = np.unique(np.concatenate([left * n + right, forced_keys]))
        left, right = keys // n, keys % n
    score = pair_scores(feats, left, right, options)
    approx = _row_dots(vecs, left, right)
    return Graph(left, right, score, approx.astype(np.float32), vecs)


def _row_dots(vecs: np.ndarray, left: np.ndarray, right: np.ndarray, chunk: int = 65_536) -> np.ndarray:
    """``vecs[left[k]] · vecs[right[k]]`` in chunks: gathering all pairs at once would take gigabytes."""
    out = np.empty(len(left), dtype=np.float32)
    for start in range(0, len(left), chunk):
        sl = slice(start, start + chunk)
        out[sl] = np.einsum("ij,ij->i", vecs[left[sl]], vecs[right[sl]])
    return out


class _Linkage:
    """Cluster sums for average linkage: exact scores on candidate pairs, sketch estimates elsewhere."""

    def __init__(self, graph: Graph):
        n = len(graph.sketch)
        self.size = np.ones(n, dtype=np.float64)
        self.sums = graph.sketch.astype(np.float64)
        self.sq = np.einsum("ij,ij->i", self.sums, self.sums)
        self.inner = np.zeros(n)  # exact minus sketch score, summed over candidate pairs inside a cluster
        self.nbrs: list[dict[int, float]] = [{} for _ in range(n)]  # exact minus sketch, between clusters
        self.parent = np.arange(n)
        self.version = np.zeros(n, dtype=np.int64)
        delta = (graph.score - graph.approx).tolist()
        for a, b, d in zip(graph.left.tolist(), graph.right.tolist(), delta, strict=True):
            self.nbrs[a][b] = d
            self.nbrs[b][a] = d

    def links(self, c: int, others: list[int]) -> np.ndarray:
        est = self.sums[others] @ self.sums[c]
        corr = np.array([self.nbrs[c][o] for o in others])
        return (est + corr) / (self.size[others] * self.size[c])

    def cohesion(self, c: int) -> float:
        """Mean pair score inside cluster ``c``; a singleton sets no bar (0)."""
        pairs = self.size[c] * (self.size[c] - 1) / 2
        if not pairs:
            return 0.0
        total = (self.sums[c] @ self.sums[c] - self.sq[c]) / 2 + self.inner[c]
        return float(total / pairs)

    def root(self, x: int) -> int:
        while self.parent[x] != x:
            x = int(self.parent[x])
        return x

    def current(self, c: int, version: int) -> bool:
        """Whether a heap entry made when ``c`` had ``version`` still describes a live cluster."""
        return self.parent[c] == c and self.version[c] == version

    def join(self, a: int, b: int) -> int:
        keep, gone = (a, b) if len(self.nbrs[a]) >= len(self.nbrs[b]) else (b, a)
        self.merge(keep, gone)
        self.parent[gone] = keep
        self.version[keep] += 1
        return keep

    def push(self, c: int, heap: list, threshold: float) -> None:
        """Queue ``c``'s linkage to each neighbouring cluster that clears the threshold."""
        others = list(self.nbrs[c])
        if not others:
            return
        for o, value in zip(others, self.links(c, others).tolist(), strict=True):
            if value > threshold:
                lo, hi = (c, o) if c < o else (o, c)
                heapq.heappush(heap, (-value, int(self.version[lo]), int(self.version[hi]), lo, hi))

    def merge(self, keep: int, gone: int) -> None:
        self.inner[keep] += self.inner[gone] + self.nbrs[keep].pop(gone, 0.0)
        self.sums[keep] += self.sums[gone]
        self.sq[keep] += self.sq[gone]
        self.size[keep] += self.size[gone]
        moved, self.nbrs[gone] = self.nbrs[gone], {}
        moved.pop(keep, None)
        for c, d in moved.items():
            self.nbrs[keep][c] = self.nbrs[keep].get(c, 0.0) + d
            other = self.nbrs[c]
            other.pop(gone, None)
            other[keep] = other.get(keep, 0.0) + d


def average_link(
    graph: Graph,
    options: StoryOptions,
    must_link: list[tuple[int, int]] | None = None,
) -> np.ndarray:
    """Cluster labels (0..k-1) by average linkage restricted to clusters joined by candidate pairs.

    ``must_link`` pairs (reuse links: one text copied from another) are joined before anything else.
    Merges then run best-first from a heap with lazy invalidation. A merge also needs the linkage to
    reach a fraction of the cohesion of each side (``cohesion_bar``: a cohesion constraint, stricter for
    large clusters), so two tight clusters about similar events are not averaged into one.
    """
    link = _Linkage(graph)
    threshold = options.threshold
    for a, b in must_link or ():
        ra, rb = link.root(a), link.root(b)
        if ra != rb:
            link.join(ra, rb)
    heap: list[tuple[float, int, int, int, int]] = []
    for c in range(len(graph.sketch)):
        if link.parent[c] == c:
            link.push(c, heap, threshold)
    while heap:
        neg, va, vb, a, b = heapq.heappop(heap)
        if not link.current(a, va) or not link.current(b, vb):
            continue
        bars = (cohesion_bar(link.cohesion(c), link.size[c], options) for c in (a, b))
        if -neg < min(bars):
            continue
        link.push(link.join(a, b), heap, threshold)
    return _labels(link.parent)


def _labels(parent: np.ndarray) -> np.ndarray:
    roots = parent.copy()
    for i in range(len(roots)):
        r = i
        while parent[r] != r:
            r = parent[r]
        roots[i] = r
    _, labels = np.unique(roots, return_inverse=True)
    return labels


def cluster(
    feats: DocFeatures,
    options: StoryOptions,
    forced: list[tuple[int, int]] | None = None,
    candidates: CandidateFn = candidate_pairs,
) -> np.ndarray:
    """Story labels for every row of ``feats``; the result does not depend on the rows' order."""
    if len(feats) == 0:
        return np.zeros(0, dtype=np.int64)
    graph = build_graph(feats, options, forced, candidates)
    return average_link(graph, options, forced)
