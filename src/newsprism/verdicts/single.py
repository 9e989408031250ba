"""What only one source says: the facts one independent report states and no other report does.

Listing a claim as said by one source only is itself a claim, that no other report states it, and a
wrong one misleads more than a missing one. So a claim is listed only when the evidence for that is
good:

- no claim of another independent report of its story may state it: the aligner's pair model, the
  sentence embeddings and shared content words are each checked against *every* claim of every other
  report of the story (not only the nearest neighbours the grouping scored), and any of them coming
  close keeps the claim off the list;
- it is a checkable statement: not a fragment too short to be a fact, not a question, not hedged
  ("reportedly", "may"), and specific (a figure, a date, a name or a quotation), since a vague
  sentence is the kind another report words differently;
- it does not repeat another item of its article (a headline restated in the lead).

What is left is ranked by importance: early in its article, naming people, places and figures,
attributed to a named source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.align.model import AlignmentResult
from newsprism.align.pairs import StoryPairs, shipped_model
from newsprism.claims.clauses import _VERBISH
from newsprism.claims.model import Claim
from newsprism.verdicts.decide import VerdictOptions
from newsprism.verdicts.model import Verdict

_WORD = re.compile(r"[A-Za-z0-9]+")
# Pair-model scores per claim: its closest claims of other reports by raw and by story-centred cosine
# (the model's two strongest features), so the cost per claim stays bounded in a large story.
_TOP = 16
# The writer speaking in the first or second person, or advising: a column's view, not a report.
_OPINION = re.compile(
    r"\b(?:I|I'm|I've|I'd|we|we're|we've|our|us|my|me|you|your|you're|should|shouldn't|must|hopefully|"
    r"ought to|well advised)\b",
    re.IGNORECASE,
)
# A present-tense verb before its object ("the company claims 25 percent", "inmates spend 23 of every
# 24 hours"): the clause splitter's verb list has no -s forms, so a statement may have only this.
_VERB_OBJECT = re.compile(r"\b(?<!-)[a-z]{3,}\s+(?:(?:the|a|an|its|his|her|their|to)\b|\d)")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def importance(c: Claim) -> float:
    """Higher for what a reader checks first: the lead, figures, names, a named source."""
    score = 1.0 / (1.0 + c.sentence_index)
    score += 0.3 * bool(c.quantities) + 0.2 * bool(c.times)
    score += 0.2 * min(len({e.key for e in c.entities}), 3) / 3
    score += 0.2 * (not c.attribution.is_outlet and bool(c.attribution.person))
    return round(min(score / 1.9, 1.0), 3)


@dataclass(frozen=True, slots=True)
class Support:
    """How close another independent report comes to stating a claim: the highest P(same fact),
    sentence cosine and share of the claim's content words among its claims."""

    prob: float = 0.0
    cosine: float = 0.0
    overlap: float = 0.0

    def plausible(self, opts: VerdictOptions) -> bool:
        return (
            self.prob >= opts.single_source_max_support
            or self.cosine >= opts.single_source_max_cosine
            or self.overlap >= opts.single_source_max_overlap
        )


class _StoryIndex:
    """Finds a claim's closest claims in the other reports of its story."""

    def __init__(self, alignment: AlignmentResult, reports_of: Callable[[Claim], frozenset[str]]):
        self._stories = alignment.story_pairs
        self._claims = alignment.claims
        self._report_of = reports_of
        self._rows: dict[str, tuple[str, int]] = {
            cid: (sid, n) for sid, (ids, _) in self._stories.items() for n, cid in enumerate(ids)
        }
        self._reports: dict[str, np.ndarray] = {}

    def _reports_of(self, sid: str) -> np.ndarray:
        if sid not in self._reports:
            ids = self._stories[sid][0]
            self._reports[sid] = np.array([self._report_of(self._claims[c]) for c in ids], dtype=object)
        return self._reports[sid]

    def support(self, claim_id: str) -> Support | None:
        """None when the claim was not aligned (a story of one article: nothing to compare with)."""
        if claim_id not in self._rows:
            return None
        sid, i = self._rows[claim_id]
        sp: StoryPairs = self._stories[sid][1]
        reports = self._reports_of(sid)
        mine = reports[i]
        others = np.flatnonzero([not (r & mine) for r in reports])
        if not len(others):
            return Support()
        cos = sp.emb[others] @ sp.emb[i]
        centred = sp.centred[others] @ sp.centred[i]
        top = {int(others[k]) for sims in (cos, centred) for k in np.argsort(-sims)[:_TOP]}
        model = shipped_model()
        prob = max(model.prob(sp.features(min(i, j), max(i, j))) for j in top)
        mine = sp.feats[i].tokens
        overlap = (
            max((len(mine & sp.feats[j].tokens) / len(mine) for j in others), default=0.0) if mine else 0.0
        )
        return Support(prob, float(cos.max()), overlap)


# A credit or dateline line: "Reuters Sep 18, 2013, 02.16PM IST" is a date and a few names, not a
# statement; a claim of that shape (a time, then only capitalised words, at most this many) is not one.
CREDIT_MAX_WORDS = 4


def credit_line(c: Claim) -> bool:
    if not c.times:
        return False
    text = list(c.text)
    for t in c.times:
        for i in range(max(t.span.start - c.span.start, 0), min(t.span.end - c.span.start, len(text))):
            text[i] = " "
    words = [w for w in _WORD.findall("".join(text)) if not w.isdigit()]
    return len(words) <= CREDIT_MAX_WORDS and not any(w[0].islower() for w in words)


def _verbs(text: str) -> bool:
    """A verb as the clause splitter reads one (its short list and -ed forms); not a hyphenated
    adjective ("so-called")."""
    words = _WORD.findall(text)
    # A headline in title case ("The Dam Opened On July 13") is read in lower case.
    if sum(w[0].isupper() for w in words) >= 0.7 * len(words):
        text = text.lower()
    text = text[:1].lower() + text[1:]
    return any(text[m.start() - 1 : m.start()] != "-" for m in _VERBISH.finditer(text))


def fragment(text: str) -> bool:
    """A piece of a sentence with no verb of its own: a list of names, a dial-in number, a clause
    split off at "and" ("an orthodontist providing free services"). A text that starts in lower case
    (its sentence's start cut off) needs a verb before its first comma: "a gun buyback program in
    mid-June, offering ..." and "six assists, leading Syracuse to a win" have none."""
    if not _verbs(text) and not _VERB_OBJECT.search(text):
        return True
    return text[:1].islower() and not _verbs(text.split(", ", 1)[0])


def _unquoted(c: Claim) -> str:
    """The claim's words outside its quotations (quote marks included), others blanked."""
    chars = list(c.text)
    for q in c.quotes:
        lo = max(q.span.start - c.span.start - 1, 0)
        hi = min(q.span.end - c.span.start + 1, len(chars))
        chars[lo:hi] = " " * max(hi - lo, 0)
    return "".join(chars)


def checkable(c: Claim) -> bool:
    """A statement a reader could check on its own: asserted, not asked or hedged, not the writer's
    own view, not a credit line, and naming something specific (a figure, a date, a name, a
    quotation)."""
    if "?" in c.text or c.hedges or credit_line(c) or fragment(c.text):
        return False
    # The writer's words around a quotation are still the writer's ("I was appalled to hear
    # comments like, "..."): only the quoted words are someone else's.
    if c.attribution.is_outlet and _OPINION.search(_unquoted(c)):
        return False
    return bool(c.quantities or c.times or c.entities or c.quotes)


def _near_support(v: Verdict, near: dict[str, list[tuple[str, float]]], reports_of, claims, floor) -> bool:
    for e in v.evidence:
        if e.claim_id not in claims:
            continue
        mine = reports_of(claims[e.claim_id])
        for other, p in near.get(e.claim_id, ()):
            c = claims.get(other)
            if c is not None and p >= floor and not (reports_of(c) & mine):
                return True
    return False


def _listable(v: Verdict, index: _StoryIndex, claims: dict[str, Claim], opts: VerdictOptions) -> bool:
    """Every claim behind the item is checkable and no other report comes close to stating it."""
    ids = [e.claim_id for e in v.evidence if e.claim_id in claims]
    if not ids or not all(checkable(claims[c]) for c in ids):
        return False
    for cid in ids:
        found = index.support(cid)
        if found is not None and found.plausible(opts):
            return False
    return True


def _whole_clause(v: Verdict, claims: dict[str, Claim]) -> None:
    """Show the whole clause when the item's words without their source are no statement: with
    "announced" or "added" taken off, "the administration announced its intention to reverse the
    rule" reads "its intention to reverse the rule"."""
    first = next((claims[e.claim_id] for e in v.evidence if e.claim_id in claims), None)
    if first is not None and first.text != v.text and fragment(v.text):
        v.text = first.text


def _distinct(kept: list[Verdict]) -> list[Verdict]:
    """A headline restated in the lead: keep the longer wording once per article."""
    texts = {v.id: " ".join(_words(v.text)) for v in kept}
    out = []
    for v in kept:
        arts = set(v.article_ids)
        mine = texts[v.id]
        if not any(
            o is not v and arts & set(o.article_ids) and mine in texts[o.id] and len(texts[o.id]) > len(mine)
            for o in kept
        ):
            out.append(v)
    return out


def select(
    items: Sequence[Verdict],
    alignment: AlignmentResult,
    report_of: Callable[[str], str],
    opts: VerdictOptions,
    reports_of: Callable[[Claim], frozenset[str]] | None = None,
) -> list[Verdict]:
    """The single-source items worth listing, most important first. ``reports_of``: every report
    one claim belongs to (a line a merge took from the wire is the wire's too); without it, its
    article's report."""
    claims = alignment.claims
    if reports_of is None:

        def reports_of(c: Claim) -> frozenset[str]:
            return frozenset([report_of(c.article_id)])

    near: dict[str, list[tuple[str, float]]] = {}
    for a, b, p in alignment.near:
        near.setdefault(a, []).append((b, p))
        near.setdefault(b, []).append((a, p))
    index = _StoryIndex(alignment, reports_of)
    kept = [
        v
        for v in items
        if len(_words(v.text)) >= opts.single_source_min_words
        and not _near_support(v, near, reports_of, claims, opts.single_source_max_support)
        and _listable(v, index, claims, opts)
    ]
    for v in kept:
        _whole_clause(v, claims)
    out = _distinct(kept)
    for v in out:
        first = next((claims[e.claim_id] for e in v.evidence if e.claim_id in claims), None)
        if first is not None:
            v.confidence = importance(first)
            v.confidence_reason = "importance: position in the article, figures, names, a named source"
    return sorted(out, key=lambda v: (-v.confidence, v.id))
