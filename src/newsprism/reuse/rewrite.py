"""Rewrites: paraphrases that share few exact words but follow a source sentence by sentence.

Articles are compared by mean sentence embedding (nearest neighbours only), then sentence by
sentence: a rewrite's sentences align one-to-one and in order with the source's (a monotone
alignment over the similarity matrix, like LCS) while their exact word overlap stays low.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.claims.clauses import find_quotes
from newsprism.model import Article
from newsprism.reuse.direction import DirectionCue, by_date, by_record
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.result import ReusePair

MIN_SENTENCES = 4
# Two reports of one event tell its lead facts in the same order, so four sentences of theirs align
# by meaning as well: at that floor, a rewrite's sentences must be at least half of one of the texts
# (chosen on the reuse bench's dev half, where it drops 6 of 26 false rewrites and no true one; the
# reference case's rewrite aligns 7 sentences, a real garbled rewrite of a recall story 5).
FLOOR_SHARE = 0.5


@dataclass(frozen=True)
class SentenceAlignment:
    pairs: tuple[tuple[int, int, float], ...]  # (sentence in a, sentence in b, cosine)


def monotone_alignment(sim: np.ndarray, threshold: float) -> SentenceAlignment:
    """Largest in-order one-to-one set of sentence pairs with similarity >= threshold (ties:
    higher total similarity)."""
    na, nb = sim.shape
    ok = sim >= threshold
    score = np.zeros((na + 1, nb + 1))
    for i in range(1, na + 1):
        row_ok, row_sim = ok[i - 1], sim[i - 1]
        prev, cur = score[i - 1], score[i]
        for j in range(1, nb + 1):
            best = max(prev[j], cur[j - 1])
            if row_ok[j - 1]:
                best = max(best, prev[j - 1] + 1.0 + 1e-3 * row_sim[j - 1])
            cur[j] = best
    pairs = []
    i, j = na, nb
    while i > 0 and j > 0:
        if ok[i - 1, j - 1] and np.isclose(score[i, j], score[i - 1, j - 1] + 1.0 + 1e-3 * sim[i - 1, j - 1]):
            pairs.append((i - 1, j - 1, float(sim[i - 1, j - 1])))
            i, j = i - 1, j - 1
        elif score[i - 1, j] >= score[i, j - 1]:
            i -= 1
        else:
            j -= 1
    return SentenceAlignment(tuple(reversed(pairs)))


def _neighbours(vectors: np.ndarray, k: int, min_sim: float) -> list[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for lo in range(0, vectors.shape[0], 1024):
        sims = vectors[lo : lo + 1024] @ vectors.T
        for r in range(sims.shape[0]):
            i = lo + r
            sims[r, i] = -1.0
            top = np.argsort(-sims[r])[:k]
            out.update((min(i, int(j)), max(i, int(j))) for j in top if sims[r, j] >= min_sim)
    return sorted(out)


def detect_rewrites(
    articles: Sequence[Article],
    embedder: Any,
    options: ReuseOptions,
    related: set[frozenset[str]],
    exact_share: dict[frozenset[str], float] | None = None,
) -> list[ReusePair]:
    """Rewrite pairs among ``articles`` that are not already ``related`` by shared text."""
    usable = [a for a in articles if len(a.sentences) >= MIN_SENTENCES]
    if len(usable) < 2:
        return []
    texts = [s for a in usable for s in a.sentence_texts()]
    emb = np.asarray(embedder.encode(texts), dtype=np.float32)
    bounds = np.cumsum([0] + [len(a.sentences) for a in usable])
    per_article = [emb[bounds[i] : bounds[i + 1]] for i in range(len(usable))]
    means = np.stack([m.mean(axis=0) for m in per_article])
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-9)
    pairs = []
    for i, j in _neighbours(means, options.rewrite_neighbours, options.rewrite_min_article_similarity):
        a, b = usable[i], usable[j]
        if frozenset((a.id, b.id)) in related:
            continue
        share = (exact_share or {}).get(frozenset((a.id, b.id)), 0.0)
        pair = _rewrite_pair(a, per_article[i], b, per_article[j], share, options)
        if pair is not None:
            pairs.append(pair)
    return pairs


# A sentence at least this much inside quotation marks is someone's words, not the writer's.
QUOTED_SHARE = 0.5


def quoted_sentences(article: Article) -> np.ndarray:
    """Which sentences are mostly quotation (independent reports print one speech alike)."""
    out = []
    for text in article.sentence_texts():
        inside = sum(q.end - q.start for q in find_quotes(text))
        out.append(inside >= QUOTED_SHARE * max(len(text.strip()), 1))
    return np.array(out, dtype=bool)


def headline_sentences(article: Article) -> np.ndarray:
    """Which sentences are the headline (a first paragraph that is the article's title)."""
    out = np.zeros(len(article.sentences), dtype=bool)
    if not article.title or not article.paragraphs:
        return out
    first = article.paragraphs[0]
    if " ".join(article.text[first.start : first.end].split()) != " ".join(article.title.split()):
        return out
    for n, s in enumerate(article.sentences):
        out[n] = first.start <= s.start and s.end <= first.end
    return out


def _rewrite_pair(
    a: Article, ea: np.ndarray, b: Article, eb: np.ndarray, exact: float, options: ReuseOptions
) -> ReusePair | None:
    if exact >= options.rewrite_max_exact:
        return None
    sim = ea @ eb.T
    # Two quotations of one speech align by meaning in any two reports of it: no sign of rewriting.
    sim[np.ix_(quoted_sentences(a), quoted_sentences(b))] = 0.0
    # Nor do two headlines of one event: any two reports of it sum it up alike.
    sim[headline_sentences(a), :] = 0.0
    sim[:, headline_sentences(b)] = 0.0
    al = monotone_alignment(sim, options.rewrite_min_similarity)
    n = len(al.pairs)
    share_a, share_b = n / ea.shape[0], n / eb.shape[0]
    if max(share_a, share_b) < options.rewrite_min_aligned or n < MIN_SENTENCES:
        return None
    if n == MIN_SENTENCES and max(share_a, share_b) < FLOOR_SHARE:
        return None
    drift = float(np.mean([abs(i / ea.shape[0] - j / eb.shape[0]) for i, j, _ in al.pairs]))
    if drift > options.rewrite_max_drift:
        return None
    cue = by_record(a, b) or by_date(a, b)
    if cue is None:
        # The rewrite follows its source closely; the source keeps sentences the rewrite drops.
        side = "a" if share_a > share_b + 0.1 else "b" if share_b > share_a + 0.1 else None
        reason = (
            (
                f"structure: {a.id if side == 'a' else b.id} follows the other sentence by sentence "
                f"and the other has material it lacks"
            )
            if side
            else "no evidence of order"
        )
        cue = DirectionCue(side, reason, 0.5 if side else 0.0)
    mean_sim = float(np.mean([s for _, _, s in al.pairs]))
    passages = tuple(
        ((a.sentences[i].start, a.sentences[i].end), (b.sentences[j].start, b.sentences[j].end))
        for i, j, _ in al.pairs
    )
    reason = (
        f"rewrite: {n} sentences align one-to-one and in order by meaning (mean cosine {mean_sim:.2f}; "
        f"{round(100 * share_a)}% of {a.id}'s sentences, {round(100 * share_b)}% of {b.id}'s) "
        f"while only {round(100 * exact)}% of words are shared exactly"
    )
    direction = {"a": "b->a", "b": "a->b"}.get(cue.derived or "", "unknown")
    return ReusePair(
        a.id,
        b.id,
        "rewrite",
        direction,
        round(min(0.9, mean_sim), 3),
        reason,
        share_a,
        share_b,
        passages,
        cue.reason,
    )
