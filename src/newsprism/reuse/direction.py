"""Who copied whom: publication time when both are known, else textual evidence, else unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from newsprism.model import Article
from newsprism.reuse.tokens import Tokens

# Corrections and updates announce a later version of a text.
_REVISION = re.compile(
    r"\b(?:correct(?:s|ed|ion)|clarif(?:ies|ied|ication)|(?:was|been|is) updated|updates? (?:with|to)|"
    r"an earlier version|this (?:story|article|report) (?:has been|was)|initially (?:said|reported|stated)"
    r"[^.]{0,200}\blater\b)",
    re.IGNORECASE,
)
# Lines crediting a wire service or other outlet's reporting mark the crediting text as derived.
_CREDIT = re.compile(
    r"(?:\bwith (?:[A-Z][\w.]* )?wires?\b|\bwith wire (?:services|reports)\b|contributed to this report|"
    r"\bwire services\b|\breporting by\b|\(\s*(?:AP|AFP|Reuters|dpa|UPI)\s*\)\s*[-—–]|"
    r"\b(?:according to|citing) (?:the )?(?:Associated Press|Reuters|AFP)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DirectionCue:
    derived: str | None  # "a", "b" or None
    reason: str
    confidence: float


def _unaligned_text(article: Article, tokens: Tokens, mask: np.ndarray) -> str:
    """The article's text outside the shared runs, as separate snippets joined by newlines."""
    if len(tokens) == 0:
        return article.text
    idx = np.flatnonzero(~mask)
    if idx.shape[0] == 0:
        return ""
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate((idx[:1], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], idx[-1:]))
    return "\n".join(
        article.text[tokens.starts[s] : tokens.ends[e]] for s, e in zip(starts, ends, strict=True)
    )


def by_date(a: Article, b: Article) -> DirectionCue | None:
    if a.published is None or b.published is None:
        return None
    try:
        delta = (a.published - b.published).total_seconds()
    except TypeError:  # one naive, one aware: not comparable honestly
        return None
    if abs(delta) < 60:
        return None
    later = "a" if delta > 0 else "b"
    first = b if later == "a" else a
    return DirectionCue(later, f"published earlier: {first.id} at {first.published.isoformat()}", 0.9)


def by_record(a: Article, b: Article) -> DirectionCue | None:
    if a.revision_of == b.id:
        return DirectionCue("a", f"{a.id} is stored as a revision of {b.id}", 0.95)
    if b.revision_of == a.id:
        return DirectionCue("b", f"{b.id} is stored as a revision of {a.id}", 0.95)
    return None


def by_markers(
    a: Article, ta: Tokens, ma: np.ndarray, b: Article, tb: Tokens, mb: np.ndarray
) -> DirectionCue | None:
    """Revision markers, then credit lines, in the text each side does not share with the other."""
    ua, ub = _unaligned_text(a, ta, ma), _unaligned_text(b, tb, mb)
    for pattern, what, conf in ((_REVISION, "revision marker", 0.8), (_CREDIT, "credit line", 0.75)):
        ha, hb = pattern.search(ua), pattern.search(ub)
        if bool(ha) != bool(hb):
            side, hit, art = ("a", ha, a) if ha else ("b", hb, b)
            return DirectionCue(side, f"{what} in {art.id}'s own text: {hit.group(0)!r}", conf)
    return None
