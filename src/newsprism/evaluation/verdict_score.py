"""Scoring a story's verdicts against its gold (rules in ``docs/verdict-gold.md``, section Scoring).

Everything is scored at the level of gold mentions: each claim the product cites is placed on the gold
sentence its span starts in, so a finding is right or wrong by what the cited sentences say, whatever
the product's own claim boundaries are.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations, permutations
from typing import Any

from newsprism.align.model import AlignmentResult
from newsprism.evaluation.verdict_corpus import GoldArticle
from newsprism.evaluation.verdict_gold import GoldSide, GoldStory, Mention
from newsprism.verdicts.model import Evidence, Verdict, VerdictsResult

# The product's conflict types and the gold's.
TYPE_MAP = {
    "numeric": "number",
    "time": "date",
    "date/time": "date",
    "place": "place",
    "entity": "person",
    "event": "event",
    "attribution": "attribution",
    "polarity": "polarity",
    "quote wording": "quote",
    "detail": "detail",
}


class MentionMap:
    """Product (article id, char offset) -> gold mention."""

    def __init__(self, articles: dict[str, GoldArticle]):
        self._starts: dict[str, tuple[str, list[int]]] = {}
        for gid, ga in articles.items():
            text, pos, starts = ga.article.text, 0, []
            for s in ga.sentences:
                j = text.find(s, pos)
                starts.append(j if j >= 0 else pos)
                pos = (j + len(s)) if j >= 0 else pos
            self._starts[ga.article.id] = (gid, starts)

    def at(self, article_id: str, offset: int) -> Mention | None:
        if article_id not in self._starts:
            return None
        gid, starts = self._starts[article_id]
        i = bisect.bisect_right(starts, offset) - 1
        return Mention(gid, max(i, 0))

    def over(self, article_id: str, start: int, end: int) -> set[Mention]:
        """Every gold sentence a span overlaps: a claim may run over two gold sentences where the
        product splits a headline and its first line as one."""
        if article_id not in self._starts:
            return set()
        gid, starts = self._starts[article_id]
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        last = max(bisect.bisect_left(starts, end) - 1, first)
        return {Mention(gid, i) for i in range(first, last + 1)}

    def of(self, ev: Evidence) -> set[Mention]:
        return self.over(ev.article_id, ev.span[0], ev.span[1])


@dataclass
class Tally:
    """Right/total counts, with the items behind them for reading."""

    right: int = 0
    total: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, ok: bool, item: dict[str, Any] | None = None) -> None:
        self.right += int(ok)
        self.total += 1
        if item is not None:
            self.items.append({"ok": ok, **item})

    def rate(self) -> float | None:
        return round(self.right / self.total, 4) if self.total else None


def _side_mentions(side: Any, mm: MentionMap) -> set[Mention]:
    return {m for e in side.evidence if e.role in ("claim", "response") for m in mm.of(e)}


def _brief(v: Verdict) -> dict[str, Any]:
    return {
        "id": v.id,
        "type": v.type,
        "reason": v.reason[:400],
        "confidence": getattr(v, "confidence", None),
    }


_WORD = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*", re.IGNORECASE)
_FILLER = frozenset(
    "a an the of in on at to and or about around some nearly almost over more than less at least".split()
)


def value_words(text: str) -> set[str]:
    """The words a value is made of, figures without thousands separators ("14,000" -> "14000")."""
    return {w.lower().replace(",", "") for w in _WORD.findall(text)} - _FILLER


def _side_matches(side: Any, mentions: set[Mention], gold_side: GoldSide) -> bool:
    """A reported side stands for a gold side when it cites one of its sentences and its value shares
    a word or figure with the gold value (so "two quakes" cannot stand for "7.5")."""
    return bool(mentions & set(gold_side.mentions)) and bool(
        value_words(side.value) & value_words(gold_side.value)
    )


def _conflict_hit(v: Verdict, story: GoldStory, mm: MentionMap) -> int | None:
    sides = [(s, _side_mentions(s, mm)) for s in v.sides]
    for gi, g in enumerate(story.conflicts):
        if TYPE_MAP.get(v.type or "") != g.type:
            continue
        for (sa, ma), (sb, mb) in combinations(sides, 2):
            for x, y in permutations(range(len(g.sides)), 2):
                if _side_matches(sa, ma, g.sides[x]) and _side_matches(sb, mb, g.sides[y]):
                    return gi
    return None


def score_conflicts(story: GoldStory, res: VerdictsResult, mm: MentionMap) -> tuple[Tally, Tally]:
    """(precision tally over reported conflicts, recall tally over gold conflicts)."""
    found: set[int] = set()
    prec = Tally()
    for v in res.conflicts:
        hit = _conflict_hit(v, story, mm)
        if hit is not None:
            found.add(hit)
        prec.add(hit is not None, {**_brief(v), "gold": hit})
    rec = Tally()
    for gi, g in enumerate(story.conflicts):
        rec.add(
            gi in found,
            {"fact": g.fact, "type": g.type, "values": [s.value for s in g.sides], "update": g.update},
        )
    return prec, rec


def score_disputes(story: GoldStory, res: VerdictsResult, mm: MentionMap) -> tuple[Tally, Tally]:
    found: set[int] = set()
    prec = Tally()
    for v in res.actor_disputes:
        claim = set().union(*(_side_mentions(s, mm) for s in v.sides if s.stance != "denies"))
        denial = set().union(*(_side_mentions(s, mm) for s in v.sides if s.stance == "denies"))
        hit = next(
            (
                gi
                for gi, g in enumerate(story.disputes)
                if claim & set(g.claim_mentions) and denial & set(g.denial_mentions)
            ),
            None,
        )
        if hit is not None:
            found.add(hit)
        prec.add(hit is not None, {**_brief(v), "gold": hit})
    rec = Tally()
    for gi, g in enumerate(story.disputes):
        rec.add(gi in found, {"claimant": g.claimant, "denier": g.denier, "proposition": g.proposition})
    return prec, rec


def _gold_pairs(story: GoldStory) -> set[tuple[Mention, Mention]]:
    out = set()
    for f in story.facts:
        for a, b in combinations(sorted(set(f.mentions)), 2):
            if a.article != b.article:
                out.add((a, b))
    return out


def score_groups(
    story: GoldStory, alignment: AlignmentResult, mm: MentionMap, story_id: str
) -> tuple[Tally, Tally]:
    """Pairwise precision and recall over cross-article sentence pairs the report puts in one group."""
    facts_of = story.facts_of()
    predicted: set[tuple[Mention, Mention]] = set()
    for g in alignment.groups:
        if g.story_id != story_id or len(set(g.article_ids)) < 2:
            continue
        spans = [
            frozenset(mm.over(c.article_id, c.span.start, c.span.end))
            for cid in g.claim_ids
            if (c := alignment.claims.get(cid))
        ]
        for a, b in combinations(spans, 2):
            if a and b and next(iter(a)).article != next(iter(b)).article:
                predicted.add((a, b) if min(a) < min(b) else (b, a))
    gold = _gold_pairs(story)
    prec, rec = Tally(), Tally()
    covered: set[tuple[Mention, Mention]] = set()
    for a, b in sorted(predicted, key=lambda p: (min(p[0]), min(p[1]))):
        fa = set().union(*(facts_of.get(m, set()) for m in a))
        fb = set().union(*(facts_of.get(m, set()) for m in b))
        prec.add(bool(fa & fb))
        covered |= {(x, y) if x < y else (y, x) for x in a for y in b}
    for pair in gold:
        rec.add(pair in covered)
    return prec, rec


def _claim_sets(v: Verdict, mm: MentionMap) -> list[set[Mention]]:
    """One set of gold sentences per cited claim (the sentences its span overlaps)."""
    return [ms for e in v.evidence if e.role == "claim" and (ms := mm.of(e))]


def _matched_fact(story: GoldStory, claims: list[set[Mention]]) -> tuple[Any, float]:
    """The gold fact stated by the most cited claims, and the share of claims stating it."""
    facts_of = story.facts_of()
    # Ties go to the fact met first: in the order the claims are cited, and within a sentence that
    # states several facts in the gold's order, never in set order (which changes with the hash seed
    # of each run, and so did the scores).
    order = {f.id: n for n, f in enumerate(story.facts)}
    counts: Counter[str] = Counter()
    for ms in claims:
        for f in sorted(set().union(*(facts_of.get(m, set()) for m in ms)), key=order.__getitem__):
            counts[f] += 1
    if not counts or not claims:
        return None, 0.0
    fid, n = counts.most_common(1)[0]
    return next(f for f in story.facts if f.id == fid), n / len(claims)


def score_facts(story: GoldStory, res: VerdictsResult, mm: MentionMap) -> tuple[Tally, Tally]:
    """(fact-sheet purity: every cited claim states one gold fact; exact independent counts)."""
    pure, counts = Tally(), Tally()
    for v in res.fact_sheet:
        fact, share = _matched_fact(story, _claim_sets(v, mm))
        pure.add(share == 1.0, {**_brief(v), "fact": fact.id if fact else None, "share": round(share, 2)})
        if fact is not None and share >= 0.5:
            counts.add(
                v.n_independent_sources == fact.independent_sources,
                {
                    "id": v.id,
                    "fact": fact.id,
                    "reported": v.n_independent_sources,
                    "gold": fact.independent_sources,
                },
            )
    return pure, counts


def score_single(story: GoldStory, res: VerdictsResult, mm: MentionMap) -> Tally:
    facts_of = story.facts_of()
    by_id = {f.id: f for f in story.facts}
    out = Tally()
    for v in res.single_source:
        claims = _claim_sets(v, mm)
        ok = bool(claims) and all(
            any(story.reports(by_id[f]) == 1 for m in ms for f in facts_of.get(m, ())) for ms in claims
        )
        out.add(ok, {**_brief(v), "text": v.text[:200]})
    return out
