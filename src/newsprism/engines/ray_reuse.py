"""Reuse on Ray Data: LSH keys per article in parallel, candidates grouped by key (a shuffle), pair
verification in parallel; pruning, typing and groups then run centrally on the verified evidence.

The local engine indexes articles in chunks of ``CHUNK`` into a ``BandIndex`` whose sorted
segments merge geometrically, and a bucket yields at most ``max_fanout`` members *per segment*.
To give the same candidates, the grouped buckets replay that: a query article of chunk ``c`` is
paired only with indexed members of chunks ``<= c``, capped per segment of the index as it stood
after chunk ``c`` was added (the segment layout depends only on the per-chunk key counts, so it is
computed up front and shipped to every bucket task). Each query article then keeps its
``max_fanout`` candidates sharing most keys, and pairs are verified in the local engine's order,
so pruning (which depends on evidence order) sees the same list.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsprism.model import Article
from newsprism.reuse.candidates import CandidateFinder, Evidence, verify
from newsprism.reuse.engine import CHUNK, DetectStats
from newsprism.reuse.lsh import cap_per_query
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.tokens import TokenHasher, Tokens

# Hash partitions of the key shuffle per CPU: enough for balance, few enough that each partition's
# task overhead stays small against its work.
PARTITIONS_PER_CPU = 2


def _pair_rows(keys: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """(key, doc) pairs as one structured column, so ``np.isin`` compares pairs."""
    both = np.stack([keys.view(np.int64), docs.astype(np.int64)], axis=1)
    return np.ascontiguousarray(both).view([("k", "<i8"), ("d", "<i8")]).ravel()


def _keys_batch(batch: dict[str, np.ndarray], options: ReuseOptions) -> dict[str, np.ndarray]:
    """Band and sentence keys of a batch of articles: one row per (key, article), global ids, plus
    one marker row (doc -1) carrying how many of the batch's articles are too short to index."""
    arts = [pickle.loads(b) for b in batch["article"]]
    finder = CandidateFinder(options)
    words = finder.words(arts)
    keys = finder.keys(words)
    glob = batch["i"].astype(np.int64)
    q_key, q_doc = keys.query_keys.astype(np.uint64), glob[keys.query_docs]
    # The index keys are a subset of the query keys (both are unique (key, doc) pairs).
    indexed = np.isin(
        _pair_rows(q_key, q_doc), _pair_rows(keys.index_keys.astype(np.uint64), glob[keys.index_docs])
    )
    short = int((words.doc_lengths() < options.min_passage_tokens).sum())
    n = q_doc.shape[0]
    return {
        "key": np.r_[q_key, np.zeros(1, np.uint64)],
        "doc": np.r_[q_doc, -1],
        "indexed": np.r_[indexed, False],
        "short": np.r_[np.zeros(n, np.int64), short],
    }


def segment_layout(index_counts: Sequence[int]) -> list[list[tuple[int, int]]]:
    """The chunk ranges of the ``BandIndex`` segments after each chunk is added (see lsh.py)."""
    segments: list[tuple[int, int, int]] = []  # (entries, first chunk, last chunk)
    layout = []
    for c, n in enumerate(index_counts):
        if n:
            segments.append((n, c, c))
            while len(segments) > 1 and segments[-1][0] * 2 >= segments[-2][0]:
                (n1, lo, _), (n2, _, hi) = segments[-2], segments[-1]
                segments[-2:] = [(n1 + n2, lo, hi)]
        layout.append([(lo, hi) for _, lo, hi in segments])
    return layout


def _bucket(docs: np.ndarray, indexed: np.ndarray, layout: list, fanout: int) -> tuple[np.ndarray, ...]:
    """(query, member) pairs of one key's bucket, as the chunked local index yields them."""
    members = np.sort(docs[indexed])
    if members.shape[0] == 0 or docs.shape[0] < 2:
        return ()
    member_chunk = members // CHUNK
    query_chunk = docs // CHUNK
    out = []
    for c in np.unique(query_chunk).tolist():
        allowed = np.concatenate(
            [members[(member_chunk >= lo) & (member_chunk <= hi)][:fanout] for lo, hi in layout[c]]
        )
        qs = docs[query_chunk == c]
        q, h = np.repeat(qs, allowed.shape[0]), np.tile(allowed, qs.shape[0])
        keep = q != h
        out.append(np.stack([q[keep], h[keep]]))
    return tuple(out)


def _buckets_batch(batch: dict[str, np.ndarray], layout: list, fanout: int) -> dict[str, np.ndarray]:
    """Every bucket of one hash partition of the keys: sorted by key, then cut into runs."""
    real = batch["doc"] >= 0  # not the batches' marker rows
    order = np.flatnonzero(real)[np.lexsort((batch["doc"][real], batch["key"][real]))]
    key, doc, indexed = batch["key"][order], batch["doc"][order], batch["indexed"][order]
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True])
    parts = []
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if hi - lo > 1:
            parts.extend(_bucket(doc[lo:hi], indexed[lo:hi], layout, fanout))
    pairs = np.concatenate(parts, axis=1) if parts else np.zeros((2, 0), np.int64)
    return {"q": pairs[0], "h": pairs[1]}


def candidate_pairs(reps: Sequence[Article], options: ReuseOptions, cpus: int, stats: DetectStats):
    """Candidate (lo, hi) pairs of ``reps`` indices, in the local engine's verification order."""
    import ray.data

    items = [{"i": i, "article": pickle.dumps(a)} for i, a in enumerate(reps)]
    keys = ray.data.from_items(items).map_batches(
        _keys_batch, fn_kwargs={"options": options}, batch_size=64, batch_format="numpy"
    ).materialize()
    index_counts = np.zeros(-(-len(reps) // CHUNK), np.int64)
    for batch in keys.select_columns(["doc", "indexed", "short"]).iter_batches(batch_format="numpy"):
        stats.too_short += int(batch["short"].sum())
        docs = batch["doc"][batch["indexed"]]
        index_counts += np.bincount(docs // CHUNK, minlength=index_counts.shape[0])
    layout = segment_layout(index_counts.tolist())
    parts = max(1, PARTITIONS_PER_CPU * cpus)
    grouped = keys.add_column("part", lambda b: b["key"] % np.uint64(parts), batch_format="numpy")
    found = grouped.groupby("part", num_partitions=parts).map_groups(
        _buckets_batch, fn_kwargs={"layout": layout, "fanout": options.max_fanout}, batch_format="numpy"
    )
    qs, hs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for batch in found.iter_batches(batch_format="numpy"):
        qs.append(batch["q"].astype(np.int64))
        hs.append(batch["h"].astype(np.int64))
    lo, hi = ordered_pairs(np.concatenate(qs), np.concatenate(hs), options.max_fanout)
    stats.candidates += int(lo.shape[0])
    return lo, hi


def ordered_pairs(q: np.ndarray, h: np.ndarray, fanout: int) -> tuple[np.ndarray, np.ndarray]:
    """All buckets' (query, member) rows -> the (lo, hi) pairs the local engine verifies, in its
    order: chunk by chunk (the query's chunk), each chunk's pairs by (lo, hi)."""
    q, h = cap_per_query(q, h, fanout)
    lo, hi = np.minimum(q, h), np.maximum(q, h)
    pairs = np.unique(np.stack([q // CHUNK, lo, hi], axis=1), axis=0)  # sorted by chunk, lo, hi
    return pairs[:, 1], pairs[:, 2]


class _Verifier:
    """Verifies candidate pairs; holds the articles (shipped once per actor) and their tokens."""

    def __init__(self, reps_ref: Any, options: ReuseOptions):
        import ray

        self.reps: list[Article] = ray.get(reps_ref)
        self.options = options
        self.hasher = TokenHasher()
        self.tokens: dict[int, Tokens] = {}

    def _tokens(self, i: int) -> Tokens:
        if i not in self.tokens:
            self.tokens[i] = self.hasher.tokens(self.reps[i].text)
        return self.tokens[i]

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        out = []
        for n, i, j in zip(batch["n"].tolist(), batch["lo"].tolist(), batch["hi"].tolist(), strict=True):
            ev = verify(self.reps[i], self._tokens(i), self.reps[j], self._tokens(j), self.options)
            out.append((n, i, j, ev))
        self.tokens.clear()  # bounded by the batch: tokens of a batch's articles, not of all
        return {"result": [pickle.dumps(r) for r in out]}


def ray_evidence(
    reps: Sequence[Article], options: ReuseOptions, stats: DetectStats, cpus: int
) -> list[Evidence]:
    """``find_evidence`` of the local engine, run on Ray (same evidence, same order)."""
    import ray
    import ray.data

    lo, hi = candidate_pairs(reps, options, cpus, stats)
    if lo.shape[0] == 0:
        return []
    reps_ref = ray.put(list(reps))
    rows = [{"n": n, "lo": int(a), "hi": int(b)} for n, (a, b) in enumerate(zip(lo, hi, strict=True))]
    verified = ray.data.from_items(rows).map_batches(
        _Verifier,
        fn_constructor_args=(reps_ref, options),
        batch_size=256,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=max(1, cpus)),
    )
    results = sorted((pickle.loads(r["result"]) for r in verified.iter_rows()), key=lambda r: r[0])
    # Articles come back as copies: point the evidence at the caller's objects again.
    evidence = []
    for _, i, j, ev in results:
        if ev is not None:
            evidence.append(_rebind(ev, reps[i], reps[j]))
    stats.verified = len(evidence)
    return evidence


def _rebind(ev: Evidence, a: Article, b: Article) -> Evidence:
    from dataclasses import replace

    # ``verify`` may have cut an article to its analysed view; keep that copy then.
    return replace(ev, a=a if ev.a.text == a.text else ev.a, b=b if ev.b.text == b.text else ev.b)
