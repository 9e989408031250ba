"""Documents an article reprints whole: "Here is the full text of Sundar Pichai's email:" and the memo
after it, printed without quotation marks.

The lines after such an introduction are the document's author's words, not the outlet's: ten outlets
reprinting one memo have one source, its author. Only an introduction that ends its line with a colon
and names both the document and its author counts; the reprint runs to the end of the article (outlets
put it last), and a claim the reprint itself attributes ("as our CFO said") keeps its own source.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsprism.claims.actors import person_key
from newsprism.claims.model import Attribution, Claim
from newsprism.model import Article, Span

_DOC = r"(?:e-?mail|memo(?:randum)?|letter|note|message|statement|remarks|speech|post|announcement)"
_OWNER = r"(?:[A-Z][\w.&’'-]*\s+){0,4}[A-Z][\w.&’'-]*"
_INTRO = re.compile(
    # "the full text of Sundar Pichai's email (regarding the cuts)"
    rf"(?:full|complete|entire)\s+(?:text|copy)\s+of\s+(?P<a>{_OWNER})['’]s?\s+(?P<ad>{_DOC})\b"
    # "the full statement from Boeing", "the complete letter by Jane Doe"
    rf"|(?:full|complete|entire)\s+(?P<bd>{_DOC})\s+(?:from|by|of)\s+(?:the\s+)?(?P<b>{_OWNER})"
    # "Boeing's statement in full", "Pichai's memo reads"
    rf"|(?P<c>{_OWNER})['’]s?\s+(?:full\s+)?(?P<cd>{_DOC})\s+(?:in full|reads|reads in full)\b",
)
# Owners that are bodies, not people: no surname to key them by.
_BODY_WORDS = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|LLC|Group|Company|Ministry|Department|Office|House|Agency|Bank|Council|"
    r"Committee|Commission|Board|Police|Service|Authority|Government|University|Union|Association)\b\.?"
)


def _introduction(text: str) -> tuple[int, int, Attribution] | None:
    """Where the introduction line starts and ends, and who wrote the reprint after it: the last line
    ending in a colon that introduces one."""
    for line in reversed(list(re.finditer(r"[^\n]+", text))):
        body = line.group(0).rstrip()
        if not body.endswith(":"):
            continue
        m = _INTRO.search(body)
        if m is None:
            continue
        key = next(k for k in ("a", "b", "c") if m.group(k))
        owner, doc = m.group(key), m.group(f"{key}d")
        start = line.start()
        span = Span(start + m.start(key), start + m.end(key))
        verb = Span(start + m.start(f"{key}d"), start + m.end(f"{key}d"))
        is_body = bool(_BODY_WORDS.search(owner)) or len(owner.split()) == 1 and owner.isupper()
        kind = "organisation" if is_body else "person"
        person = None if is_body or len(owner.split()) < 2 else person_key(owner)
        return line.start(), line.end(), Attribution(owner, kind, "asserts", doc, span, verb, None, person)
    return None


def attribute_reprints(article: Article, claims: list[Claim]) -> list[Claim]:
    """The claims with the outlet's voice after a reprint's introduction, given to its author. The
    introduction itself ("Here is the full text of X's email:") states nothing to check."""
    found = _introduction(article.text)
    if found is None:
        return claims
    intro, start, author = found
    return [
        replace(c, attribution=author) if c.attribution.is_outlet and c.span.start >= start else c
        for c in claims
        if not intro <= c.span.start < start
    ]
