"""What the aligner reads of a claim: its content words (stemmed, stop words out), the entities and
quantity heads it names, and the figures it gives. ``align.pairs`` turns two of these, with the
claims' embeddings, into P(same fact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.claims.model import Claim

_STOP = frozenset(
    """
a an the of in on at to from for with and or but by that which who whom was were is are be been
being had have has as than over into across during after before since per this these those its their
his her our it they we he she will would could can may might did do does not no said says say also
such there here so if because all any some
""".split()
)
_TOKEN = re.compile(r"[A-Za-z0-9]+")


# Words news uses interchangeably for one outcome: "two people were killed" and "two people died"
# state one fact, and a word overlap that misses it misses the commonest paraphrase of a toll.
_SAME_OUTCOME = {
    **dict.fromkeys(("killed", "kill", "kills", "killing", "died", "die", "dies", "dying", "dead", "death",
                     "deaths", "fatalities", "fatality", "perished", "lives"), "die"),
    **dict.fromkeys(("injured", "injuries", "injury", "injuring", "wounded", "hurt"), "injure"),
}


def stem(word: str) -> str:
    w = word.lower()
    if w in _SAME_OUTCOME:
        return _SAME_OUTCOME[w]
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def content_tokens(text: str) -> frozenset[str]:
    return frozenset(stem(t) for t in _TOKEN.findall(text) if t.lower() not in _STOP)


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """What the scorer needs from a claim, computed once per claim."""

    tokens: frozenset[str]
    entities: frozenset[str]
    heads: frozenset[str]
    numbers: frozenset[tuple[str, float, float]]


def features(claim: Claim, content: str) -> ClaimFeatures:
    heads = frozenset((q.head or q.dimension) for q in claim.quantities)
    numbers = frozenset(((q.head or q.dimension), q.si_low, q.si_high) for q in claim.quantities)
    return ClaimFeatures(content_tokens(content), frozenset(e.key for e in claim.entities), heads, numbers)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
