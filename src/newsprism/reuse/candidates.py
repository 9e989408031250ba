"""Candidate generation and verification, shared by the batch stage and the store-backed index."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.model import Article
from newsprism.reuse.align import Alignment, align
from newsprism.reuse.fingerprint import ChunkKeys, ChunkWords, Permutations, chunk_keys
from newsprism.reuse.lsh import BandIndex
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.tokens import TokenHasher, Tokens

# Quoted speech: independent reports quote the same statement word for word, so shared words
# inside quotation marks are weak evidence of copying and do not count towards accepting a pair.
_QUOTE = re.compile(r"“[^”]{0,800}”|\"[^\"\n]{0,800}\"|‘[^’]{0,400}’(?!\w)")


@dataclass(frozen=True)
class Evidence:
    """A verified pair: both articles, their tokens, the alignment (a-side first)."""

    a: Article
    b: Article
    ta: Tokens
    tb: Tokens
    alignment: Alignment
    unquoted_shared: int
    exact: bool = False
    # Whole sentences (outside quotation marks) of one side lying inside the shared text: the
    # side with more of them.
    lifted: int = 0
    # Below the acceptance bar on its own; kept only when context explains it (see engine).
    weak: bool = False


def sentence_spans(article: Article) -> list[tuple[int, int]]:
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    return [(0, len(article.text))]


def quote_mask(text: str, tokens: Tokens) -> np.ndarray:
    mask = np.zeros(len(tokens), dtype=bool)
    for m in _QUOTE.finditer(text):
        lo = np.searchsorted(tokens.starts, m.start(), side="left")
        hi = np.searchsorted(tokens.ends, m.end(), side="right")
        mask[lo:hi] = True
    return mask


def lifted_sentences(
    article: Article, tokens: Tokens, shared: np.ndarray, quoted: np.ndarray, min_tokens: int
) -> int:
    """Sentences of at least ``min_tokens`` words that lie wholly inside the shared runs and
    mostly outside quotation marks. Reuse lifts whole sentences; independent reports of one
    event share quotes and stock phrases, which seldom fill a sentence of the reporter's own."""
    if not article.sentences or len(tokens) == 0:
        return 0
    starts = np.fromiter((s.start for s in article.sentences), dtype=np.int64, count=len(article.sentences))
    sent = np.searchsorted(starts, tokens.starts, side="right") - 1
    n = len(article.sentences)
    total = np.bincount(sent, minlength=n)
    inside = np.bincount(sent, weights=shared, minlength=n)
    quotes = np.bincount(sent, weights=quoted, minlength=n)
    return int(((total >= min_tokens) & (inside >= total) & (2 * quotes <= total)).sum())


def verify(a: Article, ta: Tokens, b: Article, tb: Tokens, options: ReuseOptions) -> Evidence | None:
    """Align a candidate pair; None when what they share is too little to call reuse."""
    al = align(ta, tb, options)
    if not al.passages:
        return None
    qa, qb = quote_mask(a.text, ta), quote_mask(b.text, tb)
    unquoted = int(min((al.mask_a & ~qa).sum(), (al.mask_b & ~qb).sum()))
    whole = max(al.coverage_a, al.coverage_b) >= options.short_whole_coverage
    if unquoted < options.min_weak_tokens and not whole:
        return None
    n = options.lifted_min_tokens
    lifted = max(lifted_sentences(a, ta, al.mask_a, qa, n), lifted_sentences(b, tb, al.mask_b, qb, n))
    strong = whole or lifted >= options.min_lifted
    if not whole and lifted < options.min_weak_lifted:
        return None
    return Evidence(a, b, ta, tb, al, unquoted, weak=not strong, lifted=lifted)


class CandidateFinder:
    """MinHash-LSH over passage windows; global ids are assigned in insertion order."""

    def __init__(self, options: ReuseOptions, hasher: TokenHasher | None = None):
        self.options = options
        self.hasher = hasher or TokenHasher()
        self.perms = Permutations.make(options)
        self.index = BandIndex(options.max_fanout)
        self.size = 0

    def words(self, articles: Sequence[Article]) -> ChunkWords:
        """Words of a chunk, grouped into sentences, or into fixed blocks of ``block_tokens``
        words (one regex call per article instead of one per sentence)."""
        words: list[str] = []
        lengths: list[int] = []
        docs: list[int] = []
        block = self.options.block_tokens
        for d, art in enumerate(articles):
            if block:
                w = self.hasher.words(art.text)
                n_full, rest = divmod(len(w), block)
                counts = [block] * n_full + ([rest] if rest else [])
            else:
                w, counts = self.hasher.sentence_words(art.text, sentence_spans(art))
            words.extend(w)
            lengths.extend(counts)
            docs.extend([d] * len(counts))
        return ChunkWords(
            self.hasher.hash_words(words),
            np.array(lengths, dtype=np.int64),
            np.array(docs, dtype=np.int64),
            len(articles),
        )

    def keys(self, words: ChunkWords) -> ChunkKeys:
        return chunk_keys(words, self.options, self.perms)

    def load(self, keys: np.ndarray, docs: np.ndarray, size: int) -> None:
        """Restore persisted index keys (global doc ids) without recomputing anything."""
        self.index.add(keys, docs)
        self.size = max(self.size, size)

    def add_chunk(self, keys: ChunkKeys, n_docs: int) -> tuple[np.ndarray, np.ndarray, int]:
        """Index a chunk, return candidate pairs (global ids, first < second) touching it, and the
        chunk's first global id."""
        base = self.size
        self.index.add(keys.index_keys, keys.index_docs + base)
        self.size += n_docs
        q, h = self.index.query(keys.query_keys, keys.query_docs + base)
        if q.shape[0] == 0:
            return q, h, base
        lo, hi = np.minimum(q, h), np.maximum(q, h)
        code = np.unique(lo * np.int64(self.size + 1) + hi)
        return code // (self.size + 1), code % (self.size + 1), base
