"""The vectorised parts of the candidate stage against plain reference implementations: the word
scanner against ``re.findall(r"\\w+")``, the band index query against a dict of buckets."""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newsprism.reuse.lsh import BandIndex
from newsprism.reuse.tokens import TokenHasher

# Letters of several scripts, digits, the underscore, punctuation, typographic quotes, an emoji
# (outside the Basic Multilingual Plane) and a letter whose lower case is two code points.
ALPHABET = "aZß9_ .,;\n-“”’ΑβЖж中İ😀\u00a0"


@given(st.text(alphabet=ALPHABET, max_size=80))
def test_scan_finds_the_words_regex_finds_with_their_offsets(text):
    tokens = TokenHasher().tokens(text)
    found = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    assert list(zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)) == found


def test_word_hashes_ignore_case_and_tell_words_apart():
    h = TokenHasher()
    ids = h.tokens("Harbour HARBOUR harbour harbours Αθήνα ΑΘΉΝΑ ab ba").ids.tolist()
    assert ids[0] == ids[1] == ids[2] and ids[4] == ids[5]
    assert len({ids[0], ids[3], ids[4], ids[6], ids[7]}) == 5
    # A fresh hasher (another process, another run) gives the same hashes.
    assert TokenHasher().tokens("harbour").ids.tolist() == [ids[0]]


def test_tokens_many_equals_tokens_of_each_text():
    h = TokenHasher()
    texts = ["One two.", "", "Three, four five!", "six"]
    for many, one in zip(h.tokens_many(texts), [h.tokens(t) for t in texts], strict=True):
        assert many.ids.tolist() == one.ids.tolist()
        assert many.starts.tolist() == one.starts.tolist() and many.ends.tolist() == one.ends.tolist()


def test_chunk_words_keeps_words_inside_spans_and_numbers_spans_across_texts():
    h = TokenHasher()
    texts = ["Alpha beta. Gamma delta epsilon.", "Zeta eta."]
    spans = [[(0, 11), (12, 32)], [(0, 9)]]
    ids, unit = h.chunk_words(texts, spans)
    assert unit.tolist() == [0, 0, 1, 1, 1, 2, 2]
    assert ids.tolist() == h.tokens("alpha beta gamma delta epsilon zeta eta").ids.tolist()
    # Words outside every span are left out.
    ids, unit = h.chunk_words(texts, [[(12, 32)], []])
    assert unit.tolist() == [0, 0, 0]


def _index(fanout: int, rng) -> tuple[BandIndex, list[tuple[int, int]]]:
    index = BandIndex(fanout)
    entries = []
    # Several adds, so a query crosses merged and unmerged segments.
    for batch in range(6):
        docs = np.arange(batch * 20, batch * 20 + 20).repeat(5)
        keys = rng.integers(0, 400, docs.shape[0]).astype(np.uint64)
        index.add(keys, docs)
        entries += list(zip(keys.tolist(), docs.tolist(), strict=True))
    return index, entries


def test_band_index_query_matches_a_dict_of_buckets():
    rng = np.random.default_rng(3)
    index, entries = _index(10**6, rng)
    buckets = defaultdict(set)
    for k, d in entries:
        buckets[k].add(d)
    qdocs = np.arange(200, 230).repeat(6)
    qkeys = rng.integers(0, 600, qdocs.shape[0]).astype(np.uint64)
    q, h = index.query(qkeys, qdocs)
    expected = {(qd, hd) for qd, k in zip(qdocs.tolist(), qkeys.tolist(), strict=True) for hd in buckets[k]}
    assert sorted(zip(q.tolist(), h.tolist(), strict=True)) == sorted(expected)


def test_band_index_caps_a_popular_bucket_at_its_earliest_members():
    index = BandIndex(4)
    for lo in range(0, 50, 10):
        docs = np.arange(lo, lo + 10)
        index.add(np.full(10, 7, dtype=np.uint64), docs)
    q, h = index.query(np.array([7, 9], dtype=np.uint64), np.array([100, 100]))
    assert q.tolist() == [100] * 4 and h.max() < 50
    # Earliest members of each segment: never one of the last ones added.
    assert set(h.tolist()) <= set(range(0, 50, 10)) | set(range(1, 50, 10)) | set(range(2, 50, 10)) | set(
        range(3, 50, 10)
    )
