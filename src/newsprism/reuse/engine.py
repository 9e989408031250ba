"""Batch reuse detection over a list of articles: exact duplicates, LSH candidates, verification,
typing, groups. ``ReuseStage`` and the benchmark call ``detect``; ``ReuseIndex`` shares the parts."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from newsprism.model import Article
from newsprism.progress import step
from newsprism.reuse.align import Alignment, Passage
from newsprism.reuse.candidates import CandidateFinder, Evidence, verify
from newsprism.reuse.graph import build_groups
from newsprism.reuse.options import ReuseOptions
from newsprism.reuse.relations import Context, classify
from newsprism.reuse.result import ReusePair, ReuseResult
from newsprism.reuse.tokens import TokenHasher, Tokens

CHUNK = 512


@dataclass
class DetectStats:
    articles: int = 0
    distinct_texts: int = 0
    too_short: int = 0
    candidates: int = 0
    verified: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def add_time(self, name: str, t0: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    def to_dict(self) -> dict:
        return {
            "articles": self.articles,
            "distinct_texts": self.distinct_texts,
            "too_short": self.too_short,
            "candidates": self.candidates,
            "verified": self.verified,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def exact_duplicates(articles: Sequence[Article]) -> tuple[list[Article], list[tuple[Article, Article]]]:
    """One representative per content hash, and (representative, copy) pairs: a star, not a clique,
    so 10,000 identical copies make 9,999 pairs."""
    reps: dict[str, Article] = {}
    dups: list[tuple[Article, Article]] = []
    seen_ids: set[str] = set()
    for art in articles:
        if art.id in seen_ids:
            continue
        seen_ids.add(art.id)
        rep = reps.get(art.content_hash)
        if rep is None:
            reps[art.content_hash] = art
        else:
            dups.append((rep, art))
    return list(reps.values()), dups


def exact_evidence(rep: Article, dup: Article, tokens: Tokens) -> Evidence:
    """Evidence for an identical text; ``tokens`` are the representative's (shared by all copies,
    as are the all-true masks, which nothing mutates)."""
    n = len(tokens)
    mask = np.ones(n, dtype=bool)
    passages = (Passage(0, n, 0, n, n),) if n else ()
    return Evidence(rep, dup, tokens, tokens, Alignment(passages, mask, mask), n, exact=True)


def find_evidence(reps: Sequence[Article], options: ReuseOptions, stats: DetectStats) -> list[Evidence]:
    finder = CandidateFinder(options)
    hasher = finder.hasher
    evidence: list[Evidence] = []
    for lo in range(0, len(reps), CHUNK):
        step(lo, len(reps), "articles compared")
        chunk = reps[lo : lo + CHUNK]
        t0 = time.perf_counter()
        words = finder.words(chunk)
        stats.too_short += int((words.doc_lengths() < options.min_passage_tokens).sum())
        q, h, base = finder.add_chunk(finder.keys(words), len(chunk))
        stats.add_time("fingerprint+lsh", t0)
        t0 = time.perf_counter()
        stats.candidates += int(q.shape[0])
        # Offsets are needed only to verify: tokenise the candidates of a chunk in one scan.
        needed = np.unique(np.concatenate([q, h])).tolist()
        tokens = dict(zip(needed, hasher.tokens_many([reps[x].text for x in needed]), strict=True))
        for i, j in zip(q.tolist(), h.tolist(), strict=True):
            ev = verify(reps[i], tokens[i], reps[j], tokens[j], options)
            if ev is not None:
                evidence.append(ev)
        stats.add_time("verify", t0)
    stats.verified = len(evidence)
    step(len(reps), len(reps), "articles compared")
    return evidence


def _explains_gap(mask: np.ndarray, covered: np.ndarray, fill_only: bool, options: ReuseOptions) -> bool:
    """Whether a weak pair's shared text ``mask`` on an article explains the gap its hosts'
    text ``covered`` leaves there (see ``resolve_weak``)."""
    shared = int(mask.sum())
    outside = mask & ~covered
    n_out = int(outside.sum())
    fills = (
        options.weak_gap_fill
        and n_out >= options.min_weak_tokens
        and n_out >= options.weak_gap_fill * int((~covered).sum())
    )
    # A pair without a lifted unit (quoted speech, which independent reports share) explains the gap
    # only by filling it, not by lying beside the host's text: that let four independent reports of
    # reuse-bench through, sharing a quote with an article whose cut-short copy was the "host".
    if not fill_only and shared and n_out >= options.weak_outside_share * shared:
        return True
    return bool(fills)


def resolve_weak(evidence: Sequence[Evidence], options: ReuseOptions) -> list[Evidence]:
    """Keep a weak pair only where its shared text fills the gap left in an article by a host
    text that lies wholly inside it: the lifted passage of a partial. Shared text that a stronger
    partner also covers is explained by that partner, not by this pair; a sentence standing where
    the partner has a sentence of its own is an edit of that partner (a replaced sentence that
    happens to match a third report), not a second source. The pair's text outside the host must
    be most of what it shares (``weak_outside_share``) or fill most of the host's gap
    (``weak_gap_fill``): a source also sharing a quote or a name with the host's part still
    explains the lifted passage."""
    strong = [ev for ev in evidence if not ev.weak]
    masks: dict[str, list[tuple[np.ndarray, bool]]] = {}
    for ev in strong:
        al = ev.alignment
        # A host: wholly inside the article, filling at least half of it.
        host_a = al.coverage_b >= options.weak_host_inside and al.coverage_a >= 0.5
        host_b = al.coverage_a >= options.weak_host_inside and al.coverage_b >= 0.5
        masks.setdefault(ev.a.id, []).append((al.mask_a, host_a))
        masks.setdefault(ev.b.id, []).append((al.mask_b, host_b))
    kept = list(strong)
    for ev in evidence:
        if not ev.weak:
            continue
        for x, mask in ((ev.a.id, ev.alignment.mask_a), (ev.b.id, ev.alignment.mask_b)):
            others = masks.get(x)
            if not others or not any(host for _, host in others):
                continue
            covered = np.logical_or.reduce([m for m, host in others if host])
            if _explains_gap(mask, covered, ev.fill_only, options):
                kept.append(replace(ev, weak=False))
                break
    return kept


def drop_indirect(
    evidence: Sequence[Evidence],
    options: ReuseOptions,
    links: Collection[frozenset[str]] = (),
    derived: Mapping[frozenset[str], str] | None = None,
) -> list[Evidence]:
    """Transitive reduction: when x shares a passage with p only because x's closer relative q
    (which also shares it with p) does, the x-p pair is indirect and dropped. Weakest pairs are
    judged first, so of two mutually explaining pairs one survives. ``links`` are further pairs
    known to share text (verified, though too weak to keep); ``derived`` gives a pair's derived
    side where known: a q derived from p or from x holds the passage because it holds their
    text, so it explains nothing about them."""
    live = {frozenset((ev.a.id, ev.b.id)) for ev in evidence}
    links = set(links)
    derived = derived or {}
    partners: dict[str, dict[str, tuple[np.ndarray, int]]] = {}
    for ev in evidence:
        partners.setdefault(ev.a.id, {})[ev.b.id] = (ev.alignment.mask_a, ev.alignment.shared_tokens)
        partners.setdefault(ev.b.id, {})[ev.a.id] = (ev.alignment.mask_b, ev.alignment.shared_tokens)

    def explained(x: str, p: str, mask: np.ndarray, shared: int) -> bool:
        need = options.indirect_inside_share * int(mask.sum())
        for q, (mask_q, shared_q) in partners.get(x, {}).items():
            qp, qx = frozenset((q, p)), frozenset((q, x))
            if q == p or shared_q < shared or not (qp in live or qp in links):
                continue
            if derived.get(qp) == q or derived.get(qx) == q:
                continue
            if int((mask & mask_q).sum()) >= need:
                return True
        return False

    for ev in sorted(evidence, key=lambda e: e.alignment.shared_tokens):
        al = ev.alignment
        if ev.exact or max(al.coverage_a, al.coverage_b) >= options.indirect_max_coverage:
            continue
        for x, p, mask in ((ev.a.id, ev.b.id, al.mask_a), (ev.b.id, ev.a.id, al.mask_b)):
            if explained(x, p, mask, al.shared_tokens):
                live.discard(frozenset((x, p)))
                partners[x].pop(p, None)
                partners[p].pop(x, None)
                break
    return [ev for ev in evidence if frozenset((ev.a.id, ev.b.id)) in live]


def prune(evidence: Sequence[Evidence], options: ReuseOptions, markers: dict | None = None) -> list[Evidence]:
    """Verified pairs -> kept pairs: weak pairs resolved in context, then indirect pairs dropped,
    judged with the directions a first classification of the kept pairs gives."""
    links = {frozenset((ev.a.id, ev.b.id)) for ev in evidence}
    kept = resolve_weak(evidence, options)
    derived = {
        frozenset((p.a, p.b)): p.derived
        for p in classify_all(kept, options, markers)
        if p.derived is not None
    }
    return drop_indirect(kept, options, links, derived)


def classify_all(
    evidence: Sequence[Evidence], options: ReuseOptions, markers: dict | None = None
) -> list[ReusePair]:
    ctx = Context([ev for ev in evidence if not ev.exact], options, markers)
    return [classify(ev, ctx, options) for ev in evidence]


# Verified evidence of the distinct texts: ``find_evidence`` here, or the Ray engine's equivalent.
EvidenceFinder = Callable[[Sequence[Article], ReuseOptions, DetectStats], list[Evidence]]


def detect(
    articles: Sequence[Article],
    options: ReuseOptions | None = None,
    extra_pairs: Sequence[ReusePair] = (),
    finder: EvidenceFinder = find_evidence,
) -> tuple[ReuseResult, list[Evidence]]:
    """Everything but rewrites (which need an embedder; see ``newsprism.reuse.rewrite``)."""
    options = options or ReuseOptions()
    stats = DetectStats(articles=len(articles))
    reps, dups = exact_duplicates(articles)
    stats.distinct_texts = len(reps)
    markers: dict = {}  # direction cues from markers, shared by both typing passes
    evidence = prune(finder(reps, options, stats), options, markers)
    hasher = TokenHasher()
    rep_tokens: dict[str, Tokens] = {}
    for rep, dup in dups:
        if rep.id not in rep_tokens:
            rep_tokens[rep.id] = hasher.tokens(rep.text)
        evidence.append(exact_evidence(rep, dup, rep_tokens[rep.id]))
    t0 = time.perf_counter()
    pairs = classify_all(evidence, options, markers) + list(extra_pairs)
    groups, group_of = build_groups(articles, pairs)
    stats.add_time("classify+groups", t0)
    notes = []
    if stats.too_short:
        notes.append(
            f"{stats.too_short} article(s) have fewer than {options.min_passage_tokens} words; "
            "only exact duplicates of them are detected"
        )
    return ReuseResult(tuple(pairs), tuple(groups), group_of, tuple(notes), stats.to_dict()), evidence
