"""The Ray engine's bucketed reuse candidates replay the local chunked LSH index exactly.

Pure numpy (no Ray): the per-batch key function, the per-partition bucket function and the
central ordering are composed here the way the Ray datasets compose them, with articles sharing
sentences heavily so buckets overflow ``max_fanout`` and span several index segments.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from newsprism.engines import ray_reuse
from newsprism.ingest.base import RawDocument
from newsprism.ingest.build import build_article
from newsprism.reuse import engine as reuse_engine
from newsprism.reuse.candidates import CandidateFinder
from newsprism.reuse.options import ReuseOptions

WORDS = (
    "harbour council vessel budget river market station teacher bridge election storm factory museum "
    "hospital village airport garden library tunnel festival engine farmer castle prison winter"
).split()


def _sentence(seed: int) -> str:
    rng = np.random.default_rng(seed)
    return f"The {' '.join(WORDS[i] for i in rng.integers(0, len(WORDS), 14))} number {seed} said."


def _articles(n: int, pool: int, seed: int = 7) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        picks = rng.choice(pool, size=8, replace=False)
        body = " ".join(_sentence(int(s)) for s in picks) + f" Report {i} ends here today."
        out.append(build_article(RawDocument(text=body, source=f"a{i}", format="text")))
    return out


def _local_candidates(reps: list, options: ReuseOptions) -> list[tuple[int, int]]:
    """The pairs ``find_evidence`` verifies, in its order."""
    finder = CandidateFinder(options)
    out: list[tuple[int, int]] = []
    for lo in range(0, len(reps), reuse_engine.CHUNK):
        chunk = reps[lo : lo + reuse_engine.CHUNK]
        q, h, _ = finder.add_chunk(finder.keys(finder.words(chunk)), len(chunk))
        out += list(zip(q.tolist(), h.tolist(), strict=True))
    return out


def _bucketed_candidates(reps: list, options: ReuseOptions, batch: int, parts: int) -> list[tuple[int, int]]:
    """The same, as the Ray engine computes it: keys per batch, buckets per hash partition."""
    keyed = [
        ray_reuse._keys_batch(
            {"i": np.arange(lo, min(lo + batch, len(reps))),
             "article": [pickle.dumps(a) for a in reps[lo : lo + batch]]},
            options,
        )
        for lo in range(0, len(reps), batch)
    ]
    cols = {c: np.concatenate([k[c] for k in keyed]) for c in ("key", "doc", "indexed")}
    real = cols["doc"] >= 0
    counts = np.bincount(cols["doc"][real & cols["indexed"]] // ray_reuse.CHUNK,
                         minlength=-(-len(reps) // ray_reuse.CHUNK))
    layout = ray_reuse.segment_layout(counts.tolist())
    found = [
        ray_reuse._buckets_batch({c: v[cols["key"] % np.uint64(parts) == p] for c, v in cols.items()},
                                 layout, options.max_fanout)
        for p in range(parts)
    ]
    lo, hi = ray_reuse.ordered_pairs(
        np.concatenate([f["q"] for f in found]), np.concatenate([f["h"] for f in found]), options.max_fanout
    )
    return list(zip(lo.tolist(), hi.tolist(), strict=True))


@pytest.mark.parametrize(("chunk", "fanout"), [(8, 3), (5, 2), (512, 16)])
def test_bucketed_candidates_equal_the_chunked_index(monkeypatch, chunk, fanout):
    monkeypatch.setattr(reuse_engine, "CHUNK", chunk)
    monkeypatch.setattr(ray_reuse, "CHUNK", chunk)
    options = ReuseOptions(rewrite=False, max_fanout=fanout)
    reps = _articles(60, pool=24)
    local = _local_candidates(reps, options)
    assert len(local) > 50  # the fixture shares enough text to exercise the caps
    assert _bucketed_candidates(reps, options, batch=7, parts=3) == local


def test_segment_layout_follows_the_band_index_merges():
    # Sizes 8, 4 (kept: 4*2 >= 8 merges), then 1, 1 (merge to 2; 2*2 < 12 stays).
    assert ray_reuse.segment_layout([8, 4, 1, 0, 1]) == [
        [(0, 0)],
        [(0, 1)],
        [(0, 1), (2, 2)],
        [(0, 1), (2, 2)],
        [(0, 1), (2, 4)],
    ]
