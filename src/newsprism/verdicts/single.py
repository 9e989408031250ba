"""What only one source says: the facts one independent report states and no other report does.

A claim is kept off the list when another independent report may state it too (the aligner scored
the two as likely the same fact, even if not surely enough to group them), when it is a fragment
too short to be a fact, or when it repeats another item of its article (a headline restated in the
lead). What is left is ranked by importance: early in its article, naming people, places and
figures, attributed to a named source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from newsprism.claims.model import Claim
from newsprism.verdicts.model import Verdict

_WORD = re.compile(r"[A-Za-z0-9]+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def importance(c: Claim) -> float:
    """Higher for what a reader checks first: the lead, figures, names, a named source."""
    score = 1.0 / (1.0 + c.sentence_index)
    score += 0.3 * bool(c.quantities) + 0.2 * bool(c.times)
    score += 0.2 * min(len({e.key for e in c.entities}), 3) / 3
    score += 0.2 * (not c.attribution.is_outlet and bool(c.attribution.person))
    return round(min(score / 1.9, 1.0), 3)


def _supported(
    v: Verdict,
    near: dict[str, list[tuple[str, float]]],
    report_of: Callable[[str], str],
    claims: dict[str, Claim],
    floor: float,
) -> bool:
    for e in v.evidence:
        if e.claim_id is None:
            continue
        mine = report_of(e.article_id)
        for other, p in near.get(e.claim_id, ()):
            c = claims.get(other)
            if c is not None and p >= floor and report_of(c.article_id) != mine:
                return True
    return False


def select(
    items: Sequence[Verdict],
    claims: dict[str, Claim],
    near: Sequence[tuple[str, str, float]],
    report_of: Callable[[str], str],
    min_words: int,
    max_support: float,
) -> list[Verdict]:
    """The single-source items worth listing, most important first."""
    by_claim: dict[str, list[tuple[str, float]]] = {}
    for a, b, p in near:
        by_claim.setdefault(a, []).append((b, p))
        by_claim.setdefault(b, []).append((a, p))
    kept: list[Verdict] = []
    for v in items:
        if len(_words(v.text)) < min_words or _supported(v, by_claim, report_of, claims, max_support):
            continue
        kept.append(v)
    # A headline restated in the lead: keep the longer wording once per article.
    texts = {v.id: " ".join(_words(v.text)) for v in kept}
    out = []
    for v in kept:
        arts = set(v.article_ids)
        mine = texts[v.id]
        if any(
            o is not v and arts & set(o.article_ids) and mine in texts[o.id] and len(texts[o.id]) > len(mine)
            for o in kept
        ):
            continue
        first = next((claims[e.claim_id] for e in v.evidence if e.claim_id in claims), None)
        if first is not None:
            v.confidence = importance(first)
            v.confidence_reason = "importance: position in the article, figures, names, a named source"
        out.append(v)
    return sorted(out, key=lambda v: (-v.confidence, v.id))
