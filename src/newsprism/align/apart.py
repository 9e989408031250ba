"""Pairs of claims that cannot state one fact, however many words they share.

The same-fact model reads shared words, so two sentences about one topic score high even where
they say opposite or different things: "the administration did not clarify whether the goods stay
subject to the 20% tariff" and "Miller clarified that the goods stay subject to the 20% tariff";
"Reuters could not independently verify who was responsible" and "The AP could not independently
verify the images". Grouping them would print a false corroborated fact, so the grouping keeps such
pairs apart (their score still reaches the verdicts as a near pair). Both rules only ever keep two
claims apart (precision first): what they cannot read, they leave to the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.align.score import _STOP
from newsprism.claims.model import Claim

# A verb's negation and the word it governs, adverbs and auxiliaries between skipped: "did not
# clarify", "has not yet confirmed", "could not independently verify", "failed to reach".
# "didnt", "cant": contractions printed without the apostrophe, as in hurried copy.
_CONTRACTED = r"(?:ca|do|does|did|is|are|was|were|has|have|had|wo|could|would|should)nt\b"
# The governed words are lower case: "not Pierre Thomas" negates no predicate.
_GOVERNED = r"((?-i:(?:(?:yet|been|be|have|[a-z]+ly)\s+){0,2}[a-z]+))"
_NEGATED = re.compile(
    rf"(\bor\s+)?\b(?:not|never|cannot|no longer|yet to|failed to)\s+{_GOVERNED}"
    rf"|(?:n[’']t|\b{_CONTRACTED})\s+{_GOVERNED}",
    re.IGNORECASE,
)
# "not only ... but", "not just": a negation that adds rather than denies.
_ADDITIVE = frozenset({"only", "just", "least", "merely", "simply"})
# Any negation at all: a claim with one is never read as the plain affirmation of the other.
_ANY_NEGATION = re.compile(
    rf"\b(?:not|no|never|none|nothing|nobody|neither|nor|cannot|yet to|failed to)\b|n[’']t\b|\b{_CONTRACTED}",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")


def predicate_key(word: str) -> str:
    """One key for a verb's forms: "clarified", "clarifies", "clarify" -> "clarify"; "confirmed" and
    "confirms" -> "confirm". Crude, and only ever compared with another word's key."""
    w = word.lower()
    if w.endswith(("ied", "ies")) and len(w) > 4:
        return w[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    return w


def negated_predicates(text: str) -> frozenset[str]:
    """Keys of the words a negation governs ("did not clarify whether ..." -> {"clarify"})."""
    out = set()
    for m in _NEGATED.finditer(text):
        words = (m.group(2) or m.group(3)).lower().split()
        # "whether or not", "would not have placed" (a counterfactual): nothing is denied.
        if m.group(1) or words[0] in _ADDITIVE or "have" in words[:-1]:
            continue
        head = words[-1]
        if head not in _STOP and len(head) > 2:
            out.add(predicate_key(head))
    return frozenset(out)


def opposite_polarity(a: str, b: str) -> bool:
    """One claim negates a predicate the other asserts, and the other negates nothing: "did not
    clarify whether X" against "clarified that X". A claim with a negation of its own is left alone
    ("made not in Kyiv but in Washington" beside "not made in Kyiv")."""
    for neg, plain in ((a, b), (b, a)):
        keys = negated_predicates(neg)
        if not keys or _ANY_NEGATION.search(plain):
            continue
        if keys & {predicate_key(w) for w in _WORD.findall(plain)}:
            return True
    return False


@dataclass(frozen=True)
class PairGuard:
    """Which pairs of a story's claims the grouping must keep apart, by row."""

    claims: tuple[Claim, ...]

    @classmethod
    def build(cls, claims: list[Claim]) -> PairGuard:
        return cls(tuple(claims))

    def apart(self, i: int, j: int) -> bool:
        a, b = self.claims[i], self.claims[j]
        # The whole clause, attribution included: "Miller clarified that X" asserts the clarifying.
        return opposite_polarity(a.text, b.text)
