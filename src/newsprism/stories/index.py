"""Incremental story assignment over per-story centroids, without rescanning stored articles.

Each story keeps summed member vectors: a dense sketch (for a nearest-neighbour search by one matrix
product over all stories), and truncated sparse text and name profiles (for the exact score against the
few best candidates). Because the pair score is a sum of dot products, an article's mean score against a
story's members is its score against the sums divided by the story's size: the same quantity the batch
average linkage thresholds, so one threshold serves both.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from newsprism.stories.cluster import Sketcher
from newsprism.stories.features import N_NAME_FEATURES, N_TEXT_FEATURES, DocFeatures
from newsprism.stories.score import StoryOptions, cohesion_bar, time_penalty

CANDIDATE_STORIES = 32
_HEAD = struct.Struct("<3i3d")


def _merge_sparse(idx_a, val_a, idx_b, val_b, keep: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    idx = np.concatenate([idx_a, idx_b])
    uniq, inverse = np.unique(idx, return_inverse=True)
    val = np.bincount(inverse, weights=np.concatenate([val_a, val_b])).astype(np.float32)
    if len(uniq) > keep:
        top = np.sort(np.argpartition(-val, keep - 1)[:keep])
        uniq, val = uniq[top], val[top]
    return uniq.astype(np.int32), val


def _sparse_dot(idx_a, val_a, idx_b, val_b) -> float:  # noqa: ANN001
    _, ia, ib = np.intersect1d(idx_a, idx_b, assume_unique=True, return_indices=True)
    return float(val_a[ia] @ val_b[ib])


@dataclass(slots=True)
class Profile:
    """Summed member vectors of one story (sparse parts truncated to the heaviest terms)."""

    text_idx: np.ndarray
    text_val: np.ndarray
    name_idx: np.ndarray
    name_val: np.ndarray
    self_score: float  # sum over members of each member's score with itself (for cohesion)
    t_min: float = float("nan")
    t_max: float = float("nan")

    def to_bytes(self, sketch: np.ndarray) -> bytes:
        """A flat little-endian record: loading 30k stories must take seconds, not minutes (npz is slow)."""
        head = _HEAD.pack(len(sketch), len(self.text_idx), len(self.name_idx), self.self_score, self.t_min,
                          self.t_max)
        parts = (sketch.astype("<f4"), self.text_idx.astype("<i4"), self.text_val.astype("<f4"),
                 self.name_idx.astype("<i4"), self.name_val.astype("<f4"))
        return head + b"".join(p.tobytes() for p in parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> tuple[Profile, np.ndarray]:
        n_sketch, n_text, n_names, self_score, t_min, t_max = _HEAD.unpack_from(data)
        offset = _HEAD.size
        arrays = []
        for dtype, count in (("<f4", n_sketch), ("<i4", n_text), ("<f4", n_text), ("<i4", n_names),
                             ("<f4", n_names)):
            arrays.append(np.frombuffer(data, dtype=dtype, count=count, offset=offset))
            offset += 4 * count
        sketch, t_idx, t_val, n_idx, n_val = arrays
        return cls(t_idx, t_val, n_idx, n_val, self_score, t_min, t_max), sketch


def _row(m: sparse.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = m.indptr[i], m.indptr[i + 1]
    order = np.argsort(m.indices[lo:hi])
    return m.indices[lo:hi][order].astype(np.int32), m.data[lo:hi][order].astype(np.float32)


class _Lookup:
    """An article's sparse vectors scattered into the index's dense buffers, cleared again on exit."""

    def __init__(self, buffers: tuple[np.ndarray, np.ndarray], doc: Profile):
        self.text, self.names = buffers
        self.doc = doc
        self.time = doc.t_min

    def __enter__(self) -> _Lookup:
        self.text[self.doc.text_idx] = self.doc.text_val
        self.names[self.doc.name_idx] = self.doc.name_val
        return self

    def __exit__(self, *exc: object) -> None:
        self.text[self.doc.text_idx] = 0.0
        self.names[self.doc.name_idx] = 0.0


@dataclass(slots=True)
class Assignment:
    story_id: str
    score: float | None  # mean pair score with the story it joined; None when it opened a new one
    opened: bool
    merged: list[str] = field(default_factory=list)  # stories absorbed into ``story_id`` on this evidence


class StoryIndex:
    """In-memory centroids of the stored stories; ``add`` is O(stories · sketch dims) per article."""

    def __init__(self, options: StoryOptions, dims: int, emb_dims: int):
        self.options = options
        self.emb_dims = emb_dims
        self.sketcher = Sketcher(options)
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.sums = np.zeros((1024, dims), dtype=np.float32)
        self.size = np.zeros(1024, dtype=np.float64)
        self.profiles: list[Profile | None] = []
        # Dense scratch vectors for one article at a time: a profile dot product becomes one gather.
        self._buffers = (np.zeros(N_TEXT_FEATURES, np.float32), np.zeros(N_NAME_FEATURES, np.float32))

    def __len__(self) -> int:
        return len(self.pos)

    def _grow(self) -> None:
        if len(self.ids) < len(self.size):
            return
        self.sums = np.vstack([self.sums, np.zeros_like(self.sums)])
        self.size = np.concatenate([self.size, np.zeros_like(self.size)])

    def put(self, story_id: str, profile: Profile, sketch_sum: np.ndarray, n: int) -> None:
        """Insert (or replace) one story's centroid."""
        if story_id not in self.pos:
            self._grow()
            self.pos[story_id] = len(self.ids)
            self.ids.append(story_id)
            self.profiles.append(None)
        i = self.pos[story_id]
        self.sums[i], self.size[i], self.profiles[i] = sketch_sum, n, profile

    def drop(self, story_id: str) -> None:
        i = self.pos.pop(story_id)
        self.sums[i] = 0.0
        self.size[i] = 0.0
        self.profiles[i] = None

    def profile_of(self, story_id: str) -> tuple[Profile, np.ndarray, int]:
        i = self.pos[story_id]
        return self.profiles[i], self.sums[i].copy(), int(self.size[i])

    def doc_profile(self, feats: DocFeatures, row: int) -> Profile:
        t_idx, t_val = _row(feats.text, row)
        n_idx, n_val = _row(feats.names, row)
        o = self.options
        self_score = o.w_text * float(t_val @ t_val) + o.w_names * float(n_val @ n_val)
        self_score += o.w_embedding * float(feats.embeddings[row] @ feats.embeddings[row])
        t = float(feats.times[row])
        return Profile(t_idx, t_val, n_idx, n_val, self_score, t, t)

    def _exact(self, doc: _Lookup, emb_part: float, i: int) -> float:
        p, o = self.profiles[i], self.options
        total = o.w_text * float(doc.text[p.text_idx] @ p.text_val)
        total += o.w_names * float(doc.names[p.name_idx] @ p.name_val)
        mean = (total + emb_part) / self.size[i]
        nearest = np.clip(doc.time, p.t_min, p.t_max) if not np.isnan(p.t_min) else np.nan
        return float(mean - time_penalty(np.array([doc.time]), np.array([nearest]), o)[0])

    def candidates(self, doc: Profile, sketch_row: np.ndarray, emb: np.ndarray) -> list[tuple[float, int]]:
        """Exact mean scores against the stories nearest by sketch, best first."""
        n = len(self.ids)
        if not self.pos:
            return []
        approx = (self.sums[:n] @ sketch_row) / np.maximum(self.size[:n], 1.0)
        approx[self.size[:n] == 0] = -np.inf
        k = min(CANDIDATE_STORIES, n)
        top = np.argpartition(-approx, k - 1)[:k]
        out = []
        with _Lookup(self._buffers, doc) as lookup:
            for i in top.tolist():
                if self.size[i] == 0:
                    continue
                # The sketch's first columns are sqrt(w_embedding) x the summed embeddings, exactly.
                emb_part = np.sqrt(self.options.w_embedding) * float(self.sums[i, : len(emb)] @ emb)
                out.append((self._exact(lookup, emb_part, i), i))
        return sorted(out, reverse=True)

    def _combine(self, a: Profile, b: Profile) -> Profile:
        keep = self.options.profile_terms
        t_idx, t_val = _merge_sparse(a.text_idx, a.text_val, b.text_idx, b.text_val, keep)
        n_idx, n_val = _merge_sparse(a.name_idx, a.name_val, b.name_idx, b.name_val, keep)
        return Profile(
            t_idx,
            t_val,
            n_idx,
            n_val,
            a.self_score + b.self_score,
            float(np.fmin(a.t_min, b.t_min)),
            float(np.fmax(a.t_max, b.t_max)),
        )

    def _link(self, i: int, j: int) -> float:
        """Mean pair score between two stories, from their summed profiles."""
        a, b, o = self.profiles[i], self.profiles[j], self.options
        total = o.w_text * _sparse_dot(a.text_idx, a.text_val, b.text_idx, b.text_val)
        total += o.w_names * _sparse_dot(a.name_idx, a.name_val, b.name_idx, b.name_val)
        total += float(self.sums[i, : self.emb_dims] @ self.sums[j, : self.emb_dims])
        return total / (self.size[i] * self.size[j])

    def _cohesion(self, i: int) -> float:
        p, n, o = self.profiles[i], self.size[i], self.options
        if n < 2:
            return 0.0
        total = o.w_text * float(p.text_val @ p.text_val) + o.w_names * float(p.name_val @ p.name_val)
        total += float(self.sums[i, : self.emb_dims] @ self.sums[i, : self.emb_dims])
        return (total - p.self_score) / 2 / (n * (n - 1) / 2)

    def add(self, new_story_id: str, feats: DocFeatures, row: int) -> Assignment:
        """Put article ``row`` of ``feats`` in its best story (or a new one); merge stories it bridges."""
        doc = self.doc_profile(feats, row)
        sketch_row = self.sketcher(feats.rows([row]))[0]
        scored = self.candidates(doc, sketch_row, feats.embeddings[row])
        joinable = [(s, i) for s, i in scored if s >= self.options.threshold]
        if not joinable:
            self.put(new_story_id, doc, sketch_row, 1)
            return Assignment(new_story_id, None, opened=True)
        score, best = joinable[0]
        target = self.ids[best]
        self.put(
            target,
            self._combine(self.profiles[best], doc),
            self.sums[best] + sketch_row,
            int(self.size[best]) + 1,
        )
        merged = []
        for _, other in joinable[1:]:
            link = self._link(best, other)
            o = self.options
            bar = min(cohesion_bar(self._cohesion(c), self.size[c], o) for c in (best, other))
            if link >= o.threshold and link >= bar:
                merged.append(self.ids[other])
                self.put(
                    target,
                    self._combine(self.profiles[best], self.profiles[other]),
                    self.sums[best] + self.sums[other],
                    int(self.size[best] + self.size[other]),
                )
                self.drop(self.ids[other])
        return Assignment(target, score, opened=False, merged=merged)


def group_profiles(
    options: StoryOptions, feats: DocFeatures, groups: list[list[int]]
) -> list[tuple[Profile, np.ndarray]]:
    """Each group's summed profile and sketch, as a batch build stores them and as an index built
    by adding the same rows one by one would hold them (topics are clustered from these)."""
    index = StoryIndex(options, 1, feats.embeddings.shape[1])
    sketches = index.sketcher(feats)
    out = []
    for members in groups:
        profile = index.doc_profile(feats, members[0])
        for i in members[1:]:
            profile = index._combine(profile, index.doc_profile(feats, i))
        out.append((profile, sketches[members].sum(axis=0)))
    return out
