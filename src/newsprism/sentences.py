"""Sentence spans for news text.

A rule splitter tuned for news: it does not break after titles and initials ("Gen.", "Mr.",
"U.S.", "St."), keeps a closing quote with its sentence, and never crosses a paragraph break.
"""

from __future__ import annotations

import re

from newsprism.model import Span
from newsprism.text import paragraph_spans

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cmdr adm gov sen rep pres st sr jr rev fr hon
    inc corp ltd co bros dept univ assn est approx no vs etc al fig jan feb mar apr jun jul aug
    sep sept oct nov dec mt ft ave blvd rd
    """.split()
)
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]*)(\S)")


def _is_abbreviation(chunk: str, end: int) -> bool:
    """True when the period at ``end - 1`` closes an abbreviation or an initial."""
    m = re.search(r"([A-Za-z][A-Za-z.]*)\.$", chunk[:end])
    if not m:
        return False
    word = m.group(1)
    if "." in word:  # U.S., U.K., a.m.
        return True
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return True
    return word.lower() in _ABBREVIATIONS


def _split_paragraph(text: str, start: int, end: int) -> list[Span]:
    chunk = text[start:end]
    spans: list[Span] = []
    sent_start = 0
    for m in _BOUNDARY.finditer(chunk):
        stop = m.end()
        nxt = _NEXT_START.match(chunk, stop)
        if not nxt:
            continue
        first = nxt.group(2)
        punct = m.group(0)
        if punct.startswith(".") and punct.rstrip("\"'”’)]") == "." and _is_abbreviation(chunk, m.start() + 1):
            continue
        if first.islower():
            continue
        spans.append(Span(start + sent_start, start + stop))
        sent_start = nxt.start(1)
    tail = chunk[sent_start:].rstrip()
    if tail.strip():
        spans.append(Span(start + sent_start, start + sent_start + len(tail)))
    return spans


def split_sentences(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Sentence spans of a canonical text, in order, never crossing a paragraph."""
    spans: list[Span] = []
    for para in paragraphs if paragraphs is not None else paragraph_spans(text):
        spans.extend(_split_paragraph(text, para.start, para.end))
    return spans
