"""Candidate generation and verification, shared by the batch stage and the store-backed index."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.limits import analysis_view
from newsprism.model import Article
from newsprism.reuse.align import Alignment, align
from newsprism.reuse.fingerprint import ChunkKeys, ChunkWords, Permutations, chunk_keys
from newsprism.reuse.lsh import BandIndex
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.tokens import TokenHasher, Tokens

# Quoted speech: independent reports quote the same statement word for word, so shared words
# inside quotation marks are weak evidence of copying and do not count towards accepting a pair.
_QUOTE = re.compile(r"“[^”]{0,800}”|\"[^\"\n]{0,800}\"|‘[^’]{0,400}’(?!\w)")
# Page furniture a site repeats in its own articles (newsletter and subscription prompts, ad
# markers, share links): two articles of one site share it without one copying the other, so, like
# a quote, it does not count as evidence. Matched per short sentence (a prompt glued by a scraper to
# the story's next sentence stays: that sentence is the story's); the words are English web furniture.
_FURNITURE = re.compile(
    r"\b(?:sign up (?:for|to)|newsletter|subscribe|continues below|advertisement|click here|"
    r"send this page|share this (?:story|article)|follow us on|all rights reserved)\b",
    re.IGNORECASE,
)


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
    # Weak, with no lifted unit at all, only a long shared passage (``gap_passages``: quoted speech,
    # a sentence cut short): kept only where it fills the gap a host leaves, not merely beside one
    # (see engine.resolve_weak).
    fill_only: bool = False


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


FURNITURE_MAX_TOKENS = 15


def furniture_mask(article: Article, tokens: Tokens) -> np.ndarray:
    """Tokens of the short sentences (at most ``FURNITURE_MAX_TOKENS`` words) that are page
    furniture (``_FURNITURE``)."""
    mask = np.zeros(len(tokens), dtype=bool)
    text = article.text
    for start, end in sentence_spans(article):
        lo = np.searchsorted(tokens.starts, start, side="left")
        hi = np.searchsorted(tokens.ends, end, side="right")
        if hi - lo <= FURNITURE_MAX_TOKENS and _FURNITURE.search(text, start, end):
            mask[lo:hi] = True
    return mask


def _cum0(x: np.ndarray) -> np.ndarray:
    """Cumulative sum with a leading zero: ``c[j] - c[i]`` counts ``x[i:j]``."""
    out = np.zeros(x.shape[0] + 1, dtype=np.int64)
    np.cumsum(x, out=out[1:])
    return out


def _sentence_token_ranges(article: Article, tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
    starts = np.fromiter((s.start for s in article.sentences), dtype=np.int64, count=len(article.sentences))
    ends = np.fromiter((s.end for s in article.sentences), dtype=np.int64, count=len(article.sentences))
    return np.searchsorted(tokens.starts, starts, side="left"), np.searchsorted(
        tokens.starts, ends, side="left"
    )


def lifted_sentences(
    article: Article, tokens: Tokens, shared: np.ndarray, quoted: np.ndarray, min_tokens: int
) -> int:
    """Sentences of at least ``min_tokens`` words that lie wholly inside the shared runs and
    mostly outside quotation marks. Reuse lifts whole sentences; independent reports of one
    event share quotes and stock phrases, which seldom fill a sentence of the reporter's own."""
    if not article.sentences or len(tokens) == 0:
        return 0
    t0, t1 = _sentence_token_ranges(article, tokens)
    length = t1 - t0
    cs_shared, cs_quoted = _cum0(shared), _cum0(quoted)
    inside = cs_shared[t1] - cs_shared[t0]
    quotes = cs_quoted[t1] - cs_quoted[t0]
    return int(((length >= min_tokens) & (inside >= length) & (2 * quotes <= length)).sum())


def anchored_passages(
    ev_a: tuple[Article, Tokens, np.ndarray], ev_b: tuple[Article, Tokens, np.ndarray], al: Alignment, m: int
) -> int:
    """Passages that begin a sentence in both texts and share its first ``m`` words outside
    quotation marks: a lifted unit whose end a splitter glued to a neighbour (a headline line
    without a full stop), the evidence the sentence keys of the candidate stage look for."""
    if m <= 0 or not al.passages:
        return 0
    heads = []
    for art, tokens, ok in (ev_a, ev_b):
        if not art.sentences or len(tokens) == 0:
            return 0
        t0, t1 = _sentence_token_ranges(art, tokens)
        start = np.zeros(len(tokens) + 1, dtype=bool)
        start[t0[t1 - t0 >= m]] = True
        heads.append((start, _cum0(ok)))
    (sa, ca), (sb, cb) = heads
    n = 0
    for p in al.passages:
        if sa[p.a0] and sb[p.b0] and p.a0 + m <= len(ca) - 1 and p.b0 + m <= len(cb) - 1:
            n += ca[p.a0 + m] - ca[p.a0] >= m and cb[p.b0 + m] - cb[p.b0] >= m
    return int(n)


# Fewer words between two quotes are a bare attribution ("he said", "said McCaul") that independent
# reports of one statement write alike (reuse-bench: 31_13ecb and 31_14ecb).
MIN_BRIDGE = 5


def _bridges(quoted: np.ndarray, max_bridge: int, min_quote: int = 3) -> bool:
    """Whether ``quoted`` (a passage's tokens) runs quote, then ``MIN_BRIDGE``-``max_bridge`` words
    outside quotation marks, then quote again."""
    runs: list[tuple[bool, int]] = []
    for flag in quoted.tolist():
        if runs and runs[-1][0] == flag:
            runs[-1] = (flag, runs[-1][1] + 1)
        else:
            runs.append((flag, 1))
    return any(
        q1 and n1 >= min_quote and not q2 and MIN_BRIDGE <= n2 <= max_bridge and q3 and n3 >= min_quote
        for (q1, n1), (q2, n2), (q3, n3) in zip(runs, runs[1:], runs[2:], strict=False)
    )


def bridged_quotes(al: Alignment, qa: np.ndarray, qb: np.ndarray, max_bridge: int) -> int:
    """Passages that carry two quotes *and* the words joining them ('"…," said X, a spokesman. "…"')
    in both texts. Independent reports quote the same statement, but each frames it in its own
    words: the framing shared word for word between two quotes is a lifted unit (0: off)."""
    if max_bridge <= 0:
        return 0
    return sum(
        1 for p in al.passages
        if _bridges(qa[p.a0 : p.a1], max_bridge) and _bridges(qb[p.b0 : p.b1], max_bridge)
    )


def gap_passages(al: Alignment, min_tokens: int) -> int:
    """Passages of at least ``min_tokens`` shared words, quoted or not (0: off). A lift that is wholly
    one quoted statement (with or without its attribution) holds no lifted unit, and on its own it is
    no evidence: independent reports quote one statement alike, framing words included (reuse-bench's
    hard negatives share quoted passages of 30-98 words). It counts only where the context shows a
    lift, an article that is another's whole text plus this passage (engine.resolve_weak)."""
    if min_tokens <= 0:
        return 0
    return sum(1 for p in al.passages if p.shared >= min_tokens)


def _within(tokens: Tokens, end: int) -> Tokens:
    n = int(np.searchsorted(tokens.ends, end, side="right"))
    return Tokens(tokens.ids[:n], tokens.starts[:n], tokens.ends[:n])


def _analysed(article: Article, tokens: Tokens) -> tuple[Article, Tokens]:
    """The part of an article that analysis reads (``newsprism.limits``) and its tokens: aligning
    two 19 MB near-copies whole took 800 MB and 3 minutes; evidence past the cut is not used."""
    view = analysis_view(article)
    if view is article:
        return article, tokens
    return view, _within(tokens, len(view.text))


def analysed_tokens(hasher: TokenHasher, article: Article) -> tuple[Article, Tokens]:
    """``_analysed(article, hasher.tokens(article.text))`` without scanning past the cut: the
    tokens of a 19 MB text take ~100 MB. One character more than the view is scanned, so a word
    running across the cut ends past it and is left out, exactly as from the whole text."""
    view = analysis_view(article)
    if view is article:
        return article, hasher.tokens(article.text)
    cut = len(view.text)
    return view, _within(hasher.tokens(article.text[: cut + 1]), cut)


def verify(a: Article, ta: Tokens, b: Article, tb: Tokens, options: ReuseOptions) -> Evidence | None:
    """Align a candidate pair; None when what they share is too little to call reuse."""
    (a, ta), (b, tb) = _analysed(a, ta), _analysed(b, tb)
    al = align(ta, tb, options)
    if not al.passages:
        return None
    qa, qb = quote_mask(a.text, ta), quote_mask(b.text, tb)
    qa |= furniture_mask(a, ta)
    qb |= furniture_mask(b, tb)
    unquoted = int(min((al.mask_a & ~qa).sum(), (al.mask_b & ~qb).sum()))
    whole = max(al.coverage_a, al.coverage_b) >= options.short_whole_coverage
    bridged = bridged_quotes(al, qa, qb, options.quote_bridge_tokens)
    # Without a lifted unit, a long shared passage (quoted speech) still makes a pair that only a
    # host's gap can keep (engine.resolve_weak).
    fill_only = (
        Evidence(a, b, ta, tb, al, unquoted, weak=True, fill_only=True)
        if gap_passages(al, options.gap_passage_tokens) >= options.min_weak_lifted
        else None
    )
    if not whole and unquoted < options.min_weak_tokens and not bridged:
        return fill_only
    n = options.lifted_min_tokens
    lifted = max(lifted_sentences(a, ta, al.mask_a, qa, n), lifted_sentences(b, tb, al.mask_b, qb, n))
    strong = whole or lifted >= options.min_lifted
    if not whole and lifted < options.min_weak_lifted:
        # Without a whole sentence, a sentence start shared by both texts (a lifted headline
        # line glued to the next sentence) still makes a weak pair.
        anchored = anchored_passages(
            (a, ta, al.mask_a & ~qa), (b, tb, al.mask_b & ~qb), al, options.anchor_tokens
        )
        if anchored + bridged < options.min_weak_lifted:
            return fill_only
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
        words; one vectorised scan for the whole chunk."""
        block = self.options.block_tokens
        # Fingerprints cover what analysis reads of each article, as verification does.
        articles = [analysis_view(art) for art in articles]
        texts = [art.text for art in articles]
        if block:
            spans = [[(0, len(t))] for t in texts]
        else:
            spans = [sorted(sentence_spans(art)) for art in articles]
        ids, unit = self.hasher.chunk_words(texts, spans)
        unit_doc = np.repeat(np.arange(len(articles)), [len(sp) for sp in spans])
        if not block:
            lengths = np.bincount(unit, minlength=unit_doc.shape[0])
            return ChunkWords(ids, lengths, unit_doc, len(articles))
        # Fixed blocks: each text's words cut into runs of ``block`` words.
        per_doc = (
            np.bincount(unit_doc[unit], minlength=len(articles))
            if ids.shape[0]
            else np.zeros(len(articles), dtype=np.int64)
        )
        n_blocks = -(-per_doc // block)
        lengths = np.full(int(n_blocks.sum()), block, dtype=np.int64)
        last = np.cumsum(n_blocks) - 1
        rest = per_doc % block
        has_rest = (n_blocks > 0) & (rest > 0)
        lengths[last[has_rest]] = rest[has_rest]
        return ChunkWords(ids, lengths, np.repeat(np.arange(len(articles)), n_blocks), len(articles))

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
