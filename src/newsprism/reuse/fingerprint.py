"""Passage fingerprints: MinHash of word shingles per sentence, min-merged into sentence windows.

MinHash sketches are mergeable (the sketch of a union is the element-wise minimum), so each
shingle is hashed once at sentence level and every window of ``window`` consecutive sentences costs
one ``np.minimum``. Windows are banded into 64-bit LSH keys. All of it runs vectorised over a chunk
of articles at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsprism.reuse.options import ReuseOptions

_MASK32 = np.uint64(0xFFFFFFFF)
# Shingles sketched at a time: the sketch matrix and its temporaries stay near 12 MB.
SKETCH_SHINGLES = 1 << 16
_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0x27D4EB2F165667C5,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)


@dataclass(frozen=True)
class ChunkKeys:
    """LSH keys of a chunk: parallel arrays (key, local doc index), each (key, doc) once."""

    query_keys: np.ndarray
    query_docs: np.ndarray
    index_keys: np.ndarray
    index_docs: np.ndarray


def shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """Hash of every word k-gram (position i covers tokens i..i+k-1); empty when fewer tokens."""
    n = ids.shape[0] - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for j in range(k):
            h = h * _MULTIPLIERS[j % len(_MULTIPLIERS)] + ids[j : j + n]
        h ^= h >> np.uint64(31)
        h *= _MULTIPLIERS[0]
    return h


@dataclass(frozen=True)
class Permutations:
    """The MinHash hash family (32-bit multiply-add) and one salt per LSH band."""

    mul: np.ndarray
    add: np.ndarray
    salts: np.ndarray

    @classmethod
    def make(cls, options: ReuseOptions) -> Permutations:
        rng = np.random.default_rng(options.seed)
        a = rng.integers(1, 2**32, size=options.num_perm, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**32, size=options.num_perm, dtype=np.uint64)
        salts = rng.integers(0, 2**63, size=options.bands, dtype=np.uint64)
        return cls(a.astype(np.uint32), b.astype(np.uint32), salts)


def _window_sketches(rows: np.ndarray, row_doc: np.ndarray, window: int, n_docs: int):
    """Min-merge consecutive sentence sketches of the same doc into windows (whole doc if shorter)."""
    first_row = np.searchsorted(row_doc, np.arange(n_docs), side="left")
    last_row = np.searchsorted(row_doc, np.arange(n_docs), side="right")
    counts = last_row - first_row
    if rows.shape[0] >= window:
        w = rows[: rows.shape[0] - window + 1].copy()
        for j in range(1, window):
            np.minimum(w, rows[j : rows.shape[0] - window + 1 + j], out=w)
        starts = np.arange(w.shape[0])
        valid = row_doc[starts] == row_doc[starts + window - 1]
        win, win_doc, win_local = (
            w[valid],
            row_doc[starts[valid]],
            starts[valid] - first_row[row_doc[starts[valid]]],
        )
        win_last = win_local == (counts[win_doc] - window)
    else:
        win = np.zeros((0, rows.shape[1]), dtype=rows.dtype)
        win_doc = win_local = np.zeros(0, dtype=np.int64)
        win_last = np.zeros(0, dtype=bool)
    short = np.nonzero((counts > 0) & (counts < window))[0]
    if short.shape[0]:
        whole = np.stack([rows[first_row[d] : last_row[d]].min(axis=0) for d in short])
        win = np.concatenate([win, whole])
        win_doc = np.concatenate([win_doc, short])
        win_local = np.concatenate([win_local, np.zeros(short.shape[0], dtype=np.int64)])
        win_last = np.concatenate([win_last, np.ones(short.shape[0], dtype=bool)])
    return win, win_doc, win_local, win_last


@dataclass(frozen=True)
class ChunkWords:
    """A chunk's words as one flat hash array, with sentence lengths and each sentence's doc."""

    ids: np.ndarray
    sentence_lengths: np.ndarray
    sentence_doc: np.ndarray
    n_docs: int

    def doc_lengths(self) -> np.ndarray:
        return np.bincount(self.sentence_doc, weights=self.sentence_lengths, minlength=self.n_docs).astype(
            np.int64
        )


def _sentence_sketches(words: ChunkWords, options: ReuseOptions, perms: Permutations):
    """MinHash rows, one per sentence holding at least one shingle start, and each row's doc."""
    k = options.shingle
    n_sent = words.sentence_lengths.shape[0]
    token_sent = np.repeat(np.arange(n_sent), words.sentence_lengths)
    token_doc = words.sentence_doc[token_sent]
    sh = shingle_hashes(words.ids, k)
    m = sh.shape[0]
    if m == 0:
        return None, None
    # A shingle may run into the next sentence of its doc, never into the next doc.
    valid = token_doc[:m] == token_doc[k - 1 : k - 1 + m]
    sh, sh_sent = sh[valid], token_sent[:m][valid]
    if sh.shape[0] == 0:
        return None, None
    boundaries = np.flatnonzero(np.r_[True, sh_sent[1:] != sh_sent[:-1]])
    # The (shingles x num_perm) sketch matrix and its temporaries are ~16 bytes per shingle and
    # permutation: built for all shingles at once, a 19 MB article took ~600 MB. A MinHash row is
    # a minimum, so slices of shingles are sketched in turn and min-merged into their sentences'
    # rows (a sentence cut by a slice edge gets the minimum of both parts): the same rows.
    rows = np.full((boundaries.shape[0], perms.mul.shape[0]), np.iinfo(np.uint32).max, dtype=np.uint32)
    for lo in range(0, sh.shape[0], SKETCH_SHINGLES):
        hi = min(lo + SKETCH_SHINGLES, sh.shape[0])
        first = int(np.searchsorted(boundaries, lo, side="right")) - 1  # the row holding shingle lo
        stop = int(np.searchsorted(boundaries, hi, side="left"))
        local = np.maximum(boundaries[first:stop] - lo, 0)
        np.minimum(rows[first:stop], _min_sketch(sh[lo:hi], local, perms), out=rows[first:stop])
    return rows, words.sentence_doc[sh_sent[boundaries]]


def _min_sketch(sh: np.ndarray, boundaries: np.ndarray, perms: Permutations) -> np.ndarray:
    """MinHash of each run of shingles starting at ``boundaries``."""
    a, b = perms.mul, perms.add
    h32 = (sh & _MASK32).astype(np.uint32)
    with np.errstate(over="ignore"):
        sketch = h32[:, None] * a[None, :] + b[None, :]
        # Mix the high half back in so equal low halves of different shingles still differ.
        sketch ^= (sh >> np.uint64(32)).astype(np.uint32)[:, None] * a[None, ::-1]
    return np.minimum.reduceat(sketch, boundaries, axis=0)


def chunk_keys(words: ChunkWords, options: ReuseOptions, perms: Permutations) -> ChunkKeys:
    """LSH keys for a chunk of docs: every window queries, every ``index_stride``-th is indexed."""
    rows, row_doc = _sentence_sketches(words, options, perms)
    if rows is None:
        empty = np.zeros(0, dtype=np.uint64)
        none = np.zeros(0, dtype=np.int64)
        return ChunkKeys(empty, none, empty, none)
    win, win_doc, win_local, win_last = _window_sketches(rows, row_doc, options.window, words.n_docs)
    keys = _band_keys(win, options, perms.salts)
    bands = options.bands
    doc_rep = np.repeat(win_doc, bands)
    is_index = np.repeat((win_local % options.index_stride == 0) | win_last, bands)
    keys = keys.ravel()
    if options.sentence_keys and not options.block_tokens:
        s_keys, s_docs = sentence_keys(words, options.sentence_min_tokens, options.sentence_end_keys)
        keys = np.concatenate([keys, s_keys])
        doc_rep = np.concatenate([doc_rep, s_docs])
        is_index = np.concatenate([is_index, np.ones(s_keys.shape[0], dtype=bool)])
    q_keys, q_docs = _unique_pairs(keys, doc_rep)
    i_keys, i_docs = _unique_pairs(keys[is_index], doc_rep[is_index])
    return ChunkKeys(q_keys, q_docs, i_keys, i_docs)


def sentence_keys(words: ChunkWords, min_tokens: int, ends: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """One exact key per sentence of at least ``min_tokens`` words (a position-weighted sum of its
    word hashes), and its doc. A sentence lifted whole into another text shares this key even
    when it is too small a part of every window for the band keys to see it: merges interleave
    single sentences from their sources, partials lift one or two. With ``ends``, sentences key
    their first and their last ``min_tokens`` words instead: a lifted sentence that the host's
    splitter glued to a headline line or a neighbour still keeps one of its ends."""
    lengths = words.sentence_lengths
    if words.ids.shape[0] == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    sent = np.repeat(np.arange(lengths.shape[0]), lengths)
    pos = np.arange(words.ids.shape[0]) - starts[sent]
    length = lengths[sent]
    long_enough = length >= min_tokens
    if not ends:
        parts = [_span_sums(words.ids, sent, pos, long_enough, np.uint64(0))]
    else:
        # A whole sentence shared is also a first-words key shared, so no whole-sentence key.
        tail = pos - (length - min_tokens)
        parts = [
            _span_sums(words.ids, sent, pos, long_enough & (pos < min_tokens), _MULTIPLIERS[5]),
            _span_sums(words.ids, sent, tail, (length > min_tokens) & (tail >= 0), _MULTIPLIERS[6]),
        ]
    keys = np.concatenate([k for k, _ in parts])
    return keys, words.sentence_doc[np.concatenate([s for _, s in parts])]


def _span_sums(ids: np.ndarray, sent: np.ndarray, pos: np.ndarray, select: np.ndarray, salt: np.uint64):
    """Position-weighted hash sums of the selected tokens of each sentence, and the sentences."""
    idx = np.flatnonzero(select)
    if idx.shape[0] == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    s = sent[idx]
    bounds = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    with np.errstate(over="ignore"):
        weight = (pos[idx].astype(np.uint64) + np.uint64(1)) * _MULTIPLIERS[2] ^ _MULTIPLIERS[3]
        mixed = ids[idx] * weight
        mixed ^= mixed >> np.uint64(29)
        sums = np.add.reduceat(mixed, bounds) * _MULTIPLIERS[4] ^ salt
    return sums, s[bounds]


def _band_keys(win: np.ndarray, options: ReuseOptions, salts: np.ndarray) -> np.ndarray:
    r = options.rows_per_band
    parts = win.reshape(win.shape[0], options.bands, r).astype(np.uint64)
    with np.errstate(over="ignore"):
        key = np.zeros(parts.shape[:2], dtype=np.uint64)
        for j in range(r):
            key = (key << np.uint64(32)) ^ (key >> np.uint64(32)) ^ parts[:, :, j]
        key ^= salts[None, :]
        key *= _MULTIPLIERS[1]
    return key


def _unique_pairs(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each (key, doc) once, in input order. Sorting one mixed 64-bit code is ~1.5x faster than a
    lexsort of the two columns; two different pairs with one code are both kept (adjacent after
    the sort, they differ in key or doc), so nothing is lost to a collision."""
    if keys.shape[0] == 0:
        return keys, docs
    with np.errstate(over="ignore"):
        code = keys ^ (docs.astype(np.uint64) * _MULTIPLIERS[7])
    order = np.argsort(code)
    k, d = keys[order], docs[order]
    first = np.ones(order.shape[0], dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    keep = np.sort(order[first])
    return keys[keep], docs[keep]
