"""Pair features for the offline judge: embeddings, word-piece alignment, typed slots, lexical overlap.

Every scalar is directional: ``a`` is the premise (or the supporting text), ``b`` the hypothesis
(the claim to check). "b_only" features count what the hypothesis says that the premise does not
carry (numbers, names, unaligned words): the strongest cues that a claim is not backed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from newsprism.verdicts.judges.encoder import Encoded
from newsprism.verdicts.judges.lexicon import ANTONYMS, HEDGES, NEGATIONS, NUMBER_WORDS

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*")
_STOP = frozenset(
    """a an the and or but if of at by for with about against between into through during to from in on
    off over under again further then once here there when where why how all any both each other some such
    only own same so than too very s t can will just don should now is are was were be been being have has
    had having do does did doing i me my we our you your he him his she her it its they them their what
    which who whom this that these those am as until while up down out also would said says""".split()
)
FEATURE_NAMES: tuple[str, ...] = (
    "cos",
    "tok_b_mean",
    "tok_b_min",
    "tok_b_lt50",
    "tok_b_lt70",
    "tok_a_mean",
    "tok_a_min",
    "tok_a_lt50",
    "tok_a_lt70",
    "ctok_b_mean",
    "ctok_b_min",
    "ctok_b_n_lt60",
    "ctok_a_mean",
    "ctok_a_min",
    "ctok_a_n_lt60",
    "jacc1",
    "jacc2",
    "cover_b",
    "cover_a",
    "len_ratio",
    "log_len_a",
    "log_len_b",
    "bleu_b",
    "bleu_a",
    "num_b_only",
    "num_a_only",
    "num_match",
    "num_conflict",
    "prop_b_only",
    "prop_a_only",
    "prop_match",
    "neg_a",
    "neg_b",
    "neg_mismatch",
    "antonym",
    "hedge_a",
    "hedge_b",
    "exact",
)


@dataclass(frozen=True)
class TextInfo:
    """What the slot and overlap features need from one text (computed once per text)."""

    words: tuple[str, ...]
    content: frozenset[str]
    numbers: frozenset[float]
    proper: frozenset[str]
    negations: int
    hedges: int


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _number(token: str) -> float | None:
    if token[0].isdigit():
        try:
            return float(token.replace(",", ""))
        except ValueError:
            return None
    return NUMBER_WORDS.get(token.lower())


def _is_proper(token: str, prev: str | None) -> bool:
    if len(token) >= 2 and token.isupper() and token.isalpha():
        return True
    sentence_start = prev is None or prev in {".", "!", "?"}
    return token[0].isupper() and not sentence_start and token.lower() not in _STOP


def text_info(text: str) -> TextInfo:
    raw = _WORD.findall(text)
    words = tuple(w.lower().replace("’", "'") for w in raw)
    content = frozenset(_stem(w) for w in words if w not in _STOP and w not in NEGATIONS)
    numbers = frozenset(n for n in (_number(w) for w in raw) if n is not None)
    # A word directly after a sentence end is capitalised anyway; a crude previous-token check is
    # enough because the regex drops punctuation, so look at the raw character before the word.
    proper = set()
    for m in _WORD.finditer(text):
        before = text[: m.start()].rstrip()
        prev = before[-1] if before else None
        if _is_proper(m.group(0), prev):
            proper.add(m.group(0).lower())
    negs = sum(1 for w in words if w in NEGATIONS or w.endswith("n't"))
    hedges = sum(1 for w in words if w in HEDGES)
    return TextInfo(words, content, numbers, frozenset(proper), negs, hedges)


def _ngrams(words: tuple[str, ...], n: int) -> Counter:
    return Counter(zip(*(words[i:] for i in range(n)), strict=False))


def _bleu(hyp: tuple[str, ...], ref: tuple[str, ...]) -> float:
    """Smoothed BLEU-4 precision of ``hyp`` against ``ref`` (no brevity penalty: length is a feature)."""
    logs = []
    for n in range(1, 5):
        h, r = _ngrams(hyp, n), _ngrams(ref, n)
        total = sum(h.values())
        match = sum(min(c, r[g]) for g, c in h.items())
        logs.append(math.log((match + 1) / (total + 1)))
    return math.exp(sum(logs) / 4)


def _jaccard(x: set | frozenset, y: set | frozenset) -> float:
    return len(x & y) / len(x | y) if x or y else 1.0


def _content_mask(tokens: list[str]) -> np.ndarray:
    return np.array(
        [t.lstrip("#").isalnum() and (t.startswith("##") or t not in _STOP) for t in tokens], dtype=bool
    )


def _align(ea: Encoded, eb: Encoded) -> list[float]:
    """Max-similarity of each word piece to the other text: low values mark words with no counterpart."""
    va = np.asarray(ea.token_vecs, dtype=np.float32)
    vb = np.asarray(eb.token_vecs, dtype=np.float32)
    if len(va) == 0 or len(vb) == 0:
        return [0.0] * 14
    sim = vb @ va.T
    b_best, a_best = sim.max(axis=1), sim.max(axis=0)
    out = [
        float(b_best.mean()),
        float(b_best.min()),
        float((b_best < 0.5).mean()),
        float((b_best < 0.7).mean()),
        float(a_best.mean()),
        float(a_best.min()),
        float((a_best < 0.5).mean()),
        float((a_best < 0.7).mean()),
    ]
    for best, mask in ((b_best, _content_mask(eb.tokens)), (a_best, _content_mask(ea.tokens))):
        sel = best[mask] if mask.any() else best
        out += [float(sel.mean()), float(sel.min()), float(np.log1p((sel < 0.6).sum()))]
    return out


def _slots(ia: TextInfo, ib: TextInfo, b_words: set[str], a_words: set[str]) -> list[float]:
    num_b_only = len(ib.numbers - ia.numbers)
    num_a_only = len(ia.numbers - ib.numbers)
    prop_b_only = sum(1 for p in ib.proper if p not in a_words)
    prop_a_only = sum(1 for p in ia.proper if p not in b_words)
    antonym = any(ANTONYMS.get(w, frozenset()) & a_words for w in b_words - a_words)
    return [
        np.log1p(num_b_only),
        np.log1p(num_a_only),
        np.log1p(len(ia.numbers & ib.numbers)),
        float(num_b_only > 0 and num_a_only > 0),
        np.log1p(prop_b_only),
        np.log1p(prop_a_only),
        np.log1p(len(ib.proper & a_words)),
        min(ia.negations, 3) / 3,
        min(ib.negations, 3) / 3,
        float((ia.negations % 2) != (ib.negations % 2)),
        float(antonym),
        min(ia.hedges, 3) / 3,
        min(ib.hedges, 3) / 3,
    ]


def pair_scalars(
    a: str, b: str, ea: Encoded, eb: Encoded, infos: tuple[TextInfo, TextInfo] | None = None
) -> np.ndarray:
    """The ``FEATURE_NAMES`` vector for premise ``a`` and hypothesis ``b``."""
    ia, ib = infos or (text_info(a), text_info(b))
    a_words, b_words = set(ia.words), set(ib.words)
    cos = float(np.dot(np.asarray(ea.sentence, np.float32), np.asarray(eb.sentence, np.float32)))
    la, lb = max(len(ia.words), 1), max(len(ib.words), 1)
    lexical = [
        _jaccard(a_words, b_words),
        _jaccard(set(_ngrams(ia.words, 2)), set(_ngrams(ib.words, 2))),
        len(ib.content & ia.content) / max(len(ib.content), 1),
        len(ia.content & ib.content) / max(len(ia.content), 1),
        min(la, lb) / max(la, lb),
        math.log(la),
        math.log(lb),
        _bleu(ib.words, ia.words),
        _bleu(ia.words, ib.words),
    ]
    vec = [cos, *_align(ea, eb), *lexical, *_slots(ia, ib, b_words, a_words), float(ia.words == ib.words)]
    return np.asarray(vec, dtype=np.float32)


def dense_features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """InferSent-style interaction of sentence vectors (rows): [u*v, |u-v|, u, v]."""
    u = np.asarray(u, dtype=np.float32)
    v = np.asarray(v, dtype=np.float32)
    return np.concatenate([u * v, np.abs(u - v), u, v], axis=-1)
